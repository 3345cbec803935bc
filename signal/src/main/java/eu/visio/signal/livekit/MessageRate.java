package eu.visio.signal.livekit;

/**
 * A token bucket over one connection's messages: bursts (a client subscribing to a hundred tracks
 * at once) pass, a sustained flood does not. Not thread-safe: one connection's messages arrive in
 * order on one thread at a time.
 */
public final class MessageRate {
  /** Messages per second a client may send on average. */
  public static final double RATE = 200;

  /** Messages a client may send at once. */
  public static final double BURST = 1000;

  /** A connection that had this many messages dropped for rate is closed. */
  public static final int CLOSE_AFTER_DROPS = 1000;

  private double tokens = BURST;
  private long last;
  private int dropped;

  public MessageRate(long nowNanos) {
    this.last = nowNanos;
  }

  /** Whether a message arriving now may be handled. */
  public boolean allow(long nowNanos) {
    tokens = Math.min(BURST, tokens + (nowNanos - last) * RATE / 1e9);
    last = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    dropped++;
    return false;
  }

  /** Whether the client kept flooding long enough to be disconnected. */
  public boolean abusive() {
    return dropped >= CLOSE_AFTER_DROPS;
  }
}
