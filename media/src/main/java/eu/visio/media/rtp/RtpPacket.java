package eu.visio.media.rtp;

import java.util.Arrays;

/**
 * A mutable view of one RTP packet (RFC 3550 §5.1) inside a caller-owned buffer. One instance is
 * meant to be reused for every packet of a worker: {@link #wrap} validates the header and indexes
 * the RFC 8285 header extensions into fixed int tables, so steady-state use allocates nothing.
 *
 * <p>Setters write straight through to the wrapped buffer. Getters and setters must only be called
 * after {@link #wrap} returned {@code true}; nothing here throws on malformed input.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * |                           timestamp                           |
 * |           synchronization source (SSRC) identifier            |
 * |            contributing source (CSRC) identifiers             |
 * </pre>
 */
public final class RtpPacket {
  /** Length of the fixed header, before CSRCs and extensions. */
  public static final int FIXED_HEADER_LENGTH = 12;

  /** RFC 8285 §4.2 one-byte header profile marker. */
  public static final int ONE_BYTE_PROFILE = 0xBEDE;

  /** RFC 8285 §4.3 two-byte header profile marker; the low 4 "appbits" are free. */
  public static final int TWO_BYTE_PROFILE = 0x1000;

  /** Highest extension id (two-byte form); one-byte ids stop at 14. */
  public static final int MAX_EXTENSION_ID = 255;

  private static final int NO_EXTENSION = -1;

  private byte[] buf;
  private int off;
  private int len;
  private int headerLength;
  private int payloadLength;
  private int extensionBlock = NO_EXTENSION;

  // Extension index, valid for an id only when extGen[id] == gen: bumping gen invalidates the
  // whole table in O(1) instead of clearing 256 slots per packet.
  private final int[] extOffset = new int[MAX_EXTENSION_ID + 1];
  private final int[] extLength = new int[MAX_EXTENSION_ID + 1];
  private final int[] extGen = new int[MAX_EXTENSION_ID + 1];
  private int gen;

  /**
   * Points this view at {@code buf[off, off+len)} and validates it. Returns false (and leaves the
   * view unusable) for: bounds outside the array, fewer than 12 bytes, version other than 2, CSRC
   * list longer than the packet, padding count of zero or longer than what follows the header, an
   * extension block that overruns the packet, or an RFC 8285 element that overruns its block.
   */
  public boolean wrap(byte[] buf, int off, int len) {
    this.buf = null;
    if (buf == null || off < 0 || len < FIXED_HEADER_LENGTH || off > buf.length - len) {
      return false;
    }
    int b0 = buf[off] & 0xFF;
    if ((b0 >>> 6) != 2) {
      return false;
    }
    int pos = FIXED_HEADER_LENGTH + 4 * (b0 & 0x0F);
    if (pos > len) {
      return false;
    }
    int end = len;
    if ((b0 & 0x20) != 0) {
      // RFC 3550 §5.1: the last octet counts the padding, itself included, so 0 is invalid.
      int pad = buf[off + len - 1] & 0xFF;
      if (pad == 0 || pad > len - pos) {
        return false;
      }
      end = len - pad;
    }
    this.buf = buf;
    this.off = off;
    this.len = len;
    nextGeneration();
    extensionBlock = NO_EXTENSION;
    if ((b0 & 0x10) != 0) {
      if (pos + 4 > end) {
        this.buf = null;
        return false;
      }
      int words = u16(off + pos + 2);
      int dataEnd = pos + 4 + 4 * words;
      if (dataEnd > end || !indexExtensions(u16(off + pos), off + pos + 4, off + dataEnd)) {
        this.buf = null;
        return false;
      }
      extensionBlock = off + pos;
      pos = dataEnd;
    }
    headerLength = pos;
    payloadLength = end - pos;
    return true;
  }

  private void nextGeneration() {
    if (++gen == 0) {
      Arrays.fill(extGen, 0);
      gen = 1;
    }
  }

