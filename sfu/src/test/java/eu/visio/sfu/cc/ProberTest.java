package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The prober alone, fed with hand-made feedback for its own packets. */
class ProberTest {
  private static final long MS = 1_000_000;
  private static final int SIZE = 250;

  private final TransportSequencer sequencer = new TransportSequencer(1024, 0);
  private long estimate = 1_000_000;
  private final Prober prober = new Prober(sequencer, () -> estimate, 10_000_000, SIZE);
  private final FeedbackAdapter adapter = new FeedbackAdapter(sequencer);

  /** Drives the prober at 1 ms ticks until it stops; returns packets sent. */
  private int sendAttempt(long from, long desired) {
    int sent = 0;
    for (long now = from; now < from + 200 * MS; now += MS) {
      while (prober.shouldProbe(now, desired)) {
        prober.next(now, SIZE);
        sent++;
      }
    }
    return sent;
  }

  /** Feedback for everything sent: arrivals at {@code bps} on the receiver, some lost. */
  private long feedback(long receiveBps, int lostEvery) {
    int n = (int) sequencer.sent();
    long[] arrivals = new long[n];
    long t = 1_000_000;
    for (int i = 0; i < n; i++) {
      t += SIZE * 8_000_000L / receiveBps;
      arrivals[i] = lostEvery > 0 && i % lostEvery == 1 ? Long.MIN_VALUE : t;
    }
    adapter.onFeedback(Feedbacks.of(0, 0, arrivals), 500 * MS);
    return prober.onResults(adapter.results(), 500 * MS);
  }

  @Test
  void doesNotProbeWhenTheEstimateCoversWhatIsWanted() {
    prober.setEnabled(true);
    assertThat(prober.shouldProbe(0, 1_050_000)).isFalse();
    prober.setEnabled(false);
    assertThat(prober.shouldProbe(0, 5_000_000)).isFalse();
  }

  @Test
  void sendsTwoClustersOfFifteenMillisecondsAtTwiceAndThriceTheEstimate() {
    prober.setEnabled(true);
    int sent = sendAttempt(0, 5_000_000);
    // 2 Mbit/s * 15 ms = 3750 B = 15 packets; 3 Mbit/s * 15 ms = 5625 B = 23 packets.
    assertThat(sent).isEqualTo(15 + 23);
    assertThat(prober.clustersSent()).isEqualTo(2);
    assertThat(prober.probing()).isFalse();
    for (int i = 0; i < sent; i++) {
      assertThat(sequencer.probe(sequencer.slot(i))).isTrue();
    }
    // Awaiting evaluation: no new attempt.
    assertThat(prober.shouldProbe(300 * MS, 5_000_000)).isFalse();
  }

  @Test
  void capsClustersAtAQuarterAboveWhatIsWanted() {
    prober.setEnabled(true);
    int sent = sendAttempt(0, 1_500_000); // 2x would be 2 Mbit/s, cap 1.875 Mbit/s: one cluster
    assertThat(prober.clustersSent()).isEqualTo(1);
    assertThat(sent).isEqualTo(15); // 1.875 Mbit/s * 15 ms = 3515 B
  }

  @Test
  void aFullyReceivedProbeProvesItsRate() {
    prober.setEnabled(true);
    sendAttempt(0, 5_000_000);
    long proven = feedback(20_000_000, 0); // receiver sees them as fast as sent
    assertThat(proven).isBetween(2_700_000L, 3_300_000L);
    assertThat(prober.clustersSucceeded()).isEqualTo(2);
  }

  @Test
  void aProbeHittingTheBottleneckProvesNinetyFivePercentOfWhatArrived() {
    prober.setEnabled(true);
    sendAttempt(0, 5_000_000);
    long proven = feedback(1_500_000, 0);
    assertThat(proven).isBetween(1_350_000L, 1_450_000L);
  }

  @Test
  void aLossyProbeFailsAndBacksOff() {
    prober.setEnabled(true);
    sendAttempt(0, 5_000_000);
    assertThat(feedback(20_000_000, 4)).isEqualTo(-1); // a quarter lost
    assertThat(prober.clustersSucceeded()).isZero();
    assertThat(prober.shouldProbe(2_000 * MS, 5_000_000)).isFalse();
    assertThat(prober.shouldProbe(5_600 * MS, 5_000_000)).isTrue();
  }
}
