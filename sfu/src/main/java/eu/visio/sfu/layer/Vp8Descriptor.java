package eu.visio.sfu.layer;

/**
 * The VP8 payload descriptor (RFC 7741 §4.2) of one RTP packet, parsed in place. One instance is
 * reused for every packet: {@link #parse} overwrites all fields and allocates nothing.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |X|R|N|S|R| PID | (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * X:   |I|L|T|K| RSV   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PictureID   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 *      |   PictureID   | (present when M = 1: 15-bit picture id)
 *      +-+-+-+-+-+-+-+-+
 * L:   |   TL0PICIDX   | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * T/K: |TID|Y| KEYIDX  | (OPTIONAL)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>Field offsets are kept relative to the start of the descriptor, so a packet parsed in the
 * receive buffer can be rewritten in a copy (the send buffer) with {@link #writePictureId} and
 * friends, given the copy's payload offset.
 */
public final class Vp8Descriptor {
  /** Value of {@link #pictureId()}, {@link #tl0PicIdx()}, {@link #keyIdx()} when absent. */
  public static final int ABSENT = -1;

  private boolean valid;
  private boolean extended;
  private boolean nonReference;
  private boolean startOfPartition;
  private int partitionId;
  private int pictureId;
  private int pictureIdBits;
  private int pictureIdAt;
  private int tl0PicIdx;
  private int tl0PicIdxAt;
  private boolean hasTid;
  private int tid;
  private boolean layerSync;
  private int keyIdx;
  private int tidKeyIdxAt;
  private int length;
  private boolean keyframe;

  /**
   * Parses the descriptor at the start of a VP8 RTP payload. Returns false, never throws, when the
   * payload is too short for the fields its flags announce or carries no VP8 data after them; the
   * fields are then meaningless.
   */
  public boolean parse(byte[] b, int off, int len) {
    valid = false;
    pictureId = ABSENT;
    pictureIdBits = 0;
    pictureIdAt = ABSENT;
    tl0PicIdx = ABSENT;
    tl0PicIdxAt = ABSENT;
    hasTid = false;
    tid = 0;
    layerSync = false;
    keyIdx = ABSENT;
    tidKeyIdxAt = ABSENT;
    keyframe = false;
    if (b == null || off < 0 || len <= 0 || off > b.length - len) {
      return false;
    }
    int first = b[off] & 0xFF;
    extended = (first & 0x80) != 0;
    nonReference = (first & 0x20) != 0;
    startOfPartition = (first & 0x10) != 0;
    partitionId = first & 0x07;
    int p = 1;
    if (extended) {
      if (p >= len) {
        return false;
      }
      int x = b[off + p++] & 0xFF;
      if ((x & 0x80) != 0) { // I
        if (p >= len) {
          return false;
        }
        pictureIdAt = p;
        int hi = b[off + p] & 0xFF;
        if ((hi & 0x80) != 0) { // M: 15-bit picture id
          if (p + 1 >= len) {
            return false;
          }
          pictureId = ((hi & 0x7F) << 8) | (b[off + p + 1] & 0xFF);
          pictureIdBits = 15;
          p += 2;
        } else {
          pictureId = hi;
          pictureIdBits = 7;
          p++;
        }
      }
      if ((x & 0x40) != 0) { // L
        if (p >= len) {
          return false;
        }
        tl0PicIdxAt = p;
        tl0PicIdx = b[off + p++] & 0xFF;
      }
      // §4.2: the TID/Y/KEYIDX byte is present when T or K is set; each part is only meaningful
      // under its own flag.
      if ((x & 0x30) != 0) {
        if (p >= len) {
          return false;
        }
        tidKeyIdxAt = p;
        int tk = b[off + p++] & 0xFF;
        if ((x & 0x20) != 0) {
          hasTid = true;
          tid = tk >>> 6;
          layerSync = (tk & 0x20) != 0;
        }
        if ((x & 0x10) != 0) {
          keyIdx = tk & 0x1F;
        }
      }
    }
    if (p >= len) {
      return false; // a descriptor with no VP8 payload after it
    }
    length = p;
    // §4.3: the payload header starts the first packet of partition 0; P (bit 0) is 0 on a key
    // frame.
    keyframe = startOfPartition && partitionId == 0 && (b[off + p] & 0x01) == 0;
    valid = true;
    return true;
  }

