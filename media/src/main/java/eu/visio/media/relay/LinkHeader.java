package eu.visio.media.relay;

/**
 * The 3-byte header in front of each packet inside a DATA datagram (see the package comment): what
 * the packet is, its simulcast encoding and the track channel. A reusable view: {@link #wrap}
 * checks and reads, nothing is allocated.
 */
public final class LinkHeader {
  /** Bytes before the packet. */
  public static final int LENGTH = 3;

  /** The most encodings a channel carries (4 bits on the wire; browsers send at most 3 or 4). */
  public static final int MAX_ENCODINGS = 4;

  public static final int KIND_RTP = 0;
  public static final int KIND_SENDER_REPORT = 1;
  public static final int KIND_NACK = 2;
  public static final int KIND_PLI = 3;

  private static final int MIN_RTP = 12;
  private static final int MIN_RTCP = 8;

  private int kind;
  private int encoding;
  private int channel;
  private int payloadOffset;
  private int payloadLength;

  /**
   * Reads {@code buf[off, off + len)}: header, then a packet whose first bytes fit its kind (an RTP
   * or RTCP version 2 fixed header, a sender report, NACK or PLI packet type).
   */
  public void wrap(byte[] buf, int off, int len) throws LinkParseException {
    if (len < LENGTH) {
      throw new LinkParseException("short header");
    }
    int b = buf[off] & 0xFF;
    int k = b >>> 4;
    int e = b & 0x0F;
    int ch = ((buf[off + 1] & 0xFF) << 8) | (buf[off + 2] & 0xFF);
    if (ch == 0) {
      throw new LinkParseException("channel 0");
    }
    int p = off + LENGTH;
    int n = len - LENGTH;
    switch (k) {
      case KIND_RTP -> {
        if (e >= MAX_ENCODINGS) {
          throw new LinkParseException("encoding out of range");
        }
        if (n < MIN_RTP || (buf[p] & 0xC0) != 0x80) {
          throw new LinkParseException("not RTP");
        }
      }
      case KIND_SENDER_REPORT -> rtcp(buf, p, n, e, 200);
      case KIND_NACK -> rtcp(buf, p, n, e, 205);
      case KIND_PLI -> rtcp(buf, p, n, e, 206);
      default -> throw new LinkParseException("unknown kind");
    }
    this.kind = k;
    this.encoding = e;
    this.channel = ch;
    this.payloadOffset = p;
    this.payloadLength = n;
  }

  private static void rtcp(byte[] buf, int p, int n, int encoding, int packetType)
      throws LinkParseException {
    if (encoding != 0) {
      throw new LinkParseException("encoding on RTCP");
    }
    if (n < MIN_RTCP || (buf[p] & 0xC0) != 0x80 || (buf[p + 1] & 0xFF) != packetType) {
      throw new LinkParseException("not the RTCP its kind says");
    }
  }

  /** Writes a header at {@code buf[off]}; returns {@link #LENGTH}. */
  public static int write(byte[] buf, int off, int kind, int encoding, int channel) {
    buf[off] = (byte) ((kind << 4) | (encoding & 0x0F));
    buf[off + 1] = (byte) (channel >>> 8);
    buf[off + 2] = (byte) channel;
    return LENGTH;
  }

  public int kind() {
    return kind;
  }

  public int encoding() {
    return encoding;
  }

  public int channel() {
    return channel;
  }

  /** Where the packet starts in the wrapped buffer. */
  public int payloadOffset() {
    return payloadOffset;
  }

  public int payloadLength() {
    return payloadLength;
  }
}
