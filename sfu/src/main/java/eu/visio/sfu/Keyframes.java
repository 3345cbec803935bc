package eu.visio.sfu;

/**
 * Recognises the first packet of a keyframe from the RTP payload, per codec payload format. Only
 * reads the payload descriptor and first bytes; never allocates.
 */
public final class Keyframes {
  private Keyframes() {}

  /** Whether this payload starts (or contains the start of) an independently decodable frame. */
  public static boolean isKeyframe(String codec, byte[] b, int off, int len) {
    if (len <= 0) {
      return false;
    }
    // equalsIgnoreCase, not toUpperCase: called per packet, and SDP may spell the name "vp8".
    if (codec.equalsIgnoreCase("VP8")) {
      return vp8(b, off, len);
    } else if (codec.equalsIgnoreCase("VP9")) {
      return vp9(b, off, len);
    } else if (codec.equalsIgnoreCase("H264")) {
      return h264(b, off, len);
    } else if (codec.equalsIgnoreCase("AV1")) {
      return av1(b, off, len);
    }
    return false;
  }

  /**
   * RFC 7741 §4.2/§4.3: the VP8 payload header follows the descriptor; on the first packet of
   * partition 0 (S=1, PID=0) its P bit (bit 0 of the first byte) is 0 for a key frame.
   */
  static boolean vp8(byte[] b, int off, int len) {
    int p = off;
    int end = off + len;
    int d = b[p] & 0xFF;
    boolean extended = (d & 0x80) != 0;
    boolean start = (d & 0x10) != 0;
    int partition = d & 0x07;
    p++;
    if (extended) {
      if (p >= end) {
        return false;
      }
      int x = b[p++] & 0xFF;
      if ((x & 0x80) != 0) { // I: picture id, 7 or 15 bits
        if (p >= end) {
          return false;
        }
        p += (b[p] & 0x80) != 0 ? 2 : 1;
      }
      if ((x & 0x40) != 0) { // L: TL0PICIDX
        p++;
      }
      if ((x & 0x30) != 0) { // T or K: TID/KEYIDX byte
        p++;
      }
    }
    return start && partition == 0 && p < end && (b[p] & 0x01) == 0;
  }

  /**
   * VP9 payload descriptor (RFC 9628 §4.2): a packet that begins a frame (B) which is not
   * inter-picture predicted (P=0) starts a keyframe when it is the base spatial layer.
   */
  static boolean vp9(byte[] b, int off, int len) {
    int d = b[off] & 0xFF;
    boolean predicted = (d & 0x40) != 0;
    boolean begin = (d & 0x08) != 0;
    if (predicted || !begin) {
      return false;
    }
    boolean flexible = (d & 0x10) != 0;
    boolean layers = (d & 0x20) != 0;
    if (!layers) {
      return true;
    }
    int p = off + 1;
    int end = off + len;
    if ((d & 0x80) != 0) { // I: picture id
      if (p >= end) {
        return false;
      }
      p += (b[p] & 0x80) != 0 ? 2 : 1;
    }
    if (p >= end) {
      return false;
    }
    int spatialId = (b[p] >> 1) & 0x07;
    return spatialId == 0 || flexible && spatialId == 0;
  }

  /** RFC 6184: an IDR slice (5) or SPS (7), alone, in a STAP-A (24) or starting a FU-A (28). */
  static boolean h264(byte[] b, int off, int len) {
    int type = b[off] & 0x1F;
    switch (type) {
      case 5, 7 -> {
        return true;
      }
      case 24 -> {
        int p = off + 1;
        int end = off + len;
        while (p + 2 < end) {
          int size = ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
          int nal = b[p + 2] & 0x1F;
          if (nal == 5 || nal == 7) {
            return true;
          }
          p += 2 + size;
        }
        return false;
      }
      case 28 -> {
        return len > 1 && (b[off + 1] & 0x80) != 0 && (b[off + 1] & 0x1F) == 5;
      }
      default -> {
        return false;
      }
    }
  }

  /** AV1 RTP spec §4.4: the aggregation header's N bit marks a new coded video sequence. */
  static boolean av1(byte[] b, int off, int len) {
    return (b[off] & 0x08) != 0;
  }
}
