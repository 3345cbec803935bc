package eu.visio.sfu.cc;

import static eu.visio.sfu.cc.NetworkSimulation.MS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The estimator against a simulated bottleneck (virtual clock): converges near capacity, backs off
 * when capacity drops, holds under moderate loss, yields under heavy loss, probes up fast.
 */
class BandwidthEstimatorSimulationTest {
  private static final long SECOND = 1000 * MS;
  private static final long CAPACITY = 1_500_000;

  /** Receiver clock 5 s before its 24-bit reference time (64 ms units) wraps. */
  private static final long BEFORE_REFERENCE_WRAP_US = (1L << 24) * 64_000 - 5_000_000;

  @ParameterizedTest(name = "seed {0}, first seq {1}, receiver clock {2} us")
  @CsvSource({
    "1, 0, 123456789000",
    "2, 65000, 123456789000", // transport-wide sequence wraps after ~3 s
    "3, 0, " + BEFORE_REFERENCE_WRAP_US, // reference time wraps after 5 s
    "4, 65500, " + BEFORE_REFERENCE_WRAP_US,
  })
  void convergesNearCapacity(long seed, int firstSeq, long receiverClockUs) {
    NetworkSimulation sim = new NetworkSimulation(CAPACITY, 1_000_000, seed, firstSeq);
    sim.receiverClockOffsetUs = receiverClockUs;
    sim.run(30 * SECOND);

    long[] range = sim.range(10 * SECOND, 30 * SECOND);
    assertThat(range[0]).isGreaterThanOrEqualTo(CAPACITY * 75 / 100);
    assertThat(range[1]).isLessThanOrEqualTo(CAPACITY * 125 / 100);
    assertThat(sim.mean(10 * SECOND, 30 * SECOND))
        .isBetween(CAPACITY * 80 / 100, CAPACITY * 110 / 100);
    assertThat(sim.bwe.feedbackAdapter().unknownPackets()).isZero();
  }

  @Test
  void backsOffWithinTwoSecondsOfACapacityDrop() {
    NetworkSimulation sim = new NetworkSimulation(CAPACITY, 1_000_000, 7, 0);
    sim.run(20 * SECOND);
    sim.capacityBps = 500_000;
    sim.run(10 * SECOND);

    assertThat(sim.firstAtMost(20 * SECOND, 500_000 * 125 / 100)).isLessThan(22 * SECOND);
    long[] after = sim.range(22 * SECOND, 30 * SECOND);
    assertThat(after[1]).isLessThanOrEqualTo(500_000 * 125 / 100);
    assertThat(after[0]).isGreaterThanOrEqualTo(500_000 / 2);
  }

  @ParameterizedTest(name = "seed {0}")
  @CsvSource({"11", "12", "13"})
  void holdsUnderFivePercentRandomLoss(long seed) {
    NetworkSimulation sim = new NetworkSimulation(CAPACITY, 1_000_000, seed, 0);
    sim.run(20 * SECOND);
    sim.lossRate = 0.05;
    sim.run(20 * SECOND);

    long[] range = sim.range(20 * SECOND, 40 * SECOND);
    assertThat(range[0]).isGreaterThanOrEqualTo(CAPACITY * 75 / 100);
    assertThat(range[1]).isLessThanOrEqualTo(CAPACITY * 125 / 100);
  }

  @Test
  void yieldsUnderTwentyPercentLoss() {
    List<BandwidthChangeReason> reasons = new ArrayList<>();
    NetworkSimulation sim =
        new NetworkSimulation(CAPACITY, 1_000_000, 21, 0, (before, after, r) -> reasons.add(r));
    sim.run(20 * SECOND);
    long converged = sim.bwe.estimate();
    sim.lossRate = 0.20;
    sim.run(10 * SECOND);

    assertThat(sim.bwe.estimate()).isLessThan(converged / 2);
    assertThat(sim.bwe.lastReason()).isEqualTo(BandwidthChangeReason.LOSS_DECREASE);
    assertThat(sim.bwe.lossFraction()).isBetween(0.05, 0.4);
    assertThat(reasons).contains(BandwidthChangeReason.LOSS_DECREASE);
  }

  @Test
  void probingReachesWhatIsWantedFasterThanAdditiveIncrease() {
    NetworkSimulation probing = new NetworkSimulation(5_000_000, 300_000, 31, 0);
    probing.desiredBps = 3_000_000;
    probing.probing = true;
    probing.run(4 * SECOND);

    NetworkSimulation plain = new NetworkSimulation(5_000_000, 300_000, 31, 0);
    plain.desiredBps = 3_000_000;
    plain.run(4 * SECOND);

    assertThat(probing.bwe.estimate()).isGreaterThanOrEqualTo(2_500_000);
    assertThat(probing.bwe.prober().clustersSucceeded()).isPositive();
    assertThat(plain.bwe.estimate()).isLessThan(500_000);
  }

  @Test
  void probesAboveCapacityDoNotRaiseTheEstimatePastIt() {
    NetworkSimulation sim = new NetworkSimulation(1_000_000, 400_000, 41, 0);
    sim.desiredBps = 5_000_000;
    sim.probing = true;
    sim.run(10 * SECOND);

    assertThat(sim.bwe.prober().clustersSent()).isPositive();
    assertThat(sim.range(3 * SECOND, 10 * SECOND)[1]).isLessThanOrEqualTo(1_000_000 * 130 / 100);
    assertThat(sim.bwe.estimate()).isGreaterThanOrEqualTo(1_000_000 * 70 / 100);
  }
}
