package eu.visio.sfu.svc;

/**
 * The AV1 RTP "Dependency Descriptor" header extension (AV1 RTP spec §A, <a
 * href="https://aomediacodec.github.io/av1-rtp-spec/#dependency-descriptor-rtp-header-extension">
 * dependency descriptor</a>) of one stream, parsed per packet and resolved against the stream's
 * latest {@link DependencyStructure}.
 *
 * <pre>
 * mandatory_descriptor_fields():  start_of_frame f(1), end_of_frame f(1),
 *                                 frame_dependency_template_id f(6), frame_number f(16)
 * extended_descriptor_fields():   (when the extension is longer than 3 bytes)
 *                                 template_dependency_structure_present_flag f(1),
 *                                 active_decode_targets_present_flag f(1),
 *                                 custom_dtis_flag f(1), custom_fdiffs_flag f(1),
 *                                 custom_chains_flag f(1), [structure], [active targets f(DtCnt)]
 * frame_dependency_definition():  [frame_dtis f(2) x DtCnt], [frame_fdiffs], [frame_chains f(8)]
 * </pre>
 *
 * <p>Use one instance per published stream (the structure is stream state), fed every packet in
 * arrival order. A packet that carries a structure replaces the current one (a new object is
 * allocated only when the structure differs from the current one: keyframes usually repeat it); all
 * other packets allocate nothing. The frame's spatial and temporal ids, DTIs, frame diffs and chain
 * diffs come from its template unless the packet carries custom ones.
 *
 * <p>Until a structure arrives, packets cannot be interpreted: {@link #parse} returns false and
 * {@link #missingStructure()} tells the caller to wait for (or ask for) a keyframe.
 */
public final class DependencyDescriptor {
  /** DTI: the frame is not part of the decode target ('-'). */
  public static final int NOT_PRESENT = 0;

  /** DTI: part of the decode target, but no later frame of the target depends on it ('D'). */
  public static final int DISCARDABLE = 1;

  /** DTI: a switch point: if it is decodable, so is every later frame of the target ('S'). */
  public static final int SWITCH = 2;

  /** DTI: part of the decode target, and needed by later frames of it ('R'). */
  public static final int REQUIRED = 3;

  private static final int MANDATORY_BYTES = 3;

  private final BitReader reader = new BitReader();
  private DependencyStructure structure;
  private DependencyStructure spare = new DependencyStructure();
  private int activeDecodeTargets;
  private long structuresReceived;
  private long structureChanges;

  private boolean valid;
  private boolean missingStructure;
  private boolean structureAttached;
  private boolean startOfFrame;
  private boolean endOfFrame;
  private int templateId;
  private int frameNumber;
  private int templateIndex;
  private boolean customDtis;
  private boolean customFdiffs;
  private boolean customChains;
  private final byte[] frameDti = new byte[DependencyStructure.MAX_DECODE_TARGETS];
  private int frameFdiffCount;
  private final int[] frameFdiff = new int[DependencyStructure.MAX_FDIFFS];
  private final int[] frameChainFdiff = new int[DependencyStructure.MAX_DECODE_TARGETS];

  /**
   * Parses the extension's {@code len} bytes at {@code off} of {@code b} (the element's data, as
   * {@code RtpPacket.extensionOffset/extensionLength} give it). Returns false, never throws, when
   * it is truncated or inconsistent, or refers to a structure not received; the per-packet fields
   * are then meaningless and the stream's structure is left as it was.
   */
  public boolean parse(byte[] b, int off, int len) {
    valid = false;
    missingStructure = false;
    structureAttached = false;
    customDtis = false;
    customFdiffs = false;
    customChains = false;
    if (b == null || off < 0 || len < MANDATORY_BYTES || off > b.length - len) {
      return false;
    }
    BitReader r = reader;
    r.reset(b, off, len);
    startOfFrame = r.flag();
    endOfFrame = r.flag();
    templateId = r.f(6);
    frameNumber = r.f(16);
    DependencyStructure s = structure;
    int active = activeDecodeTargets;
    if (len > MANDATORY_BYTES) {
      boolean structurePresent = r.flag();
      boolean activePresent = r.flag();
      customDtis = r.flag();
      customFdiffs = r.flag();
      customChains = r.flag();
      if (structurePresent) {
        DependencyStructure next = spare;
        next.clear();
        if (!next.read(r)) {
          return false;
        }
        s = next;
        structureAttached = true;
        active = allTargets(next.decodeTargets);
      }
      if (activePresent) {
        if (s == null) {
          missingStructure = true;
          return false;
        }
        active = r.f(s.decodeTargets);
      }
    }
    if (s == null) {
      missingStructure = true;
      return false;
    }
    // frame_dependency_definition()
    int index = (templateId + 64 - s.templateIdOffset) % 64;
    if (index >= s.templates) {
      return false;
    }
    templateIndex = index;
    if (customDtis) {
      for (int dt = 0; dt < s.decodeTargets; dt++) {
        frameDti[dt] = (byte) r.f(2);
      }
    }
    if (customFdiffs && !readFrameFdiffs(r)) {
      return false;
    }
    if (customChains) {
      for (int c = 0; c < s.chains; c++) {
        frameChainFdiff[c] = r.f(8);
      }
    }
    if (r.overflowed()) {
      return false;
    }
    if (structureAttached) {
      commitStructure(s);
    }
    activeDecodeTargets = active;
    valid = true;
    return true;
  }

