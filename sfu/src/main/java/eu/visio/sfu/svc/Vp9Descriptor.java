package eu.visio.sfu.svc;

/**
 * The VP9 payload descriptor (RFC 9628 §4.2) of one RTP packet, parsed in place. One instance is
 * reused for every packet: {@link #parse} overwrites all fields, and the scalability structure goes
 * into arrays allocated once, so parsing allocates nothing.
 *
 * <pre>
 *       0 1 2 3 4 5 6 7
 *      +-+-+-+-+-+-+-+-+
 *      |I|P|L|F|B|E|V|Z| (REQUIRED)
 *      +-+-+-+-+-+-+-+-+
 * I:   |M| PICTURE ID  | (present when I = 1)
 *      +-+-+-+-+-+-+-+-+
 * M:   | EXTENDED PID  | (present when M = 1: 15-bit picture id)
 *      +-+-+-+-+-+-+-+-+
 * L:   |  TID  |U| SID |D| (present when L = 1)
 *      +-+-+-+-+-+-+-+-+
 *      |   TL0PICIDX   | (present when L = 1 and F = 0: non-flexible mode)
 *      +-+-+-+-+-+-+-+-+                             -\
 * P,F: | P_DIFF      |N| (present when P = 1, F = 1)  - up to 3 times
 *      +-+-+-+-+-+-+-+-+                             -/
 * V:   | SS            | (§4.2.1, present when V = 1)
 *      +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>The first byte is laid out as above; the TID field is three bits, SID three bits. Field
 * offsets are kept relative to the start of the descriptor, so a packet parsed in the receive
 * buffer can be rewritten in a copy later (picture id, TL0PICIDX) like {@code Vp8Descriptor}.
 */
public final class Vp9Descriptor {
  /** Value of {@link #pictureId()} and {@link #tl0PicIdx()} when absent. */
  public static final int ABSENT = -1;

  /** Most P_DIFFs a packet carries in flexible mode (§4.2: "up to 3 times"). */
  public static final int MAX_P_DIFFS = 3;

  /** Most spatial layers an SS describes (N_S is three bits). */
  public static final int MAX_SPATIAL_LAYERS = 8;

  /** Most pictures in an SS picture group (N_G is eight bits). */
  public static final int MAX_GROUP_PICTURES = 255;

  private boolean valid;
  private boolean pictureIdPresent;
  private boolean interPicturePredicted;
  private boolean layerIndicesPresent;
  private boolean flexible;
  private boolean startOfFrame;
  private boolean endOfFrame;
  private boolean ssPresent;
  private boolean notReferenceForUpperSpatial;
  private int pictureId;
  private int pictureIdBits;
  private int pictureIdAt;
  private int tid;
  private boolean switchingUp;
  private int sid;
  private boolean interLayerDependency;
  private int tl0PicIdx;
  private int tl0PicIdxAt;
  private int pDiffCount;
  private final int[] pDiffs = new int[MAX_P_DIFFS];
  private int length;

  // Scalability structure (§4.2.1), valid when ssPresent.
  private int spatialLayers;
  private boolean resolutionsPresent;
  private final int[] widths = new int[MAX_SPATIAL_LAYERS];
  private final int[] heights = new int[MAX_SPATIAL_LAYERS];
  private boolean groupPresent;
  private int groupSize;
  private final int[] groupTid = new int[MAX_GROUP_PICTURES];
  private final boolean[] groupSwitchingUp = new boolean[MAX_GROUP_PICTURES];
  private final int[] groupRefCount = new int[MAX_GROUP_PICTURES];
  private final int[] groupPDiffs = new int[MAX_GROUP_PICTURES * 3];

