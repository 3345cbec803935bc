package eu.visio.sfu.layer;

/**
 * Rewrites the VP8 payload descriptor (RFC 7741 §4.2) for one subscriber, so that it sees one
 * continuous stream across simulcast layer switches (each encoding numbers its pictures on its own)
 * and across frames we drop (upper temporal layers).
 *
 * <ul>
 *   <li><b>PictureID</b> is mapped with a {@link SequenceRewriter}: a dropped frame moves later
 *       picture ids back by one, so the subscriber sees no missing picture; a frame lost on the
 *       network keeps its gap. At a switch, the new layer's keyframe gets the id after the last
 *       one.
 *   <li><b>TL0PICIDX</b> counts base-layer frames. Dropping upper temporal layers never skips one,
 *       so it only needs an offset at a switch; a dropped base-layer frame is still recorded, like
 *       a picture id, in case it is ever dropped alone.
 *   <li><b>KEYIDX</b> only changes meaning at a switch: it gets an offset so it keeps counting.
 * </ul>
 *
 * <p>Field sizes: every field is rewritten in place and keeps its size, so the packet length never
 * changes. Picture ids are mapped in the number space of the source's field at the switch: 15-bit
 * sources (what browsers send) keep 15-bit wrap arithmetic; a 7-bit source keeps 7-bit wrap
 * arithmetic (a reorder window of 32 pictures). If a switch moves between sizes, the new space
 * continues from the old one modulo 2^7, the most a 7-bit field can carry. A packet whose field
 * size differs from its source's switch packet is mapped through the nearest value in the switch's
 * space and written in its own size.
 *
 * <p>Feed only packets of the stream being forwarded ({@link LayerSelector.Decision#FORWARD},
 * {@link LayerSelector.Decision#SWITCH} and {@link LayerSelector.Decision#DROP_IN_STREAM}). Not
 * thread-safe; no allocation.
 */
public final class Vp8Munger {
  private final SequenceRewriter pictureIds15 = new SequenceRewriter(15, 256);
  private final SequenceRewriter pictureIds7 = new SequenceRewriter(7, 32);
  private SequenceRewriter pictureIds = pictureIds15;
  private final SequenceRewriter tl0PicIdx = new SequenceRewriter(8, 64);
  private boolean keyIdxStarted;
  private int keyIdxOffset;
  private int lastKeyIdx;

  private int pictureIdOut = Vp8Descriptor.ABSENT;
  private int tl0PicIdxOut = Vp8Descriptor.ABSENT;
  private int keyIdxOut = Vp8Descriptor.ABSENT;

  /**
   * Starts a new source at {@code keyframe}, the first packet of one of its keyframes: its picture
   * id, TL0PICIDX and KEYIDX continue right after the last ones sent.
   */
  public void switchTo(Vp8Descriptor keyframe) {
    if (keyframe.pictureId() >= 0) {
      SequenceRewriter next = keyframe.pictureIdBits() == 15 ? pictureIds15 : pictureIds7;
      if (pictureIds.started()) {
        next.switchTo(keyframe.pictureId(), pictureIds.nextOutput());
      } else {
        next.switchTo(keyframe.pictureId());
      }
      pictureIds = next;
    }
    if (keyframe.tl0PicIdx() >= 0) {
      tl0PicIdx.switchTo(keyframe.tl0PicIdx());
    }
    if (keyframe.keyIdx() >= 0) {
      keyIdxOffset = keyIdxStarted ? lastKeyIdx + 1 - keyframe.keyIdx() : 0;
      keyIdxStarted = true;
    }
  }

  /**
   * Maps the fields of a packet we forward and writes them into the descriptor copy starting at
   * {@code off} of {@code b}: {@link #map} then {@link #write}. Returns false, writing nothing,
   * when the packet must not be sent.
   */
  public boolean rewrite(Vp8Descriptor d, byte[] b, int off) {
    if (!map(d)) {
      return false;
    }
    write(d, b, off);
    return true;
  }

