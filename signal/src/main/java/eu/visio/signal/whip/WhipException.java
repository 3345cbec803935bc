package eu.visio.signal.whip;

/**
 * A WHIP/WHEP request that cannot be served, with the HTTP status and a one-line reason that is
 * safe to return to the client.
 */
public final class WhipException extends Exception {
  private static final long serialVersionUID = 1L;
  private final int status;

  public WhipException(int status, String reason) {
    super(reason, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public static WhipException badRequest(String reason) {
    return new WhipException(400, reason);
  }

  public static WhipException notFound(String reason) {
    return new WhipException(404, reason);
  }

  public static WhipException gone(String reason) {
    return new WhipException(410, reason);
  }

  public static WhipException conflict(String reason) {
    return new WhipException(409, reason);
  }
}
