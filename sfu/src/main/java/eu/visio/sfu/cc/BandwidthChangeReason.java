package eu.visio.sfu.cc;

/** Why the {@link BandwidthEstimator}'s estimate moved. */
public enum BandwidthChangeReason {
  /** Delay-based increase: queuing delay stable (GCC "normal"), the rate controller grows. */
  DELAY_INCREASE,
  /**
   * Delay-based decrease: queuing delay growing (GCC "overuse"), cut to 0.85 of the received rate.
   */
  DELAY_OVERUSE,
  /** Loss under 2%: the loss-based cap grows by 5% (or lifts). */
  LOSS_INCREASE,
  /** Loss over 10%: cut to {@code A · (1 − 0.5p)}. */
  LOSS_DECREASE,
  /** A REMB value, used while no transport-cc feedback arrives. */
  REMB,
  /** A probe cluster arrived at a higher rate than the estimate. */
  PROBE
}
