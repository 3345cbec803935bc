package eu.visio.sfu.cc;

/**
 * Over-use detector with an adaptive threshold (draft-ietf-rmcat-gcc-02 §5.4).
 *
 * <p>The filtered delay gradient m is compared with a threshold γ. Over-use is signalled only when
 * m has stayed above γ for more than {@link #OVERUSE_TIME_MS} of send time, on more than one group,
 * and is not falling: one late frame is not congestion. The signal then holds until m drops back
 * under γ. m below -γ is under-use (a queue draining).
 *
 * <p>γ follows |m|: {@code γ += Δt · k · (|m| − γ)} with k = {@link #K_UP} when |m| is above γ and
 * {@link #K_DOWN} below, Δt in ms capped at 100, γ kept in [6, 600] ms. That keeps GCC from
 * starving next to loss-based flows (TCP) that build standing queues. Spikes more than 15 ms above
 * γ do not move it: a sudden capacity drop should be acted on, not learnt.
 */
final class OveruseDetector {
  static final double K_UP = 0.01;
  static final double K_DOWN = 0.00018;
  static final double INITIAL_THRESHOLD_MS = 12.5;
  static final double MIN_THRESHOLD_MS = 6;
  static final double MAX_THRESHOLD_MS = 600;
  static final double MAX_ADAPT_OFFSET_MS = 15;
  static final double MAX_TIME_DELTA_MS = 100;
  static final double OVERUSE_TIME_MS = 10;

  private double threshold = INITIAL_THRESHOLD_MS;
  private long lastUpdate = Long.MIN_VALUE;
  private double timeOverusing = -1;
  private int overuseCount;
  private double previousTrend;
  private BandwidthUsage usage = BandwidthUsage.NORMAL;

  /**
   * @param modifiedTrend the trendline's scaled slope (ms)
   * @param trend the raw slope, to see whether it still rises
   * @param sendDeltaMs send-time distance of the groups it was measured on
   * @param arrivalNanos arrival of the newer group (receiver clock), for threshold adaptation
   */
  BandwidthUsage detect(
      double modifiedTrend, double trend, double sendDeltaMs, long arrivalNanos, int deltas) {
    if (deltas < 2 || !Double.isFinite(modifiedTrend)) {
      return usage;
    }
    if (modifiedTrend > threshold) {
      if (timeOverusing < 0) {
        timeOverusing = sendDeltaMs / 2; // it began somewhere within this delta
      } else {
        timeOverusing += sendDeltaMs;
      }
      overuseCount++;
      if (timeOverusing > OVERUSE_TIME_MS && overuseCount > 1 && trend >= previousTrend) {
        timeOverusing = 0;
        overuseCount = 0;
        usage = BandwidthUsage.OVERUSE;
      }
    } else if (modifiedTrend < -threshold) {
      timeOverusing = -1;
      overuseCount = 0;
      usage = BandwidthUsage.UNDERUSE;
    } else {
      timeOverusing = -1;
      overuseCount = 0;
      usage = BandwidthUsage.NORMAL;
    }
    previousTrend = trend;
    adapt(modifiedTrend, arrivalNanos);
    return usage;
  }

  private void adapt(double modifiedTrend, long arrivalNanos) {
    if (lastUpdate == Long.MIN_VALUE) {
      lastUpdate = arrivalNanos;
    }
    double magnitude = Math.abs(modifiedTrend);
    if (magnitude > threshold + MAX_ADAPT_OFFSET_MS) {
      lastUpdate = arrivalNanos;
      return;
    }
    double k = magnitude < threshold ? K_DOWN : K_UP;
    double dt = Math.clamp((arrivalNanos - lastUpdate) / 1e6, 0, MAX_TIME_DELTA_MS);
    threshold += k * (magnitude - threshold) * dt;
    threshold = Math.clamp(threshold, MIN_THRESHOLD_MS, MAX_THRESHOLD_MS);
    lastUpdate = arrivalNanos;
  }

  BandwidthUsage usage() {
    return usage;
  }

  double threshold() {
    return threshold;
  }
}
