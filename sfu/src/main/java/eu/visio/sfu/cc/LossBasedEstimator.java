package eu.visio.sfu.cc;

/**
 * Loss-based half of GCC (draft-ietf-rmcat-gcc-02 §6): over an interval of reported packets, loss p
 * below 2% lets the rate grow by 5%, above 10% cuts it to {@code A · (1 − 0.5p)}, and in between
 * holds it: some loss is the normal state of wireless links and is better fought with NACK and RTX
 * than with a lower rate.
 *
 * <p>The estimator yields a cap on the combined estimate A. An interval closes after {@link
 * #INTERVAL_PACKETS} reported packets, or after {@link #MAX_INTERVAL_NANOS} with at least {@link
 * #MIN_INTERVAL_PACKETS}: per-feedback loss (ten packets) would be too noisy to act on. When growth
 * brings the cap above the delay-based target, the cap lifts entirely and the delay-based estimate
 * leads again, so a loss episode long past never holds the rate down.
 */
final class LossBasedEstimator {
  static final double INCREASE_BELOW = 0.02;
  static final double DECREASE_ABOVE = 0.10;
  static final double INCREASE_FACTOR = 1.05;
  static final int INTERVAL_PACKETS = 100;
  static final int MIN_INTERVAL_PACKETS = 20;
  static final long MAX_INTERVAL_NANOS = 1_000_000_000;

  /** No cap. */
  static final long UNLIMITED = Long.MAX_VALUE;

  /** What the last closed interval did. */
  enum Action {
    NONE,
    INCREASE,
    HOLD,
    DECREASE
  }

  private long cap = UNLIMITED;
  private int packets;
  private int lost;
  private long intervalStart = Long.MIN_VALUE;
  private double lastLoss;

  /**
   * Counts one feedback's results and, when an interval closes, moves the cap.
   *
   * @param estimate the current combined estimate A
   * @param delayTarget the delay-based target, above which the cap lifts
   */
  Action onResults(PacketResults results, long estimate, long delayTarget, long nowNanos) {
    if (intervalStart == Long.MIN_VALUE) {
      intervalStart = nowNanos;
    }
    for (int i = 0, n = results.count(); i < n; i++) {
      packets++;
      if (results.lost(i)) {
        lost++;
      }
    }
    boolean closes =
        packets >= INTERVAL_PACKETS
            || (packets >= MIN_INTERVAL_PACKETS && nowNanos - intervalStart >= MAX_INTERVAL_NANOS);
    if (!closes) {
      return Action.NONE;
    }
    double p = (double) lost / packets;
    lastLoss = p;
    packets = 0;
    lost = 0;
    intervalStart = nowNanos;
    if (p < INCREASE_BELOW) {
      if (cap != UNLIMITED) {
        double grown = cap * INCREASE_FACTOR;
        cap = grown >= delayTarget ? UNLIMITED : (long) grown;
      }
      return Action.INCREASE;
    }
    if (p > DECREASE_ABOVE) {
      cap = Math.max(1, (long) (estimate * (1 - 0.5 * p)));
      return Action.DECREASE;
    }
    cap = Math.min(cap, estimate);
    return Action.HOLD;
  }

  /** Upper bound on the estimate, or {@link #UNLIMITED}. */
  long cap() {
    return cap;
  }

  /** Loss fraction of the last closed interval. */
  double lastLoss() {
    return lastLoss;
  }

  /** Lifts the cap (e.g. when a probe proved a higher rate goes through). */
  void raise(long bps) {
    if (cap != UNLIMITED && bps > cap) {
      cap = bps;
    }
  }
}