  /** Indexes elements in absolute range [start, end); false if one overruns the block. */
  private boolean indexExtensions(int profile, int start, int end) {
    if (profile == ONE_BYTE_PROFILE) {
      int p = start;
      while (p < end) {
        int b = buf[p] & 0xFF;
        if (b == 0) {
          p++; // RFC 8285 §4.2: padding byte between or after elements
          continue;
        }
        int id = b >>> 4;
        if (id == 15) {
          break; // RFC 8285 §4.2: id 15 is reserved, stop parsing the block here
        }
        int l = (b & 0x0F) + 1;
        if (p + 1 + l > end) {
          return false;
        }
        index(id, p + 1, l);
        p += 1 + l;
      }
    } else if ((profile & 0xFFF0) == TWO_BYTE_PROFILE) {
      int p = start;
      while (p < end) {
        int id = buf[p] & 0xFF;
        if (id == 0) {
          p++; // RFC 8285 §4.3: single padding byte
          continue;
        }
        if (p + 2 > end) {
          return false;
        }
        int l = buf[p + 1] & 0xFF;
        if (p + 2 + l > end) {
          return false;
        }
        index(id, p + 2, l);
        p += 2 + l;
      }
    }
    // Other profiles (RFC 3550 §5.3.1) are opaque: skipped, no ids.
    return true;
  }

  private void index(int id, int valueOffset, int valueLength) {
    if (extGen[id] == gen) {
      return; // a repeated id is invalid per RFC 8285; the first occurrence wins
    }
    extGen[id] = gen;
    extOffset[id] = valueOffset;
    extLength[id] = valueLength;
  }

  /** Demux per RFC 7983 §7: first byte 128..191 is RTP or RTCP. */
  public static boolean isRtpOrRtcp(byte first) {
    return (first & 0xC0) == 0x80;
  }

  /**
   * RFC 5761 §4: with rtcp-mux, a packet whose second octet is 192..223 is RTCP (those values are
   * RTP payload types 64..95 with the marker set, which must not be used for RTP).
   */
  public static boolean isRtcp(byte[] buf, int off, int len) {
    if (buf == null || off < 0 || len < 4 || off > buf.length - len || !isRtpOrRtcp(buf[off])) {
      return false;
    }
    int pt = buf[off + 1] & 0xFF;
    return pt >= 192 && pt <= 223;
  }

  public byte[] buffer() {
    return buf;
  }

  /** Absolute offset of the first header byte in {@link #buffer()}. */
  public int offset() {
    return off;
  }

  /** Whole packet length, padding included. */
  public int length() {
    return len;
  }

  public int version() {
    return (buf[off] & 0xFF) >>> 6;
  }

  public boolean hasPadding() {
    return (buf[off] & 0x20) != 0;
  }

  public boolean hasExtension() {
    return (buf[off] & 0x10) != 0;
  }

  public int csrcCount() {
    return buf[off] & 0x0F;
  }

  /** The i-th contributing source, 0 <= i < {@link #csrcCount()}. */
  public int csrc(int i) {
    return u32(off + FIXED_HEADER_LENGTH + 4 * i);
  }

  public boolean marker() {
    return (buf[off + 1] & 0x80) != 0;
  }

  public int payloadType() {
    return buf[off + 1] & 0x7F;
  }

  /** Unsigned 16-bit sequence number. */
  public int sequenceNumber() {
    return u16(off + 2);
  }

  /** The 32-bit timestamp, unsigned value held in an int (compare with {@link SequenceNumbers}). */
  public int timestamp() {
    return u32(off + 4);
  }

  /** The SSRC; the unsigned value is {@code Integer.toUnsignedLong(ssrc())}. */
  public int ssrc() {
    return u32(off + 8);
  }

  /** Bytes from the first header byte to the payload: fixed header, CSRCs and extension block. */
  public int headerLength() {
    return headerLength;
  }

  /** Absolute offset of the payload in {@link #buffer()}. */
  public int payloadOffset() {
    return off + headerLength;
  }

  /** Payload length with padding stripped. */
  public int payloadLength() {
    return payloadLength;
  }

