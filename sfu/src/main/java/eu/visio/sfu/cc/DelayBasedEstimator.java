package eu.visio.sfu.cc;

/**
 * Delay-based half of GCC (draft-ietf-rmcat-gcc-02 §5), fed with send-side results: packets are
 * grouped ({@link InterGroupDelay}), the inter-group delay variation filtered ({@link
 * TrendlineFilter}), the trend judged ({@link OveruseDetector}) and the target moved ({@link
 * AimdRateController}) once per feedback, with the acknowledged rate ({@link AcknowledgedBitrate})
 * as R̂. An over-use seen on any group of a feedback counts, even if a later group of the same
 * feedback read normal.
 */
final class DelayBasedEstimator {
  private final InterGroupDelay groups = new InterGroupDelay();
  private final TrendlineFilter trendline = new TrendlineFilter();
  private final OveruseDetector detector = new OveruseDetector();
  private final AcknowledgedBitrate acked = new AcknowledgedBitrate();
  private final AimdRateController rate;
  private BandwidthUsage lastUsage = BandwidthUsage.NORMAL;

  DelayBasedEstimator(long startBps, long minBps, long maxBps) {
    rate = new AimdRateController(startBps, minBps, maxBps);
  }

  /**
   * Processes one feedback's results.
   *
   * @return true when the target decreased on over-use
   */
  boolean onResults(PacketResults results, long rttNanos, long nowNanos) {
    boolean overuse = false;
    boolean any = false;
    for (int i = 0, n = results.count(); i < n; i++) {
      if (results.lost(i)) {
        continue;
      }
      any = true;
      long arrival = results.arrivalNanos(i);
      acked.add(arrival, results.size(i));
      if (groups.add(results.sendNanos(i), arrival)) {
        double delayMs = (groups.arrivalDelta() - groups.sendDelta()) / 1e6;
        double modified = trendline.update(delayMs, groups.groupArrival());
        BandwidthUsage usage =
            detector.detect(
                modified,
                trendline.trend(),
                groups.sendDelta() / 1e6,
                groups.groupArrival(),
                trendline.deltas());
        overuse |= usage == BandwidthUsage.OVERUSE;
      }
    }
    if (!any) {
      return false;
    }
    lastUsage = overuse ? BandwidthUsage.OVERUSE : detector.usage();
    return rate.update(lastUsage, acked.bps(), rttNanos, nowNanos);
  }

  long target() {
    return rate.target();
  }

  long ackedBps() {
    return acked.bps();
  }

  BandwidthUsage usage() {
    return lastUsage;
  }

  void reset(long bps, long nowNanos) {
    rate.reset(bps, nowNanos);
  }
}
