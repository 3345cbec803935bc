package eu.visio.sfu.cc;

/**
 * Rate controller of the delay-based estimator (draft-ietf-rmcat-gcc-02 §5.5): a three-state
 * machine driven by the over-use signal.
 *
 * <pre>
 *              overuse     normal      underuse
 *  hold        decrease    increase    hold
 *  increase    decrease    increase    hold
 *  decrease    decrease    hold        hold
 * </pre>
 *
 * <p>Decrease: {@code A = β · R̂} with β = {@link #BETA} and R̂ the acknowledged rate, never above
 * the current target; repeated over-use signals decrease again only once per round trip (clamped to
 * 10..200 ms, as libwebrtc does), so one congestion episode is not punished per feedback.
 *
 * <p>Increase: multiplicative ({@code 1.08^t}, t in s capped at 1) while far from the last
 * congestion point, additive (about half a packet per response time, RTT + 100 ms) once the
 * acknowledged rate is within three standard deviations of the rates at which past decreases
 * happened: near the link's capacity, probe gently. Never above {@code 1.5 · R̂}: a target the
 * sender cannot fill proves nothing.
 */
final class AimdRateController {
  static final double BETA = 0.85;
  static final double MULTIPLICATIVE_PER_SECOND = 1.08;
  static final long MIN_ADDITIVE_BPS_PER_SECOND = 4_000;
  static final long DEFAULT_RTT_NANOS = 200_000_000;

  private enum State {
    HOLD,
    INCREASE,
    DECREASE
  }

  private final long minBps;
  private final long maxBps;
  private long target;
  private State state = State.INCREASE;
  private long lastUpdate = Long.MIN_VALUE;
  private long lastDecrease = Long.MIN_VALUE;

  // Link capacity as seen at decreases (kbps), with a variance normalised by it (libwebrtc's
  // LinkCapacityEstimator): tells "near convergence" from "far below".
  private double capacityKbps = -1;
  private double capacityVariance = 0.4;

  AimdRateController(long startBps, long minBps, long maxBps) {
    this.minBps = minBps;
    this.maxBps = maxBps;
    this.target = Math.clamp(startBps, minBps, maxBps);
  }

  /**
   * Applies one over-use signal.
   *
   * @param ackedBps acknowledged rate, or -1 when not yet measured
   * @param rttNanos round-trip estimate, or -1 when unknown
   * @return true when the target decreased
   */
  boolean update(BandwidthUsage usage, long ackedBps, long rttNanos, long nowNanos) {
    if (lastUpdate == Long.MIN_VALUE) {
      lastUpdate = nowNanos;
    }
    state = transition(state, usage);
    boolean decreased = false;
    switch (state) {
      case HOLD -> {}
      case INCREASE -> increase(ackedBps, rttNanos, nowNanos);
      case DECREASE -> {
        decreased = decrease(ackedBps, rttNanos, nowNanos);
        // Each decrease is followed by hold: the next normal signal lets the queue drain first.
        state = State.HOLD;
      }
    }
    lastUpdate = nowNanos;
    return decreased;
  }

  private static State transition(State s, BandwidthUsage u) {
    return switch (u) {
      case OVERUSE -> State.DECREASE;
      case UNDERUSE -> State.HOLD;
      case NORMAL -> s == State.DECREASE ? State.HOLD : State.INCREASE;
    };
  }

  private void increase(long ackedBps, long rttNanos, long now) {
    double seconds = Math.max(0, (now - lastUpdate) / 1e9);
    if (ackedBps > 0
        && capacityKbps > 0
        && ackedBps / 1000.0 > capacityKbps + 3 * deviationKbps()) {
      capacityKbps = -1; // the link got faster than where we last congested it
    }
    double next;
    if (ackedBps > 0 && capacityKbps > 0) {
      next = target + additivePerSecond(rttNanos) * seconds;
    } else {
      next = target * Math.pow(MULTIPLICATIVE_PER_SECOND, Math.min(seconds, 1.0));
    }
    if (ackedBps > 0) {
      double limit = 1.5 * ackedBps + 10_000;
      if (next > limit) {
        next = Math.max((double) target, limit);
      }
    }
    setTarget(next);
  }

  /** Roughly half a packet per response time, for a 30 fps sender at the current rate. */
  private double additivePerSecond(long rttNanos) {
    double bitsPerFrame = target / 30.0;
    double packetsPerFrame = Math.ceil(bitsPerFrame / (1200 * 8));
    double packetBits = bitsPerFrame / packetsPerFrame;
    double responseSeconds = 0.1 + (rttNanos > 0 ? rttNanos : DEFAULT_RTT_NANOS) / 1e9;
    return Math.max(MIN_ADDITIVE_BPS_PER_SECOND, 0.5 * packetBits / responseSeconds);
  }

  private boolean decrease(long ackedBps, long rttNanos, long now) {
    long interval =
        Math.clamp(rttNanos > 0 ? rttNanos : DEFAULT_RTT_NANOS, 10_000_000, 200_000_000);
    boolean throughputCollapsed = ackedBps > 0 && ackedBps < target / 2;
    if (lastDecrease != Long.MIN_VALUE && now - lastDecrease < interval && !throughputCollapsed) {
      return false;
    }
    double base = ackedBps > 0 ? ackedBps : target;
    double next = Math.min((double) target, BETA * base);
    if (ackedBps > 0) {
      updateCapacity(ackedBps / 1000.0);
    }
    lastDecrease = now;
    long before = target;
    setTarget(next);
    return target < before;
  }

  private void updateCapacity(double kbps) {
    if (capacityKbps < 0) {
      capacityKbps = kbps;
    } else {
      capacityKbps = 0.95 * capacityKbps + 0.05 * kbps;
    }
    double error = capacityKbps - kbps;
    capacityVariance = 0.95 * capacityVariance + 0.05 * error * error / Math.max(capacityKbps, 1);
    capacityVariance = Math.clamp(capacityVariance, 0.4, 2.5);
  }

  private double deviationKbps() {
    return Math.sqrt(capacityVariance * capacityKbps);
  }

  private void setTarget(double bps) {
    if (Double.isFinite(bps)) {
      target = Math.clamp((long) bps, minBps, maxBps);
    }
  }

  /** Forces the target (a successful probe, REMB while transport-cc is silent). */
  void reset(long bps, long nowNanos) {
    target = Math.clamp(bps, minBps, maxBps);
    lastUpdate = nowNanos;
    state = State.HOLD;
  }

  long target() {
    return target;
  }
}