  /** Whether the last {@link #parse} succeeded. */
  public boolean valid() {
    return valid;
  }

  /** X: extended control bits present. */
  public boolean extended() {
    return extended;
  }

  /** N: a non-reference frame, which can be discarded without affecting any other frame. */
  public boolean nonReference() {
    return nonReference;
  }

  /** S: the packet starts a VP8 partition. */
  public boolean startOfPartition() {
    return startOfPartition;
  }

  /** PID: the partition index (0..7). */
  public int partitionId() {
    return partitionId;
  }

  /** S=1 and PID=0: the first packet of a frame (§4.2). */
  public boolean frameStart() {
    return startOfPartition && partitionId == 0;
  }

  /** Picture id (7 or 15 bits, see {@link #pictureIdBits}), or {@link #ABSENT}. */
  public int pictureId() {
    return pictureId;
  }

  /** 15 when M=1, 7 when M=0, 0 when there is no picture id. */
  public int pictureIdBits() {
    return pictureIdBits;
  }

  /** TL0PICIDX, or {@link #ABSENT}. */
  public int tl0PicIdx() {
    return tl0PicIdx;
  }

  /** T: whether {@link #tid} and {@link #layerSync} are meaningful. */
  public boolean hasTid() {
    return hasTid;
  }

  /** Temporal layer index; 0 when T is not set (a stream without temporal layers is all base). */
  public int tid() {
    return tid;
  }

  /** Y: the frame depends only on the base layer, so a receiver can switch up to its layer here. */
  public boolean layerSync() {
    return layerSync;
  }

  /** KEYIDX (5 bits), or {@link #ABSENT}. */
  public int keyIdx() {
    return keyIdx;
  }

  /** Length of the descriptor in bytes; the VP8 payload (header) follows. */
  public int length() {
    return length;
  }

  /** First packet of a key frame: S=1, PID=0 and the payload header's P bit is 0 (§4.3). */
  public boolean keyframe() {
    return keyframe;
  }

  /**
   * Writes a picture id into the descriptor starting at {@code off} of {@code b}, keeping the
   * field's size: a 15-bit field gets {@code value mod 2^15}, a 7-bit field {@code value mod 2^7}.
   * The descriptor never changes length, so the packet can be rewritten in place.
   */
  public void writePictureId(byte[] b, int off, int value) {
    if (pictureIdAt < 0) {
      return;
    }
    int at = off + pictureIdAt;
    if (pictureIdBits == 15) {
      b[at] = (byte) (0x80 | ((value >>> 8) & 0x7F));
      b[at + 1] = (byte) value;
    } else {
      b[at] = (byte) (value & 0x7F);
    }
  }

  /** Writes TL0PICIDX (mod 256) into the descriptor at {@code off}, when the field is present. */
  public void writeTl0PicIdx(byte[] b, int off, int value) {
    if (tl0PicIdxAt >= 0) {
      b[off + tl0PicIdxAt] = (byte) value;
    }
  }

  /** Writes KEYIDX (mod 32) into the descriptor at {@code off}, when K is set; keeps TID and Y. */
  public void writeKeyIdx(byte[] b, int off, int value) {
    if (keyIdx >= 0) {
      int at = off + tidKeyIdxAt;
      b[at] = (byte) ((b[at] & 0xE0) | (value & 0x1F));
    }
  }

  @Override
  public String toString() {
    return "Vp8Descriptor{valid="
        + valid
        + ", N="
        + nonReference
        + ", S="
        + startOfPartition
        + ", PID="
        + partitionId
        + ", pictureId="
        + pictureId
        + "/"
        + pictureIdBits
        + ", tl0PicIdx="
        + tl0PicIdx
        + ", tid="
        + (hasTid ? tid : ABSENT)
        + ", Y="
        + layerSync
        + ", keyIdx="
        + keyIdx
        + ", length="
        + length
        + ", keyframe="
        + keyframe
        + "}";
  }
}