  /** {@code frame_fdiffs()}: each diff in 4, 8 or 12 bits, announced by a 2-bit size. */
  private boolean readFrameFdiffs(BitReader r) {
    int n = 0;
    int size = r.f(2);
    while (size != 0) {
      if (n == DependencyStructure.MAX_FDIFFS || r.overflowed()) {
        return false;
      }
      frameFdiff[n++] = r.f(4 * size) + 1;
      size = r.f(2);
    }
    frameFdiffCount = n;
    return true;
  }

  /** Keeps the current structure when the new one only repeats it, so nothing is allocated. */
  private void commitStructure(DependencyStructure next) {
    structuresReceived++;
    if (next.sameAs(structure)) {
      return;
    }
    structure = next;
    spare = new DependencyStructure(); // the only allocation: a structure that really changed
    structureChanges++;
  }

  private static int allTargets(int count) {
    return count >= 32 ? -1 : (1 << count) - 1;
  }

  /** Whether the last {@link #parse} succeeded. */
  public boolean valid() {
    return valid;
  }

  /** The last {@link #parse} failed because no structure has been received yet. */
  public boolean missingStructure() {
    return missingStructure;
  }

  /** The stream's current structure, or null before the first one. */
  public DependencyStructure structure() {
    return structure;
  }

  /** The last packet carried a template dependency structure (usually a keyframe). */
  public boolean structureAttached() {
    return structureAttached;
  }

  /** Structures received, repeated ones included. */
  public long structuresReceived() {
    return structuresReceived;
  }

  /** Times the structure changed (a new {@link DependencyStructure} object). */
  public long structureChanges() {
    return structureChanges;
  }

  /**
   * {@code active_decode_targets_bitmask}: bit {@code dt} set when the encoder currently produces
   * decode target {@code dt}. All targets of a new structure are active until a packet says
   * otherwise.
   */
  public int activeDecodeTargets() {
    return activeDecodeTargets;
  }

  public boolean startOfFrame() {
    return startOfFrame;
  }

  public boolean endOfFrame() {
    return endOfFrame;
  }

  /** {@code frame_dependency_template_id}. */
  public int templateId() {
    return templateId;
  }

  /** {@code frame_number}: 16 bits, wrapping; all packets of a frame share it. */
  public int frameNumber() {
    return frameNumber;
  }

  /** Index of the frame's template in {@link #structure()}. */
  public int templateIndex() {
    return templateIndex;
  }

  /** {@code FrameSpatialId}. */
  public int spatialId() {
    return structure.templateSpatialId[templateIndex];
  }

  /** {@code FrameTemporalId}. */
  public int temporalId() {
    return structure.templateTemporalId[templateIndex];
  }

  /** Number of decode targets ({@code DtCnt}) of the current structure. */
  public int decodeTargets() {
    return structure.decodeTargets;
  }

  /** {@code FrameDti[dt]}: the frame's indication for decode target {@code dt}. */
  public int dti(int dt) {
    return customDtis ? frameDti[dt] : structure.dti(templateIndex, dt);
  }

  /** {@code FrameFdiffCnt}: number of frames this one depends on. */
  public int fdiffCount() {
    return customFdiffs ? frameFdiffCount : structure.templateFdiffCount[templateIndex];
  }

  /** {@code FrameFdiff[i]}: the frame depends on frame number {@code frameNumber - fdiff(i)}. */
  public int fdiff(int i) {
    return customFdiffs ? frameFdiff[i] : structure.fdiff(templateIndex, i);
  }

  /** {@code FrameChainFdiff[chain]}: distance to the previous frame of the chain (0: none). */
  public int chainFdiff(int chain) {
    return customChains ? frameChainFdiff[chain] : structure.chainFdiff(templateIndex, chain);
  }

  public boolean customDtis() {
    return customDtis;
  }

  public boolean customFdiffs() {
    return customFdiffs;
  }

  public boolean customChains() {
    return customChains;
  }

  @Override
  public String toString() {
    return "DependencyDescriptor{valid="
        + valid
        + ", start="
        + startOfFrame
        + ", end="
        + endOfFrame
        + ", template="
        + templateId
        + ", frame="
        + frameNumber
        + (valid ? ", sid=" + spatialId() + ", tid=" + temporalId() : "")
        + ", structure="
        + structureAttached
        + "}";
  }
}