  /**
   * Maps the fields of a packet we forward (see {@link #pictureIdOut()} and friends). Returns false
   * when it belongs to a picture that was dropped before, or is too old or from before the switch:
   * it must not be sent. Mapping is separate from writing because the source buffer is shared by
   * every subscriber: each one writes into its own copy.
   */
  public boolean map(Vp8Descriptor d) {
    if (!d.valid()) {
      return false;
    }
    int pid = Vp8Descriptor.ABSENT;
    if (d.pictureId() >= 0) {
      pid = pictureIds.forward(pictureIdInput(d));
      if (pid == SequenceRewriter.REJECTED) {
        return false;
      }
    }
    int tl0 = Vp8Descriptor.ABSENT;
    if (d.tl0PicIdx() >= 0) {
      tl0 = tl0PicIdx.forward(d.tl0PicIdx());
      if (tl0 == SequenceRewriter.REJECTED) {
        return false; // its base-layer frame was dropped: undecodable
      }
    }
    pictureIdOut = pid;
    tl0PicIdxOut = tl0;
    keyIdxOut = Vp8Descriptor.ABSENT;
    if (d.keyIdx() >= 0) {
      if (!keyIdxStarted) {
        keyIdxStarted = true;
        keyIdxOffset = 0;
      }
      lastKeyIdx = (d.keyIdx() + keyIdxOffset) & 0x1F;
      keyIdxOut = lastKeyIdx;
    }
    return true;
  }

  /**
   * Writes the values of the last successful {@link #map} of {@code d} into the descriptor copy
   * starting at {@code off} of {@code b}, each field in place in its own size.
   */
  public void write(Vp8Descriptor d, byte[] b, int off) {
    if (pictureIdOut >= 0) {
      d.writePictureId(b, off, pictureIdOut);
    }
    if (tl0PicIdxOut >= 0) {
      d.writeTl0PicIdx(b, off, tl0PicIdxOut);
    }
    if (keyIdxOut >= 0) {
      d.writeKeyIdx(b, off, keyIdxOut);
    }
  }

  /**
   * Records a packet of the forwarded stream that we drop (its whole frame is dropped), so later
   * pictures close up. Idempotent per picture.
   */
  public void drop(Vp8Descriptor d) {
    if (!d.valid()) {
      return;
    }
    if (d.pictureId() >= 0) {
      pictureIds.drop(pictureIdInput(d));
    }
    // TL0PICIDX is shared by a base frame and the upper-layer frames after it: only dropping the
    // base frame itself removes a value.
    if (d.tl0PicIdx() >= 0 && d.tid() == 0) {
      tl0PicIdx.drop(d.tl0PicIdx());
    }
  }

  /** Picture id of the last successful {@link #map}, or -1 when absent. */
  public int pictureIdOut() {
    return pictureIdOut;
  }

  /** TL0PICIDX of the last successful {@link #map}, or -1 when absent. */
  public int tl0PicIdxOut() {
    return tl0PicIdxOut;
  }

  /** KEYIDX of the last successful {@link #map}, or -1 when absent. */
  public int keyIdxOut() {
    return keyIdxOut;
  }

  /** Pictures dropped whose id could not be taken back (left as a gap), for diagnostics. */
  public long pictureIdGaps() {
    return pictureIds15.gapCount() + pictureIds7.gapCount();
  }

  /** The packet's picture id in the current mapper's space (see the class comment). */
  private int pictureIdInput(Vp8Descriptor d) {
    int in = d.pictureId();
    if (d.pictureIdBits() == 7 && pictureIds == pictureIds15 && pictureIds.started()) {
      // Nearest 15-bit value to the newest input with these low 7 bits.
      int ref = pictureIds.newestInput();
      int delta = ((in - ref) << 25) >> 25;
      return (ref + delta) & 0x7FFF;
    }
    return in; // a 15-bit id under a 7-bit source is reduced by the mapper itself
  }
}
