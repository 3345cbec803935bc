package eu.visio.sfu.layer;

/**
 * Keeps a subscriber's RTP timestamps (RFC 3550 §5.1) on one clock when the source changes. Each
 * simulcast encoding has its own random timestamp base, so a switch needs a new offset: the first
 * frame of the new source is placed after the last one sent by the time that actually passed (or
 * where the caller aligned it, e.g. from the sources' sender reports).
 *
 * <p>Times are passed in (virtual clock). Not thread-safe; no allocation.
 */
public final class TimestampRewriter {
  private final int clockRate;
  private boolean started;
  private int offset;
  private int newestOut;
  private long newestNanos;

  /** A rewriter for a stream clocked at {@code clockRate} Hz (90,000 for video). */
  public TimestampRewriter(int clockRate) {
    if (clockRate <= 0) {
      throw new IllegalArgumentException("clockRate " + clockRate);
    }
    this.clockRate = clockRate;
  }

  /** Output timestamp of a forwarded packet, which arrived at {@code nowNanos}. */
  public int rewrite(int inTs, long nowNanos) {
    if (!started) {
      switchAligned(inTs, inTs);
    }
    int out = inTs + offset;
    if (out - newestOut > 0 || out == newestOut) {
      newestOut = out;
      newestNanos = nowNanos;
    }
    return out;
  }

  /**
   * Starts a new source whose first packet carries {@code firstInTs} and arrived at {@code
   * nowNanos}: it is placed after the newest timestamp sent by the wall-clock time elapsed since
   * that packet arrived, and at least one tick later, so frames never share or reverse timestamps.
   */
  public void switchTo(int firstInTs, long nowNanos) {
    if (!started) {
      switchAligned(firstInTs, firstInTs);
      newestNanos = nowNanos;
      return;
    }
    long elapsed = Math.max(0, nowNanos - newestNanos);
    long ticks = Math.max(1, elapsed / 1000 * clockRate / 1_000_000);
    switchAligned(firstInTs, (int) (newestOut + ticks));
  }

  /** Starts a new source whose first timestamp {@code firstInTs} maps to {@code firstOutTs}. */
  public void switchAligned(int firstInTs, int firstOutTs) {
    offset = firstOutTs - firstInTs;
    if (!started) {
      newestOut = firstOutTs;
    }
    started = true;
  }

  /** Whether a timestamp has been mapped. */
  public boolean started() {
    return started;
  }

  /** Added to every input timestamp (mod 2^32). */
  public int offset() {
    return offset;
  }

  /** The newest output timestamp. */
  public int newestOutput() {
    return newestOut;
  }
}
