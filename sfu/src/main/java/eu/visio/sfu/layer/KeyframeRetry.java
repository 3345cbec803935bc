package eu.visio.sfu.layer;

/**
 * When a down track waiting for a keyframe should ask the publisher again: at once, then once per
 * retry interval until {@link #reset} (the keyframe came, or the wait was abandoned). Held by every
 * {@link LayerFilter}: the simulcast {@link LayerSelector} and the SVC filters.
 */
public final class KeyframeRetry {
  private final long retryNanos;
  private boolean asked;
  private long askedNanos;

  public KeyframeRetry(long retryNanos) {
    this.retryNanos = retryNanos;
  }

  /** Whether to send a request now; if so, the next one is due one interval later. */
  public boolean due(long nowNanos) {
    if (asked && nowNanos - askedNanos < retryNanos) {
      return false;
    }
    asked = true;
    askedNanos = nowNanos;
    return true;
  }

  /** The next {@link #due} is immediate. */
  public void reset() {
    asked = false;
  }
}
