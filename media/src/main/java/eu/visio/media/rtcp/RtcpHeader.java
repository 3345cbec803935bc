package eu.visio.media.rtcp;

/**
 * The 4-byte common RTCP header (RFC 3550 §6.4.1) and the packet type / feedback format numbers.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |      length (words - 1)       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtcpHeader {
  public static final int LENGTH = 4;

  public static final int SR = 200;
  public static final int RR = 201;
  public static final int SDES = 202;
  public static final int BYE = 203;
  public static final int APP = 204;

  /** Transport-layer feedback (RFC 4585 §6.2). */
  public static final int RTPFB = 205;

  /** Payload-specific feedback (RFC 4585 §6.3). */
  public static final int PSFB = 206;

  /** RTPFB FMT: Generic NACK (RFC 4585 §6.2.1). */
  public static final int FMT_NACK = 1;

  /** RTPFB FMT: transport-wide CC (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). */
  public static final int FMT_TWCC = 15;

  /** PSFB FMT: Picture Loss Indication (RFC 4585 §6.3.1). */
  public static final int FMT_PLI = 1;

  /** PSFB FMT: Full Intra Request (RFC 5104 §4.3.1). */
  public static final int FMT_FIR = 4;

  /** PSFB FMT: application layer feedback, used by REMB. */
  public static final int FMT_AFB = 15;

  /** Highest value of the 5-bit RC/SC/FMT field. */
  public static final int MAX_COUNT = 31;

  private RtcpHeader() {}

  /**
   * Writes a header for a packet of {@code totalLength} bytes (a multiple of 4, header included).
   */
  public static void write(
      byte[] buf, int off, boolean padding, int count, int packetType, int totalLength) {
    if ((totalLength & 3) != 0 || totalLength < LENGTH || totalLength > 4 * 0x10000) {
      throw new IllegalArgumentException("RTCP length must be a multiple of 4: " + totalLength);
    }
    if (count < 0 || count > MAX_COUNT) {
      throw new IllegalArgumentException("RTCP count out of range: " + count);
    }
    buf[off] = (byte) (0x80 | (padding ? 0x20 : 0) | count);
    buf[off + 1] = (byte) packetType;
    ByteIo.put16(buf, off + 2, totalLength / 4 - 1);
  }

  /** The 5-bit RC/SC/FMT field of the packet at {@code off}. */
  public static int count(byte[] buf, int off) {
    return buf[off] & 0x1F;
  }

  public static boolean hasPadding(byte[] buf, int off) {
    return (buf[off] & 0x20) != 0;
  }

  public static int packetType(byte[] buf, int off) {
    return buf[off + 1] & 0xFF;
  }

  /**
   * End (exclusive, absolute) of the packet's content once RFC 3550 §6.4.1 padding is removed: the
   * last octet counts the padding, itself included, and must fit after the header.
   */
  static int contentEnd(byte[] buf, int off, int len) throws RtcpParseException {
    if (!hasPadding(buf, off)) {
      return off + len;
    }
    int pad = buf[off + len - 1] & 0xFF;
    if (pad == 0 || pad > len - LENGTH) {
      throw new RtcpParseException("bad RTCP padding");
    }
    return off + len - pad;
  }

  /** Throws unless the packet's content holds at least {@code need} bytes after {@code off}. */
  static void require(int off, int end, int need, String what) throws RtcpParseException {
    if (end - off < need) {
      throw new RtcpParseException(what);
    }
  }
}
