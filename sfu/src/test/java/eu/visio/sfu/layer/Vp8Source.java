package eu.visio.sfu.layer;

/**
 * A simulated simulcast VP8 publisher for tests: each encoding has its own sequence numbers,
 * timestamps, picture ids and TL0PICIDX, and an L1T3 temporal pattern (TID 0,2,1,2,...), the way
 * libwebrtc sends three temporal layers. Each frame is {@code packetsPerFrame} packets. Layer sync
 * (Y) is set on the first TID 1 and TID 2 frames after each keyframe.
 */
final class Vp8Source {
  static final int[] L1T3 = {0, 2, 1, 2};

  /** One packet as the SFU receives it: its encoding, RTP fields and VP8 payload. */
  static final class Packet {
    private final int spatial;
    private final int seq;
    private final int ts;
    private final byte[] payload;

    Packet(int spatial, int seq, int ts, byte[] payload) {
      this.spatial = spatial;
      this.seq = seq;
      this.ts = ts;
      this.payload = payload;
    }

    int spatial() {
      return spatial;
    }

    int seq() {
      return seq;
    }

    int ts() {
      return ts;
    }

    byte[] payload() {
      return payload;
    }
  }

  private final int spatial;
  private final int packetsPerFrame;
  private int seq;
  private int ts;
  private int pictureId;
  private int tl0PicIdx;
  private int frame;
  private boolean keyNext;
  private boolean syncTl1;
  private boolean syncTl2;

  Vp8Source(int spatial, int firstSeq, int firstTs, int firstPictureId, int firstTl0, int ppf) {
    this.spatial = spatial;
    this.seq = firstSeq;
    this.ts = firstTs;
    this.pictureId = firstPictureId;
    this.tl0PicIdx = firstTl0;
    this.packetsPerFrame = ppf;
    this.keyNext = true;
  }

  /** Makes the next frame a keyframe (restarting the temporal pattern). */
  void keyframe() {
    keyNext = true;
  }

  /** The TID of the frame {@link #frame} would produce next. */
  int nextTid() {
    return keyNext ? 0 : L1T3[frame % L1T3.length];
  }

  /** The packets of the next frame. */
  Packet[] frame() {
    boolean key = keyNext;
    if (key) {
      frame = 0;
      syncTl1 = true;
      syncTl2 = true;
      keyNext = false;
    }
    int tid = L1T3[frame % L1T3.length];
    if (tid == 0) {
      tl0PicIdx = (tl0PicIdx + 1) & 0xFF;
    }
    boolean sync = (tid == 1 && syncTl1) || (tid == 2 && syncTl2);
    if (tid == 1) {
      syncTl1 = false;
    } else if (tid == 2) {
      syncTl2 = false;
    }
    Packet[] out = new Packet[packetsPerFrame];
    for (int i = 0; i < packetsPerFrame; i++) {
      byte[] p = new byte[8];
      p[0] = (byte) (0x80 | (i == 0 ? 0x10 : 0)); // X, S on the first packet, PID 0
      p[1] = (byte) 0xE0; // I L T
      p[2] = (byte) (0x80 | (pictureId >>> 8));
      p[3] = (byte) pictureId;
      p[4] = (byte) tl0PicIdx;
      p[5] = (byte) ((tid << 6) | (sync ? 0x20 : 0));
      p[6] = (byte) (i == 0 && key ? 0x10 : 0x11); // payload header, P=0 on a keyframe
      p[7] = (byte) seq;
      out[i] = new Packet(spatial, seq, ts, p);
      seq = (seq + 1) & 0xFFFF;
    }
    pictureId = (pictureId + 1) & 0x7FFF;
    ts += 3000;
    frame++;
    return out;
  }
}
