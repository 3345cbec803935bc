package eu.visio.meet.identity;

/**
 * A failed sign-in. The message is for logs and may quote the provider's error description; it
 * never holds a token, code or secret. Show users {@link #failure()}'s code, not the message.
 */
public final class SignInException extends Exception {
  private static final long serialVersionUID = 1L;

  private final SignInFailure failure;

  public SignInException(SignInFailure failure, String message) {
    super(failure.code() + ": " + message);
    this.failure = failure;
  }

  public SignInException(SignInFailure failure, String message, Throwable cause) {
    super(failure.code() + ": " + message, cause);
    this.failure = failure;
  }

  public SignInFailure failure() {
    return failure;
  }
}
