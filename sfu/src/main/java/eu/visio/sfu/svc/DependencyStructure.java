package eu.visio.sfu.svc;

import java.util.Arrays;

/**
 * The template dependency structure of an AV1 RTP stream (AV1 RTP spec, Appendix A.3.2 {@code
 * template_dependency_structure()}): the frame templates with their spatial and temporal ids,
 * decode target indications (DTIs), frame diffs and chain diffs, the decode targets' layers, and
 * the render resolutions. A stream sends it on keyframes; the packets in between refer to its
 * templates by id.
 *
 * <p>Read once per structure by {@link DependencyDescriptor} into arrays sized for the largest
 * structure the spec allows, then never changed: code may hold on to it, and a new structure is a
 * new object (compare by reference to notice a change). It also precomputes, per decode target,
 * which other decode targets contain all of its frames ({@link #containedIn}), so a layer filter
 * knows when it can step down without waiting for a switch point.
 */
public final class DependencyStructure {
  /** Template ids are six bits. */
  public static final int MAX_TEMPLATES = 64;

  /** {@code dt_cnt_minus_one} is five bits. */
  public static final int MAX_DECODE_TARGETS = 32;

  /** AV1 spatial ids are two bits (OBU extension header). */
  public static final int MAX_SPATIAL_ID = 3;

  /** AV1 temporal ids are three bits. */
  public static final int MAX_TEMPORAL_ID = 7;

  /**
   * Most frame diffs kept per template or frame. An AV1 frame references at most 7 frames; a
   * structure listing more is refused rather than truncated, since a dropped dependency could let a
   * filter switch onto an undecodable frame.
   */
  public static final int MAX_FDIFFS = 8;

  int templateIdOffset;
  int decodeTargets;
  int templates;
  int maxSpatialId;
  int maxTemporalId;
  final int[] templateSpatialId = new int[MAX_TEMPLATES];
  final int[] templateTemporalId = new int[MAX_TEMPLATES];
  final byte[] templateDti = new byte[MAX_TEMPLATES * MAX_DECODE_TARGETS];
  final int[] templateFdiffCount = new int[MAX_TEMPLATES];
  final int[] templateFdiff = new int[MAX_TEMPLATES * MAX_FDIFFS];
  int chains;
  final int[] protectedBy = new int[MAX_DECODE_TARGETS];
  final int[] templateChainFdiff = new int[MAX_TEMPLATES * MAX_DECODE_TARGETS];
  final int[] targetSpatialId = new int[MAX_DECODE_TARGETS];
  final int[] targetTemporalId = new int[MAX_DECODE_TARGETS];
  final int[] containedIn = new int[MAX_DECODE_TARGETS];
  boolean resolutionsPresent;
  final int[] renderWidth = new int[MAX_SPATIAL_ID + 1];
  final int[] renderHeight = new int[MAX_SPATIAL_ID + 1];

  DependencyStructure() {}

  /**
   * Reads {@code template_dependency_structure()} into this object. Returns false when the
   * structure is truncated or beyond the limits above; the object is then meaningless.
   */
  boolean read(BitReader r) {
    templateIdOffset = r.f(6);
    decodeTargets = r.f(5) + 1;
    if (!readTemplateLayers(r)) {
      return false;
    }
    int dts = decodeTargets;
    for (int t = 0; t < templates; t++) {
      for (int dt = 0; dt < dts; dt++) {
        templateDti[t * MAX_DECODE_TARGETS + dt] = (byte) r.f(2);
      }
    }
    for (int t = 0; t < templates; t++) {
      int n = 0;
      while (r.flag()) {
        if (n == MAX_FDIFFS) {
          return false;
        }
        templateFdiff[t * MAX_FDIFFS + n++] = r.f(4) + 1;
      }
      templateFdiffCount[t] = n;
    }
    chains = r.ns(dts + 1);
    if (chains > 0) {
      for (int dt = 0; dt < dts; dt++) {
        protectedBy[dt] = r.ns(chains);
      }
      for (int t = 0; t < templates; t++) {
        for (int c = 0; c < chains; c++) {
          templateChainFdiff[t * MAX_DECODE_TARGETS + c] = r.f(4);
        }
      }
    }
    resolutionsPresent = r.flag();
    if (resolutionsPresent) {
      for (int s = 0; s <= maxSpatialId; s++) {
        renderWidth[s] = r.f(16) + 1;
        renderHeight[s] = r.f(16) + 1;
      }
    }
    if (r.overflowed()) {
      return false;
    }
    computeDecodeTargets();
    return true;
  }

  /** {@code template_layers()}: the (spatial, temporal) id of each template, in order. */
  private boolean readTemplateLayers(BitReader r) {
    int spatial = 0;
    int temporal = 0;
    templates = 0;
    maxTemporalId = 0;
    int next;
    do {
      if (templates == MAX_TEMPLATES || r.overflowed()) {
        return false;
      }
      templateSpatialId[templates] = spatial;
      templateTemporalId[templates] = temporal;
      templates++;
      next = r.f(2);
      if (next == 1) {
        temporal++;
        maxTemporalId = Math.max(maxTemporalId, temporal);
      } else if (next == 2) {
        temporal = 0;
        spatial++;
      }
      if (spatial > MAX_SPATIAL_ID || temporal > MAX_TEMPORAL_ID) {
        return false;
      }
    } while (next != 3);
    maxSpatialId = spatial;
    return true;
  }

