package eu.visio.signal.cluster;

/**
 * The cluster cannot answer now: Redis is unreachable (or timed out), or no live node takes new
 * rooms. Callers fail the request with a clear error (a join waits or is refused); running meetings
 * are not affected.
 */
public final class ClusterUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why the cluster could not answer. */
  public enum Reason {
    /** Redis refused, timed out or is disconnected (Lettuce reconnects in the background). */
    REDIS_UNAVAILABLE,
    /** No live node that is not draining. */
    NO_NODE
  }

  private final Reason reason;

  public ClusterUnavailableException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public ClusterUnavailableException(Reason reason, String message) {
    this(reason, message, null);
  }

  public Reason reason() {
    return reason;
  }
}
