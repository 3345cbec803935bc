package eu.visio.server.api;

/**
 * A refusal on its way to the client: an HTTP status, a stable code clients may switch on, and a
 * message for people. Thrown by route handlers, turned into {@code {"code", "message"}} by {@link
 * Api#handle}.
 */
final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;
  final String code;

  ApiError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static ApiError invalid(String message) {
    return new ApiError(400, "INVALID", message);
  }

  static ApiError notFound(String message) {
    return new ApiError(404, "NOT_FOUND", message);
  }
}
