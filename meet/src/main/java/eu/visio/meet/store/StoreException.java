package eu.visio.meet.store;

/**
 * Why the store refused or failed, with a {@link Code} a REST layer maps to a status without
 * reading messages. Unchecked: callers either map it at the edge or let it fail the request.
 */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Stable reasons; the HTTP status each suggests is in its comment. */
  public enum Code {
    /** The room, user or role does not exist (404). */
    NOT_FOUND,
    /** Taken or contradicts the stored state: a used room code, the last owner's removal (409). */
    CONFLICT,
    /** A value the database refused (400); the model normally refuses it first. */
    INVALID,
    /** The database failed or cannot be reached (503). */
    UNAVAILABLE
  }

  private final Code code;

  public StoreException(Code code, String message) {
    super(message);
    this.code = code;
  }

  public StoreException(Code code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public Code code() {
    return code;
  }
}