  /**
   * Parses the descriptor at the start of a VP9 RTP payload. Returns false, never throws, when the
   * payload is too short for the fields its flags announce, has more than three P_DIFFs, or carries
   * no VP9 data after the descriptor; the fields are then meaningless.
   */
  public boolean parse(byte[] b, int off, int len) {
    valid = false;
    pictureId = ABSENT;
    pictureIdBits = 0;
    pictureIdAt = ABSENT;
    tid = 0;
    switchingUp = false;
    sid = 0;
    interLayerDependency = false;
    tl0PicIdx = ABSENT;
    tl0PicIdxAt = ABSENT;
    pDiffCount = 0;
    spatialLayers = 0;
    resolutionsPresent = false;
    groupPresent = false;
    groupSize = 0;
    if (b == null || off < 0 || len <= 0 || off > b.length - len) {
      return false;
    }
    int first = b[off] & 0xFF;
    pictureIdPresent = (first & 0x80) != 0;
    interPicturePredicted = (first & 0x40) != 0;
    layerIndicesPresent = (first & 0x20) != 0;
    flexible = (first & 0x10) != 0;
    startOfFrame = (first & 0x08) != 0;
    endOfFrame = (first & 0x04) != 0;
    ssPresent = (first & 0x02) != 0;
    notReferenceForUpperSpatial = (first & 0x01) != 0;
    int p = 1;
    if (pictureIdPresent) {
      if (p >= len) {
        return false;
      }
      pictureIdAt = p;
      int hi = b[off + p] & 0xFF;
      if ((hi & 0x80) != 0) {
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
    if (layerIndicesPresent) {
      if (p >= len) {
        return false;
      }
      int l = b[off + p++] & 0xFF;
      tid = l >>> 5;
      switchingUp = (l & 0x10) != 0;
      sid = (l >>> 1) & 0x07;
      interLayerDependency = (l & 0x01) != 0;
      if (!flexible) {
        if (p >= len) {
          return false;
        }
        tl0PicIdxAt = p;
        tl0PicIdx = b[off + p++] & 0xFF;
      }
    }
    if (flexible && interPicturePredicted) {
      // §4.2: each P_DIFF byte's N bit announces another one, three at most.
      boolean more = true;
      while (more) {
        if (p >= len || pDiffCount == MAX_P_DIFFS) {
          return false;
        }
        int r = b[off + p++] & 0xFF;
        pDiffs[pDiffCount++] = r >>> 1;
        more = (r & 0x01) != 0;
      }
    }
    if (ssPresent) {
      p = parseScalabilityStructure(b, off, len, p);
      if (p < 0) {
        return false;
      }
    }
    if (p >= len) {
      return false; // a descriptor with no VP9 payload after it
    }
    length = p;
    valid = true;
    return true;
  }

  /**
   * §4.2.1: N_S|Y|G, then N_S+1 widths and heights when Y, then N_G and the picture group when G.
   * Returns the offset after it, or -1 when truncated.
   */
  private int parseScalabilityStructure(byte[] b, int off, int len, int at) {
    int p = at;
    if (p >= len) {
      return -1;
    }
    int v = b[off + p++] & 0xFF;
    spatialLayers = (v >>> 5) + 1;
    resolutionsPresent = (v & 0x10) != 0;
    groupPresent = (v & 0x08) != 0;
    if (resolutionsPresent) {
      if (len - p < spatialLayers * 4) {
        return -1;
      }
      for (int i = 0; i < spatialLayers; i++) {
        widths[i] = ((b[off + p] & 0xFF) << 8) | (b[off + p + 1] & 0xFF);
        heights[i] = ((b[off + p + 2] & 0xFF) << 8) | (b[off + p + 3] & 0xFF);
        p += 4;
      }
    }
    if (groupPresent) {
      if (p >= len) {
        return -1;
      }
      groupSize = b[off + p++] & 0xFF;
      for (int i = 0; i < groupSize; i++) {
        if (p >= len) {
          return -1;
        }
        int g = b[off + p++] & 0xFF;
        groupTid[i] = g >>> 5;
        groupSwitchingUp[i] = (g & 0x10) != 0;
        int refs = (g >>> 2) & 0x03;
        groupRefCount[i] = refs;
        if (len - p < refs) {
          return -1;
        }
        for (int r = 0; r < refs; r++) {
          groupPDiffs[i * 3 + r] = b[off + p++] & 0xFF;
        }
      }
    }
    return p;
  }

  /** Whether the last {@link #parse} succeeded. */
  public boolean valid() {
    return valid;
  }

  /** I: a picture id is present. */
  public boolean pictureIdPresent() {
    return pictureIdPresent;
  }

  /** P: the frame uses inter-picture prediction (references earlier pictures of its layer). */
  public boolean interPicturePredicted() {
    return interPicturePredicted;
  }

  /** L: layer indices (TID, U, SID, D) are present. */
  public boolean layerIndicesPresent() {
    return layerIndicesPresent;
  }

  /** F: flexible mode (references as P_DIFFs) rather than non-flexible (TL0PICIDX and SS). */
  public boolean flexible() {
    return flexible;
  }

  /** B: the packet starts a frame (one spatial layer of a picture). */
  public boolean startOfFrame() {
    return startOfFrame;
  }

  /** E: the packet ends a frame. */
  public boolean endOfFrame() {
    return endOfFrame;
  }

  /** V: a scalability structure is present. */
  public boolean ssPresent() {
    return ssPresent;
  }

  /** Z: the frame is not used for inter-layer prediction by the upper spatial layers. */
  public boolean notReferenceForUpperSpatial() {
    return notReferenceForUpperSpatial;
  }

  /** Picture id (7 or 15 bits, see {@link #pictureIdBits}), or {@link #ABSENT}. */
  public int pictureId() {
    return pictureId;
  }

  /** 15 when M=1, 7 when M=0, 0 when there is no picture id. */
  public int pictureIdBits() {
    return pictureIdBits;
  }

  /** Offset of the picture id field from the descriptor start, or {@link #ABSENT}. */
  public int pictureIdOffset() {
    return pictureIdAt;
  }

  /** TID: temporal layer index; 0 without layer indices. */
  public int tid() {
    return tid;
  }

  /**
   * U: a temporal switching-up point. Read as libwebrtc's encoder sets it (and as LiveKit and the
   * VP8 Y bit are used): this frame references only lower temporal layers, so a receiver of a lower
   * layer can start on this frame's layer here.
   */
  public boolean switchingUp() {
    return switchingUp;
  }

  /** SID: spatial layer index; 0 without layer indices. */
  public int sid() {
    return sid;
  }

  /** D: the frame depends on the frame of spatial layer SID-1 of the same picture. */
  public boolean interLayerDependency() {
    return interLayerDependency;
  }

  /** TL0PICIDX (non-flexible mode with layer indices), or {@link #ABSENT}. */
  public int tl0PicIdx() {
    return tl0PicIdx;
  }

  /** Offset of TL0PICIDX from the descriptor start, or {@link #ABSENT}. */
  public int tl0PicIdxOffset() {
    return tl0PicIdxAt;
  }

  /** Number of P_DIFFs (flexible mode, P=1): 1..3, else 0. */
  public int pDiffCount() {
    return pDiffCount;
  }

  /** The i-th P_DIFF: the referenced picture is {@code pictureId - pDiff(i)}. */
  public int pDiff(int i) {
    return pDiffs[i];
  }

  /** Length of the descriptor in bytes; the VP9 frame data follows. */
  public int length() {
    return length;
  }

  /**
   * The first packet of a key picture: B=1, P=0 and SID=0. A frame without inter-picture prediction
   * on the base spatial layer resets every reference, so a receiver can start on it; libwebrtc also
   * puts the SS on this packet (see {@link #ssPresent()}).
   */
  public boolean keyframe() {
    return startOfFrame && !interPicturePredicted && sid == 0;
  }

  /** SS: number of spatial layers (N_S + 1), 0 without an SS. */
  public int spatialLayers() {
    return spatialLayers;
  }

  /** SS Y: widths and heights are present. */
  public boolean resolutionsPresent() {
    return resolutionsPresent;
  }

  /** SS: width of spatial layer {@code i} when {@link #resolutionsPresent()}. */
  public int width(int i) {
    return widths[i];
  }

  /** SS: height of spatial layer {@code i} when {@link #resolutionsPresent()}. */
  public int height(int i) {
    return heights[i];
  }

  /** SS G: a picture group description is present. */
  public boolean groupPresent() {
    return groupPresent;
  }

  /** SS N_G: pictures in the group (0 without G). */
  public int groupSize() {
    return groupSize;
  }

  /** SS: TID of the group's picture {@code i}. */
  public int groupTid(int i) {
    return groupTid[i];
  }

  /** SS: U of the group's picture {@code i}. */
  public boolean groupSwitchingUp(int i) {
    return groupSwitchingUp[i];
  }

  /** SS R: number of references of the group's picture {@code i} (0..3). */
  public int groupRefCount(int i) {
    return groupRefCount[i];
  }

  /** SS: the {@code r}-th P_DIFF of the group's picture {@code i}. */
  public int groupPDiff(int i, int r) {
    return groupPDiffs[i * 3 + r];
  }

  @Override
  public String toString() {
    return "Vp9Descriptor{valid="
        + valid
        + ", pictureId="
        + pictureId
        + "/"
        + pictureIdBits
        + ", P="
        + interPicturePredicted
        + ", F="
        + flexible
        + ", B="
        + startOfFrame
        + ", E="
        + endOfFrame
        + ", V="
        + ssPresent
        + ", tid="
        + tid
        + ", U="
        + switchingUp
        + ", sid="
        + sid
        + ", D="
        + interLayerDependency
        + ", tl0PicIdx="
        + tl0PicIdx
        + ", pDiffs="
        + pDiffCount
        + ", length="
        + length
        + "}";
  }
}
