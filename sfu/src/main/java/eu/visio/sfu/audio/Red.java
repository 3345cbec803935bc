package eu.visio.sfu.audio;

/**
 * RFC 2198 redundant audio payloads, read and rewritten in place. A RED payload is a list of block
 * headers followed by the blocks' data, the primary (newest) encoding last:
 *
 * <pre>
 *  redundant block header:             primary block header:
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   +-+-+-+-+-+-+-+-+
 *  |F|   block PT  |  timestamp offset         |   block length    |   |0|   Block PT  |
 *  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+   +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Browsers (Chrome's Opus RED) put one or two earlier Opus frames before the primary, so a lost
 * packet is recovered from the next one without a retransmission. The SFU passes RED through to
 * subscribers that negotiated it, rewriting the block payload types into theirs, and hands the
 * primary frame alone to the others. Static, allocation-free, never throws on malformed input.
 */
public final class Red {
  /** RFC 2198 §3 allows at most this many redundant blocks in practice (Chrome sends up to 2). */
  static final int MAX_BLOCKS = 16;

  private Red() {}

  /**
   * Offset of the primary block's data in the payload at {@code off}, or -1 when the payload is
   * malformed (headers or block lengths run past its end, or too many blocks). The primary's
   * payload type is the low 7 bits of the byte just before the headers end: see {@link
   * #primaryPayloadType}.
   */
  public static int primaryOffset(byte[] b, int off, int len) {
    int end = off + len;
    int p = off;
    int data = 0;
    for (int blocks = 0; blocks <= MAX_BLOCKS; blocks++) {
      if (p >= end) {
        return -1;
      }
      if ((b[p] & 0x80) == 0) {
        int primary = p + 1 + data;
        return primary <= end ? primary : -1;
      }
      if (p + 4 > end) {
        return -1;
      }
      data += ((b[p + 2] & 0x03) << 8) | (b[p + 3] & 0xFF);
      p += 4;
    }
    return -1;
  }

  /** The primary block's payload type, or -1 when malformed. */
  public static int primaryPayloadType(byte[] b, int off, int len) {
    int end = off + len;
    for (int p = off, blocks = 0; p < end && blocks <= MAX_BLOCKS; p += 4, blocks++) {
      if ((b[p] & 0x80) == 0) {
        return b[p] & 0x7F;
      }
    }
    return -1;
  }

  /**
   * Rewrites every block header's payload type through {@code map} (-1 entries: unknown). Returns
   * false, leaving the payload partly rewritten, when a block type is unknown or the payload is
   * malformed; the caller then drops the packet.
   */
  public static boolean rewriteBlockTypes(byte[] b, int off, int len, byte[] map) {
    if (primaryOffset(b, off, len) < 0) {
      return false;
    }
    for (int p = off; ; p += 4) {
      int pt = map[b[p] & 0x7F];
      if (pt < 0) {
        return false;
      }
      b[p] = (byte) ((b[p] & 0x80) | pt);
      if ((b[p] & 0x80) == 0) {
        return true;
      }
    }
  }

  /**
   * Adapts a RED packet {@code p} already copied (header and payload, at the same offsets relative
   * to the packet start) to the start of {@code copy}, for a subscriber: with RED, its block
   * payload types are mapped through {@code map}; without (or when a redundant block's codec is
   * unknown to it), the copy becomes the primary block alone (starting at {@code primary} in {@code
   * p}'s buffer) under the primary's mapped payload type, padding dropped. Returns the copy's
   * length.
   */
  public static int adapt(
      eu.visio.media.rtp.RtpPacket p,
      int primary,
      byte[] copy,
      boolean subscriberHasRed,
      byte[] map) {
    int payloadAt = p.payloadOffset() - p.offset();
    if (subscriberHasRed && rewriteBlockTypes(copy, payloadAt, p.payloadLength(), map)) {
      return p.length();
    }
    int primaryPt = primaryPayloadType(p.buffer(), p.payloadOffset(), p.payloadLength());
    int primaryLength = p.payloadOffset() + p.payloadLength() - primary;
    System.arraycopy(p.buffer(), primary, copy, payloadAt, primaryLength);
    copy[0] &= (byte) 0xDF;
    copy[1] = (byte) ((copy[1] & 0x80) | map[primaryPt]);
    return payloadAt + primaryLength;
  }
}
