package eu.visio.media.rtcp;

/**
 * One reception report block of an SR or RR (RFC 3550 §6.4.1), 24 bytes on the wire. SSRC, sequence
 * and timing fields are unsigned 32-bit values held in ints.
 *
 * @param ssrc source this block reports on
 * @param fractionLost fraction lost since the last report, 0..255 (/256)
 * @param cumulativeLost cumulative packets lost, signed 24-bit (duplicates can make it negative)
 * @param extendedHighestSequence cycles (high 16 bits) and highest sequence number (low 16 bits)
 * @param jitter interarrival jitter in timestamp units
 * @param lastSenderReport middle 32 bits of the last SR's NTP timestamp (LSR), 0 if none
 * @param delaySinceLastSenderReport DLSR in 1/65536 s
 */
public record ReportBlock(
    int ssrc,
    int fractionLost,
    int cumulativeLost,
    int extendedHighestSequence,
    int jitter,
    int lastSenderReport,
    int delaySinceLastSenderReport) {

  public static final int LENGTH = 24;

  private static final int MIN_LOST = -0x800000;
  private static final int MAX_LOST = 0x7FFFFF;

  public ReportBlock {
    if (fractionLost < 0 || fractionLost > 255) {
      throw new IllegalArgumentException("fractionLost must be 0..255: " + fractionLost);
    }
    if (cumulativeLost < MIN_LOST || cumulativeLost > MAX_LOST) {
      throw new IllegalArgumentException(
          "cumulativeLost must fit 24 signed bits: " + cumulativeLost);
    }
  }

  /** Clamps a running loss count to what the 24-bit field can carry (RFC 3550 §6.4.1). */
  public static int clampCumulativeLost(long lost) {
    return (int) Math.max(MIN_LOST, Math.min(MAX_LOST, lost));
  }

  static ReportBlock read(byte[] b, int p) {
    int lost = ByteIo.u24(b, p + 5);
    return new ReportBlock(
        ByteIo.u32(b, p),
        ByteIo.u8(b, p + 4),
        (lost << 8) >> 8, // sign-extend 24 bits
        ByteIo.u32(b, p + 8),
        ByteIo.u32(b, p + 12),
        ByteIo.u32(b, p + 16),
        ByteIo.u32(b, p + 20));
  }

  void write(byte[] b, int p) {
    ByteIo.put32(b, p, ssrc);
    b[p + 4] = (byte) fractionLost;
    ByteIo.put24(b, p + 5, cumulativeLost);
    ByteIo.put32(b, p + 8, extendedHighestSequence);
    ByteIo.put32(b, p + 12, jitter);
    ByteIo.put32(b, p + 16, lastSenderReport);
    ByteIo.put32(b, p + 20, delaySinceLastSenderReport);
  }
}
