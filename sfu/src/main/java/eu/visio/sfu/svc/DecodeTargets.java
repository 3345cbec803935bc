package eu.visio.sfu.svc;

/**
 * Choosing among the decode targets of a {@link DependencyStructure} for a subscriber's target
 * layers: pure functions of the structure, the active decode target mask and the target.
 */
final class DecodeTargets {
  static final int NONE = -1;

  private DecodeTargets() {}

  /**
   * The active decode target with the highest layers within (spatial, temporal), else the active
   * one with the lowest layers (the least the stream offers), else {@link #NONE}.
   */
  static int choose(DependencyStructure st, int active, int spatial, int temporal) {
    if (spatial < 0 || st == null) {
      return NONE;
    }
    int best = NONE;
    int bestRank = -1;
    int lowest = NONE;
    int lowestRank = Integer.MAX_VALUE;
    for (int dt = 0; dt < st.decodeTargets(); dt++) {
      if ((active & (1 << dt)) == 0) {
        continue;
      }
      int rank = rank(st, dt);
      if (st.decodeTargetSpatialId(dt) <= spatial
          && st.decodeTargetTemporalId(dt) <= temporal
          && rank > bestRank) {
        best = dt;
        bestRank = rank;
      }
      if (rank < lowestRank) {
        lowest = dt;
        lowestRank = rank;
      }
    }
    return best != NONE ? best : lowest;
  }

  /**
   * The best active decode target that {@code from} contains, within the temporal target,
   * preferring those within the spatial target too; {@link #NONE} when none. A receiver of {@code
   * from} has all its frames, so it can move there at any picture.
   */
  static int containedStep(
      DependencyStructure st, int active, int from, int spatial, int temporal) {
    int best = NONE;
    int bestRank = -1;
    for (int dt = 0; dt < st.decodeTargets(); dt++) {
      if ((active & (1 << dt)) == 0
          || !contains(st, from, dt)
          || st.decodeTargetTemporalId(dt) > temporal) {
        continue;
      }
      int r = (st.decodeTargetSpatialId(dt) <= spatial ? 64 : 0) + rank(st, dt);
      if (r > bestRank) {
        best = dt;
        bestRank = r;
      }
    }
    return best;
  }

  /** Whether every template of decode target {@code inner} is part of {@code outer}. */
  static boolean contains(DependencyStructure st, int outer, int inner) {
    return (st.containedIn(inner) & (1 << outer)) != 0;
  }

  private static int rank(DependencyStructure st, int dt) {
    return st.decodeTargetSpatialId(dt) * 8 + st.decodeTargetTemporalId(dt);
  }
}
