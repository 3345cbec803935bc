package eu.visio.signal.token;

/**
 * A token was refused. The message says why in a few words, fit for a client and a log line; it
 * never contains the token or a secret.
 */
public final class TokenException extends Exception {
  private static final long serialVersionUID = 1L;

  public TokenException(String reason) {
    super(reason);
  }
}
