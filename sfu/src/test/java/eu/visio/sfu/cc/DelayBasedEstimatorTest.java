package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Pieces of the delay-based controller, driven with hand-made timings. */
class DelayBasedEstimatorTest {
  private static final long MS = 1_000_000;

  @Test
  void groupsPacketsSentWithinFiveMilliseconds() {
    InterGroupDelay g = new InterGroupDelay();
    // Group 1: sent 0..4 ms. Group 2: sent 10..12 ms. Group 3 starts at 20 ms and closes group 2.
    assertThat(g.add(0, 100 * MS)).isFalse();
    assertThat(g.add(4 * MS, 104 * MS)).isFalse();
    assertThat(g.add(10 * MS, 111 * MS)).isFalse();
    assertThat(g.add(12 * MS, 113 * MS)).isFalse();
    assertThat(g.add(20 * MS, 121 * MS)).isTrue();
    assertThat(g.sendDelta()).isEqualTo(8 * MS);
    assertThat(g.arrivalDelta()).isEqualTo(9 * MS);
    assertThat(g.groupArrival()).isEqualTo(113 * MS);
  }

  @Test
  void aBurstQueuedBehindAGroupJoinsIt() {
    InterGroupDelay g = new InterGroupDelay();
    g.add(0, 100 * MS);
    // Sent 8 ms later but arrived 1 ms after: queued behind, so part of the same burst.
    assertThat(g.add(8 * MS, 101 * MS)).isFalse();
    assertThat(g.add(20 * MS, 120 * MS)).isFalse();
    assertThat(g.add(30 * MS, 130 * MS)).isTrue();
    assertThat(g.sendDelta()).isEqualTo(12 * MS);
    assertThat(g.arrivalDelta()).isEqualTo(19 * MS);
  }

  @Test
  void ignoresReorderedPacketsAndRestartsAfterAClockJump() {
    InterGroupDelay g = new InterGroupDelay();
    g.add(100 * MS, 200 * MS);
    assertThat(g.add(50 * MS, 150 * MS)).isFalse(); // sent before the group
    g.add(110 * MS, 210 * MS);
    assertThat(g.add(120 * MS, 10_000 * MS)).isFalse(); // arrival 10 s later: start over
    assertThat(g.add(130 * MS, 10_010 * MS)).isFalse();
    assertThat(g.add(140 * MS, 10_020 * MS)).isTrue();
  }

  @ParameterizedTest(name = "{0} ms extra delay per group -> {1}")
  @CsvSource({"0, NORMAL", "1, OVERUSE", "-1, UNDERUSE"})
  void trendlineAndDetectorReadTheQueue(double growthMs, BandwidthUsage expected) {
    TrendlineFilter trend = new TrendlineFilter();
    OveruseDetector detector = new OveruseDetector();
    BandwidthUsage usage = BandwidthUsage.NORMAL;
    for (int i = 1; i <= 60; i++) {
      long arrival = i * 10L * MS;
      double modified = trend.update(growthMs, arrival);
      usage = detector.detect(modified, trend.trend(), 10, arrival, trend.deltas());
    }
    assertThat(usage).isEqualTo(expected);
  }

  @Test
  void thresholdAdaptsUpSlowlyAndIgnoresSpikes() {
    OveruseDetector d = new OveruseDetector();
    d.detect(0, 0, 10, 0, 10);
    d.detect(20, 0.1, 10, 10 * MS, 10); // 7.5 above: adapts up by k_u * 7.5 * 10 ms
    assertThat(d.threshold())
        .isCloseTo(12.5 + 0.01 * 7.5 * 10, org.assertj.core.data.Offset.offset(1e-9));
    double before = d.threshold();
    d.detect(100, 0.2, 10, 20 * MS, 10); // more than 15 ms above: not learnt
    assertThat(d.threshold()).isEqualTo(before);
    d.detect(0, 0, 10, 120 * MS, 10); // below: decays by k_d, dt capped at 100 ms
    assertThat(d.threshold())
        .isCloseTo(before - 0.00018 * before * 100, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void aimdDecreasesToEightyFivePercentOfTheAcknowledgedRate() {
    AimdRateController c = new AimdRateController(2_000_000, 100_000, 10_000_000);
    c.update(BandwidthUsage.NORMAL, 1_800_000, 50 * MS, 0);
    assertThat(c.update(BandwidthUsage.OVERUSE, 1_600_000, 50 * MS, 100 * MS)).isTrue();
    assertThat(c.target()).isEqualTo(1_360_000);
    // Still over-using one feedback later, within a round trip: no second cut.
    assertThat(c.update(BandwidthUsage.OVERUSE, 1_500_000, 50 * MS, 120 * MS)).isFalse();
    assertThat(c.target()).isEqualTo(1_360_000);
    // Under-use holds, normal after hold increases.
    c.update(BandwidthUsage.UNDERUSE, 1_300_000, 50 * MS, 300 * MS);
    assertThat(c.target()).isEqualTo(1_360_000);
    c.update(BandwidthUsage.NORMAL, 1_300_000, 50 * MS, 400 * MS);
    assertThat(c.target())
        .isGreaterThan(1_360_000)
        .isLessThan(1_400_000); // additive: near capacity
  }

  @Test
  void aimdIncreasesMultiplicativelyFarFromCongestionButNotBeyondOneAndAHalfTimesWhatArrives() {
    AimdRateController c = new AimdRateController(1_000_000, 100_000, 10_000_000);
    c.update(BandwidthUsage.NORMAL, 1_000_000, 50 * MS, 0);
    c.update(BandwidthUsage.NORMAL, 1_000_000, 50 * MS, 1000 * MS);
    assertThat(c.target()).isEqualTo(1_080_000);
    for (int i = 2; i < 20; i++) {
      c.update(BandwidthUsage.NORMAL, 1_000_000, 50 * MS, i * 1000L * MS);
    }
    assertThat(c.target()).isEqualTo(1_510_000);
  }
}