  public int paddingLength() {
    return len - headerLength - payloadLength;
  }

  /** The extension block's 16-bit profile (0xBEDE, 0x100x, ...), or -1 when there is none. */
  public int extensionProfile() {
    return extensionBlock == NO_EXTENSION ? -1 : u16(extensionBlock);
  }

  /** Absolute offset of the extension block header (profile word), or -1 when there is none. */
  public int extensionBlockOffset() {
    return extensionBlock;
  }

  /** Absolute offset of the value of extension {@code id} in {@link #buffer()}, or -1. */
  public int extensionOffset(int id) {
    return hasExtensionId(id) ? extOffset[id] : -1;
  }

  /** Length of the value of extension {@code id} (0..255), or -1 when absent. */
  public int extensionLength(int id) {
    return hasExtensionId(id) ? extLength[id] : -1;
  }

  private boolean hasExtensionId(int id) {
    return id > 0 && id <= MAX_EXTENSION_ID && extGen[id] == gen;
  }

  public void setMarker(boolean marker) {
    buf[off + 1] = (byte) (marker ? buf[off + 1] | 0x80 : buf[off + 1] & 0x7F);
  }

  /** Sets the 7-bit payload type, keeping the marker bit. */
  public void setPayloadType(int pt) {
    buf[off + 1] = (byte) ((buf[off + 1] & 0x80) | (pt & 0x7F));
  }

  public void setSequenceNumber(int seq) {
    buf[off + 2] = (byte) (seq >>> 8);
    buf[off + 3] = (byte) seq;
  }

  public void setTimestamp(int ts) {
    putU32(off + 4, ts);
  }

  public void setSsrc(int ssrc) {
    putU32(off + 8, ssrc);
  }

  /**
   * Overwrites the value of extension {@code id} with the low bytes of {@code value}, big-endian,
   * over the element's existing length (1..8 bytes), e.g. a transport-wide sequence number (2) or
   * abs-send-time (3). Returns false when the id is absent or its value is empty or longer than 8.
   */
  public boolean writeExtension(int id, long value) {
    int l = extensionLength(id);
    if (l < 1 || l > 8) {
      return false;
    }
    int p = extOffset[id];
    for (int i = l - 1; i >= 0; i--) {
      buf[p + i] = (byte) value;
      value >>>= 8;
    }
    return true;
  }

  /**
   * Copies {@code length} bytes over the value of extension {@code id}. The length must equal the
   * existing element length (the block cannot grow in place; use {@link RtpHeaderExtensionWriter}
   * to rebuild). Returns false otherwise.
   */
  public boolean writeExtension(int id, byte[] src, int srcOff, int length) {
    if (extensionLength(id) != length
        || src == null
        || srcOff < 0
        || length > src.length - srcOff) {
      return false;
    }
    System.arraycopy(src, srcOff, buf, extOffset[id], length);
    return true;
  }

  /**
   * Reads extension {@code id} as a big-endian unsigned value (1..7 bytes), or -1 when absent or of
   * another length (read longer values through {@link #extensionOffset}).
   */
  public long readExtension(int id) {
    int l = extensionLength(id);
    if (l < 1 || l > 7) {
      return -1;
    }
    long v = 0;
    int p = extOffset[id];
    for (int i = 0; i < l; i++) {
      v = (v << 8) | (buf[p + i] & 0xFF);
    }
    return v;
  }

  private int u16(int p) {
    return ((buf[p] & 0xFF) << 8) | (buf[p + 1] & 0xFF);
  }

  private int u32(int p) {
    return ((buf[p] & 0xFF) << 24)
        | ((buf[p + 1] & 0xFF) << 16)
        | ((buf[p + 2] & 0xFF) << 8)
        | (buf[p + 3] & 0xFF);
  }

  private void putU32(int p, int v) {
    buf[p] = (byte) (v >>> 24);
    buf[p + 1] = (byte) (v >>> 16);
    buf[p + 2] = (byte) (v >>> 8);
    buf[p + 3] = (byte) v;
  }
}
