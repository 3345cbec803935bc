package eu.visio.sfu.svc;

/**
 * Builds dependency descriptor extensions (AV1 RTP spec A.3) for fixtures: the mandatory fields,
 * and the extended ones when a structure, an active decode target mask or custom fields are set.
 */
final class DdBuilder {
  private boolean start = true;
  private boolean end = true;
  private int templateId;
  private int frame;
  private Structures.Structure structure;
  private int dtCount;
  private int chainCount;
  private Integer active;
  private int[] dtis;
  private int[] fdiffs;
  private int[] chains;

  /** A descriptor for a stream whose current structure is {@code s}. */
  static DdBuilder of(Structures.Structure s) {
    DdBuilder b = new DdBuilder();
    b.dtCount = s.decodeTargets();
    b.chainCount = s.chains();
    return b;
  }

  DdBuilder frame(boolean startOfFrame, boolean endOfFrame, int templateId, int frameNumber) {
    this.start = startOfFrame;
    this.end = endOfFrame;
    this.templateId = templateId;
    this.frame = frameNumber;
    return this;
  }

  DdBuilder attach(Structures.Structure s) {
    this.structure = s;
    this.dtCount = s.decodeTargets();
    this.chainCount = s.chains();
    return this;
  }

  DdBuilder active(int mask) {
    this.active = mask;
    return this;
  }

  DdBuilder customDtis(int... values) {
    this.dtis = values;
    return this;
  }

  DdBuilder customFdiffs(int... values) {
    this.fdiffs = values;
    return this;
  }

  DdBuilder customChains(int... values) {
    this.chains = values;
    return this;
  }

  byte[] bytes() {
    BitWriter w = new BitWriter();
    w.flag(start).flag(end).f(6, templateId).f(16, frame);
    boolean extended =
        structure != null || active != null || dtis != null || fdiffs != null || chains != null;
    if (extended) {
      w.flag(structure != null)
          .flag(active != null)
          .flag(dtis != null)
          .flag(fdiffs != null)
          .flag(chains != null);
      if (structure != null) {
        structure.write(w);
      }
      if (active != null) {
        w.f(dtCount, active);
      }
    }
    if (dtis != null) {
      for (int dt = 0; dt < dtCount; dt++) {
        w.f(2, dtis[dt]);
      }
    }
    if (fdiffs != null) {
      for (int d : fdiffs) {
        int v = d - 1;
        int size = v < 16 ? 1 : v < 256 ? 2 : 3;
        w.f(2, size).f(4 * size, v);
      }
      w.f(2, 0);
    }
    if (chains != null) {
      for (int c = 0; c < chainCount; c++) {
        w.f(8, chains[c]);
      }
    }
    return w.bytes();
  }
}
