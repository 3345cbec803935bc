package eu.visio.loadtest.bot;

/**
 * What a VP8 encoder's packetizer puts before the compressed data (RFC 7741): the payload
 * descriptor of every packet and, in the first packet of a frame, the payload header whose P bit
 * marks keyframes (§4.3), which is what the SFU reads to switch layers and answer keyframe
 * requests.
 */
public final class Vp8Payload {
  /** Descriptor length: X, then I (15-bit picture id), L (TL0PICIDX) and T (TID, Y). */
  public static final int DESCRIPTOR_LENGTH = 6;

  /**
   * Payload header length of a delta frame (frame tag only) and of a keyframe (+ start code, size).
   */
  public static final int DELTA_HEADER_LENGTH = 3;

  public static final int KEY_HEADER_LENGTH = 10;

  /** Temporal layer of the frames of an L1T3 pattern, by position since the last TL0 reset. */
  private static final int[] TEMPORAL_PATTERN = {0, 2, 1, 2};

  private Vp8Payload() {}

  /** Temporal layer id of frame {@code n} after a keyframe (the keyframe is n = 0). */
  public static int temporalId(long n) {
    return TEMPORAL_PATTERN[(int) (n & 3)];
  }

  /**
   * Writes the 6-byte descriptor at {@code off}: X=1, S on a frame's first packet, PID 0, then
   * I|L|T, the 15-bit picture id (M=1), TL0PICIDX and TID with the layer-sync bit.
   */
  public static int writeDescriptor(
      byte[] b, int off, boolean frameStart, int pictureId, int tl0PicIdx, int tid, boolean sync) {
    b[off] = (byte) (0x80 | (frameStart ? 0x10 : 0));
    b[off + 1] = (byte) 0xE0;
    b[off + 2] = (byte) (0x80 | (pictureId >>> 8 & 0x7F));
    b[off + 3] = (byte) pictureId;
    b[off + 4] = (byte) tl0PicIdx;
    b[off + 5] = (byte) (tid << 6 | (sync ? 0x20 : 0));
    return DESCRIPTOR_LENGTH;
  }

  /**
   * Writes a frame's payload header at {@code off} (RFC 6386 §9.1): the 3-byte frame tag (P = 0 on
   * a keyframe, version 0, shown, first partition size), and on a keyframe the start code and the
   * 14-bit width and height (scale 0).
   */
  public static int writeHeader(
      byte[] b, int off, boolean keyframe, int firstPartitionSize, int width, int height) {
    int size = firstPartitionSize & 0x7FFFF;
    int tag = (keyframe ? 0 : 1) | 0x10 | size << 5; // P, version 0, show_frame, size
    b[off] = (byte) tag;
    b[off + 1] = (byte) (tag >>> 8);
    b[off + 2] = (byte) (tag >>> 16);
    if (!keyframe) {
      return DELTA_HEADER_LENGTH;
    }
    b[off + 3] = (byte) 0x9d;
    b[off + 4] = (byte) 0x01;
    b[off + 5] = (byte) 0x2a;
    b[off + 6] = (byte) width;
    b[off + 7] = (byte) (width >>> 8 & 0x3F);
    b[off + 8] = (byte) height;
    b[off + 9] = (byte) (height >>> 8 & 0x3F);
    return KEY_HEADER_LENGTH;
  }

  /**
   * Packets for a frame of {@code frameBytes} when each carries at most {@code maxPayload} bytes of
   * frame data: libwebrtc splits a frame into that many packets of nearly equal size.
   */
  public static int packetCount(int frameBytes, int maxPayload) {
    return Math.max(1, (frameBytes + maxPayload - 1) / maxPayload);
  }

  /** Frame data bytes in packet {@code i} of {@code n} for a frame of {@code frameBytes}. */
  public static int packetSize(int frameBytes, int n, int i) {
    int base = frameBytes / n;
    return i < frameBytes % n ? base + 1 : base;
  }
}
