package eu.visio.sfu;

/** How well a participant's media flows, as LiveKit's {@code ConnectionQuality} grades it. */
public enum ConnectionQuality {
  /** Nothing arrives from a participant that publishes. */
  LOST,
  POOR,
  GOOD,
  EXCELLENT;

  /**
   * The grade of a score from 1 (unusable) to 5 (perfect), LiveKit's MOS-like scale: 4.1 and above
   * is excellent, 3.1 and above good.
   */
  static ConnectionQuality of(double score) {
    return score >= 4.1 ? EXCELLENT : score >= 3.1 ? GOOD : POOR;
  }
}