  /** {@code decode_target_layers()}, plus which decode targets contain each one's frames. */
  private void computeDecodeTargets() {
    for (int dt = 0; dt < decodeTargets; dt++) {
      int s = 0;
      int t = 0;
      for (int i = 0; i < templates; i++) {
        if (dti(i, dt) != DependencyDescriptor.NOT_PRESENT) {
          s = Math.max(s, templateSpatialId[i]);
          t = Math.max(t, templateTemporalId[i]);
        }
      }
      targetSpatialId[dt] = s;
      targetTemporalId[dt] = t;
    }
    for (int dt = 0; dt < decodeTargets; dt++) {
      int mask = 0;
      for (int other = 0; other < decodeTargets; other++) {
        boolean contains = true;
        for (int i = 0; i < templates && contains; i++) {
          contains =
              dti(i, dt) == DependencyDescriptor.NOT_PRESENT
                  || dti(i, other) != DependencyDescriptor.NOT_PRESENT;
        }
        if (contains) {
          mask |= 1 << other;
        }
      }
      containedIn[dt] = mask;
    }
  }

  /** Whether {@code other} describes the same structure (a keyframe repeating it). */
  boolean sameAs(DependencyStructure other) {
    if (other == null
        || templateIdOffset != other.templateIdOffset
        || decodeTargets != other.decodeTargets
        || templates != other.templates
        || chains != other.chains
        || resolutionsPresent != other.resolutionsPresent) {
      return false;
    }
    int n = templates;
    return Arrays.equals(templateSpatialId, 0, n, other.templateSpatialId, 0, n)
        && Arrays.equals(templateTemporalId, 0, n, other.templateTemporalId, 0, n)
        && Arrays.equals(
            templateDti, 0, n * MAX_DECODE_TARGETS, other.templateDti, 0, n * MAX_DECODE_TARGETS)
        && Arrays.equals(templateFdiffCount, 0, n, other.templateFdiffCount, 0, n)
        && Arrays.equals(templateFdiff, 0, n * MAX_FDIFFS, other.templateFdiff, 0, n * MAX_FDIFFS)
        && Arrays.equals(protectedBy, 0, decodeTargets, other.protectedBy, 0, decodeTargets)
        && Arrays.equals(
            templateChainFdiff,
            0,
            n * MAX_DECODE_TARGETS,
            other.templateChainFdiff,
            0,
            n * MAX_DECODE_TARGETS)
        && Arrays.equals(renderWidth, other.renderWidth)
        && Arrays.equals(renderHeight, other.renderHeight);
  }

  /** Clears what {@link #sameAs} compares beyond the counts, so a reused object compares clean. */
  void clear() {
    Arrays.fill(templateDti, (byte) 0);
    Arrays.fill(templateFdiff, 0);
    Arrays.fill(templateChainFdiff, 0);
    Arrays.fill(protectedBy, 0);
    Arrays.fill(renderWidth, 0);
    Arrays.fill(renderHeight, 0);
  }

  /** {@code template_id_offset}: template index = (template id - offset) mod 64. */
  public int templateIdOffset() {
    return templateIdOffset;
  }

  /** {@code DtCnt}: number of decode targets (1..32). */
  public int decodeTargets() {
    return decodeTargets;
  }

  /** {@code TemplateCnt}. */
  public int templates() {
    return templates;
  }

  /** {@code MaxSpatialId}. */
  public int maxSpatialId() {
    return maxSpatialId;
  }

  /** {@code MaxTemporalId}. */
  public int maxTemporalId() {
    return maxTemporalId;
  }

  public int templateSpatialId(int template) {
    return templateSpatialId[template];
  }

  public int templateTemporalId(int template) {
    return templateTemporalId[template];
  }

  /**
   * DTI of {@code template} for decode target {@code dt} ({@link DependencyDescriptor#SWITCH}...).
   */
  public int dti(int template, int dt) {
    return templateDti[template * MAX_DECODE_TARGETS + dt];
  }

  public int fdiffCount(int template) {
    return templateFdiffCount[template];
  }

  public int fdiff(int template, int i) {
    return templateFdiff[template * MAX_FDIFFS + i];
  }

  /** {@code chain_cnt} (0..DtCnt). */
  public int chains() {
    return chains;
  }

  /** {@code decode_target_protected_by[dt]}: the chain protecting decode target {@code dt}. */
  public int protectedBy(int dt) {
    return protectedBy[dt];
  }

  public int chainFdiff(int template, int chain) {
    return templateChainFdiff[template * MAX_DECODE_TARGETS + chain];
  }

  /** {@code DecodeTargetMaxSpatialId[dt]}. */
  public int decodeTargetSpatialId(int dt) {
    return targetSpatialId[dt];
  }

  /** {@code DecodeTargetMaxTemporalId[dt]}. */
  public int decodeTargetTemporalId(int dt) {
    return targetTemporalId[dt];
  }

  /**
   * Bitmask of the decode targets whose templates include every template of {@code dt}: a receiver
   * of any of them has received all of {@code dt}'s frames (with template DTIs), so it can move to
   * {@code dt} at once.
   */
  public int containedIn(int dt) {
    return containedIn[dt];
  }

  public boolean resolutionsPresent() {
    return resolutionsPresent;
  }

  /** Render width of spatial layer {@code sid} (when {@link #resolutionsPresent()}). */
  public int renderWidth(int sid) {
    return renderWidth[sid];
  }

  public int renderHeight(int sid) {
    return renderHeight[sid];
  }
}
