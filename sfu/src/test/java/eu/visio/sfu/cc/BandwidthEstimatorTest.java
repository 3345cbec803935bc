package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BandwidthEstimatorTest {
  private static final long MS = 1_000_000;
  private static final long SECOND = 1000 * MS;

  private record Change(long before, long after, BandwidthChangeReason reason) {}

  private final List<Change> changes = new ArrayList<>();
  private final TransportSequencer sequencer = new TransportSequencer();
  private final BandwidthEstimator bwe =
      new BandwidthEstimator(
          "sub-1",
          new BandwidthEstimator.Config(1_000_000, 200_000, 5_000_000, 300),
          sequencer,
          (b, a, r) -> changes.add(new Change(b, a, r)));

  @Test
  void startsAtTheStartBitrate() {
    assertThat(bwe.estimate()).isEqualTo(1_000_000);
    assertThat(bwe.lastReason()).isNull();
    assertThat(bwe.ackedBps()).isEqualTo(-1);
  }

  @Test
  void followsRembWhileNoTransportCcArrivesWithinBounds() {
    bwe.onRemb(700_000, 0);
    bwe.onRemb(2_500_000, SECOND);
    bwe.onRemb(9_000_000, 2 * SECOND);
    bwe.onRemb(50_000, 3 * SECOND);
    bwe.onRemb(0, 4 * SECOND); // meaningless: ignored

    assertThat(changes)
        .containsExactly(
            new Change(1_000_000, 700_000, BandwidthChangeReason.REMB),
            new Change(700_000, 2_500_000, BandwidthChangeReason.REMB),
            new Change(2_500_000, 5_000_000, BandwidthChangeReason.REMB),
            new Change(5_000_000, 200_000, BandwidthChangeReason.REMB));
    assertThat(bwe.estimate()).isEqualTo(200_000);
    assertThat(bwe.lastRemb()).isEqualTo(50_000);
    assertThat(bwe.transportCcActive(4 * SECOND)).isFalse();
  }

  @Test
  void ignoresRembWhileTransportCcFlowsAndFallsBackWhenItStops() {
    for (int i = 0; i < 3; i++) {
      sequencer.next(i * MS, 1000, false);
    }
    bwe.onFeedback(Feedbacks.of(0, 0, 1000, 2000, 3000), 10 * MS);
    assertThat(bwe.transportCcActive(10 * MS)).isTrue();

    bwe.onRemb(300_000, SECOND);
    assertThat(bwe.estimate()).isEqualTo(1_000_000);

    bwe.onRemb(300_000, 10 * MS + BandwidthEstimator.TWCC_SILENCE_NANOS);
    assertThat(bwe.estimate()).isEqualTo(300_000);
    assertThat(bwe.lastReason()).isEqualTo(BandwidthChangeReason.REMB);
  }

  @Test
  void notifiesSmallIncreasesOnlyOnceTheyAddUpToFivePercent() {
    NetworkSimulation sim =
        new NetworkSimulation(
            3_000_000,
            1_000_000,
            5,
            0,
            (b, a, r) -> {
              changes.add(new Change(b, a, r));
            });
    sim.run(3 * SECOND);
    assertThat(sim.bwe.estimate()).isGreaterThan(1_150_000);
    assertThat(changes).isNotEmpty();
    for (Change c : changes) {
      assertThat(c.reason()).isEqualTo(BandwidthChangeReason.DELAY_INCREASE);
      assertThat(c.after() - c.before()).isGreaterThanOrEqualTo(c.before() / 20);
    }
  }
}
