package eu.visio.sfu.nack;

/**
 * Round-trip time to one peer, for NACK retry spacing ({@link NackGenerator#setRttNanos}) and
 * retransmission rate limiting ({@link NackResponder#setRttNanos}).
 *
 * <p>Samples come from report blocks (RFC 3550 §6.4.1): the peer echoes the compact NTP time of our
 * last sender report (LSR) and how long it held it (DLSR), so {@code RTT = A - LSR - DLSR} where A
 * is the compact NTP time the report arrived. Samples are smoothed like TCP's SRTT (RFC 6298 §2,
 * gain 1/8) so one delayed report does not swing the retry interval. No allocation.
 */
public final class RttEstimator {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private long smoothedNanos = -1;

  /**
   * One RTT sample from a report block, in nanoseconds, or -1 when the block carries none (LSR 0:
   * no sender report received yet) or the result is negative (clock mismatch, stale report).
   *
   * @param arrivalCompactNtp middle 32 bits of the NTP time the report block arrived
   * @param lsr the block's LSR field
   * @param dlsr the block's DLSR field, in 1/65536 s
   */
  public static long sampleNanos(int arrivalCompactNtp, int lsr, int dlsr) {
    if (lsr == 0) {
      return -1;
    }
    // Unsigned 32-bit arithmetic in units of 1/65536 s; wraps every 18 hours, like the fields.
    long units = (arrivalCompactNtp - lsr - dlsr) & 0xFFFFFFFFL;
    if (units > 0x7FFFFFFFL) {
      return -1;
    }
    return units * NANOS_PER_SECOND >>> 16;
  }

  /** Adds a sample (ignored when not positive) and returns the smoothed RTT. */
  public long update(long sampleNanos) {
    if (sampleNanos > 0) {
      smoothedNanos =
          smoothedNanos < 0 ? sampleNanos : smoothedNanos + (sampleNanos - smoothedNanos) / 8;
    }
    return rttNanos();
  }

  /** Whether a sample was seen. */
  public boolean measured() {
    return smoothedNanos >= 0;
  }

  /** Smoothed RTT, or {@link NackGenerator#DEFAULT_RTT_NANOS} before the first sample. */
  public long rttNanos() {
    return smoothedNanos < 0 ? NackGenerator.DEFAULT_RTT_NANOS : smoothedNanos;
  }
}
