package eu.visio.signal.livekit;

/**
 * A Room service call refused, as Twirp reports errors: a code ({@code unauthenticated}, {@code
 * permission_denied}, {@code not_found}, {@code malformed}, {@code bad_route}), its HTTP status,
 * and a short message.
 */
public final class RoomServiceException extends Exception {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final int status;

  public RoomServiceException(String code, int status, String message) {
    super(message);
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
