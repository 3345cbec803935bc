package eu.visio.sfu.svc;

import java.util.List;

/**
 * Template dependency structures written per AV1 RTP spec A.3.2, for fixtures: L1T3 and L3T3 (full
 * SVC) and L3T3_KEY (K-SVC), in the shape libwebrtc's scalability structures have. Decode target
 * {@code dt = 3 * sid + tid} for the three-layer ones. DTI strings use the spec's symbols: '-' not
 * present, 'D' discardable, 'S' switch, 'R' required.
 */
final class Structures {
  /** One frame template. Templates must be listed in (sid, tid) order, as template_layers() has. */
  record Template(int sid, int tid, String dtis, int[] fdiffs, int[] chainFdiffs) {}

  /** A structure to write. */
  record Structure(
      int templateIdOffset,
      int decodeTargets,
      List<Template> templates,
      int chains,
      int[] protectedBy,
      int[] widths,
      int[] heights) {

    /**
     * Index of the {@code nth} template (0-based, clamped to the last) at (sid, tid): for T0 the
     * first one is the keyframe's, the second the ordinary one.
     */
    int templateFor(int sid, int tid, int nth) {
      int found = -1;
      int seen = 0;
      for (int i = 0; i < templates.size(); i++) {
        Template t = templates.get(i);
        if (t.sid() == sid && t.tid() == tid) {
          found = i;
          if (seen++ == nth) {
            return i;
          }
        }
      }
      if (found < 0) {
        throw new IllegalArgumentException("no template s" + sid + "t" + tid);
      }
      return found;
    }

    /** The frame_dependency_template_id of template {@code index}. */
    int templateId(int index) {
      return (index + templateIdOffset) % 64;
    }

    void write(BitWriter w) {
      w.f(6, templateIdOffset).f(5, decodeTargets - 1);
      for (int i = 0; i < templates.size(); i++) {
        if (i == templates.size() - 1) {
          w.f(2, 3);
        } else {
          Template a = templates.get(i);
          Template b = templates.get(i + 1);
          if (b.sid() == a.sid() && b.tid() == a.tid()) {
            w.f(2, 0);
          } else if (b.sid() == a.sid() && b.tid() == a.tid() + 1) {
            w.f(2, 1);
          } else if (b.sid() == a.sid() + 1 && b.tid() == 0) {
            w.f(2, 2);
          } else {
            throw new IllegalArgumentException("templates out of order at " + i);
          }
        }
      }
      for (Template t : templates) {
        for (int dt = 0; dt < decodeTargets; dt++) {
          w.f(2, dti(t.dtis().charAt(dt)));
        }
      }
      for (Template t : templates) {
        for (int d : t.fdiffs()) {
          w.flag(true).f(4, d - 1);
        }
        w.flag(false);
      }
      w.ns(decodeTargets + 1, chains);
      if (chains > 0) {
        for (int dt = 0; dt < decodeTargets; dt++) {
          w.ns(chains, protectedBy[dt]);
        }
        for (Template t : templates) {
          for (int c = 0; c < chains; c++) {
            w.f(4, t.chainFdiffs()[c]);
          }
        }
      }
      w.flag(widths != null);
      if (widths != null) {
        for (int s = 0; s < widths.length; s++) {
          w.f(16, widths[s] - 1).f(16, heights[s] - 1);
        }
      }
    }
  }

  static int dti(char c) {
    return switch (c) {
      case '-' -> DependencyDescriptor.NOT_PRESENT;
      case 'D' -> DependencyDescriptor.DISCARDABLE;
      case 'S' -> DependencyDescriptor.SWITCH;
      case 'R' -> DependencyDescriptor.REQUIRED;
      default -> throw new IllegalArgumentException("dti " + c);
    };
  }

  private static Template t(int sid, int tid, String dtis, int[] fdiffs, int... chains) {
    return new Template(sid, tid, dtis, fdiffs, chains);
  }

  private static int[] d(int... fdiffs) {
    return fdiffs;
  }

  /** L1T3: pictures T0 T2 T1 T2; decode targets T0, T0-1, T0-2; one chain over the T0 frames. */
  static final Structure L1T3 =
      new Structure(
          1,
          3,
          List.of(
              t(0, 0, "SSS", d(), 0),
              t(0, 0, "SSS", d(4), 4),
              t(0, 1, "-DS", d(2), 2),
              t(0, 2, "--D", d(1), 1),
              t(0, 2, "--D", d(1), 3)),
          1,
          new int[] {0, 0, 0},
          null,
          null);

  /**
   * L3T3 full SVC: every upper-layer frame also references the layer below in its picture, so a
   * decode target contains the lower spatial layers' frames. Three chains, one per spatial layer.
   * Frame numbers: 3 per picture, so fdiff 12 is the same layer's previous T0 frame.
   */
  static final Structure L3T3 =
      new Structure(
          60, // ids wrap: template index 4 has id 0
          9,
          List.of(
              t(0, 0, "SSSSSSSSS", d(), 0, 0, 0),
              t(0, 0, "SSSRRRRRR", d(12), 12, 11, 10),
              t(0, 1, "-DS-RR-RR", d(6), 6, 5, 4),
              t(0, 2, "--D--R--R", d(3), 3, 2, 1),
              t(1, 0, "---SSSSSS", d(1), 1, 1, 1),
              t(1, 0, "---SSSRRR", d(12, 1), 1, 12, 11),
              t(1, 1, "----DS-RR", d(6, 1), 7, 6, 5),
              t(1, 2, "-----D--R", d(3, 1), 4, 3, 2),
              t(2, 0, "------SSS", d(1), 2, 1, 1),
              t(2, 0, "------SSS", d(12, 1), 2, 1, 12),
              t(2, 1, "-------DS", d(6, 1), 8, 7, 6),
              t(2, 2, "--------D", d(3, 1), 5, 4, 3)),
          3,
          new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
          new int[] {320, 640, 1280},
          new int[] {180, 360, 720});

  /**
   * L3T3_KEY (K-SVC): upper layers reference the layer below only in the key picture; after it,
   * each spatial layer is its own stream, so its decode targets do not contain the lower layers'
   * frames.
   */
  static final Structure L3T3_KEY =
      new Structure(
          0,
          9,
          List.of(
              t(0, 0, "SSSSSSSSS", d(), 0, 0, 0),
              t(0, 0, "SSS------", d(12), 12, 11, 10),
              t(0, 1, "-DS------", d(6), 6, 5, 4),
              t(0, 2, "--D------", d(3), 3, 2, 1),
              t(1, 0, "---SSSSSS", d(1), 1, 1, 1),
              t(1, 0, "---SSS---", d(12), 1, 12, 11),
              t(1, 1, "----DS---", d(6), 7, 6, 5),
              t(1, 2, "-----D---", d(3), 4, 3, 2),
              t(2, 0, "------SSS", d(1), 2, 1, 1),
              t(2, 0, "------SSS", d(12), 2, 1, 12),
              t(2, 1, "-------DS", d(6), 8, 7, 6),
              t(2, 2, "--------D", d(3), 5, 4, 3)),
          3,
          new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2},
          null,
          null);

  private Structures() {}
}
