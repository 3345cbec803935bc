package eu.visio.sfu.nack;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RttEstimatorTest {
  private static final long MS = 1_000_000L;

  @Test
  void samplesFromLsrAndDlsr() {
    // A = 10.5 s, LSR = 10.0 s, DLSR = 0.25 s (compact NTP, 1/65536 s): RTT 250 ms.
    int a = 10 * 65536 + 32768;
    int lsr = 10 * 65536;
    int dlsr = 16384;
    assertThat(RttEstimator.sampleNanos(a, lsr, dlsr)).isEqualTo(250 * MS);
    assertThat(RttEstimator.sampleNanos(a, 0, dlsr)).as("no SR yet").isEqualTo(-1);
    assertThat(RttEstimator.sampleNanos(lsr, a, 0)).as("negative").isEqualTo(-1);
    assertThat(RttEstimator.sampleNanos(5, -10, 3)).as("across the 32-bit wrap").isPositive();
  }

  @Test
  void smoothsWithAnEighthGain() {
    RttEstimator r = new RttEstimator();
    assertThat(r.measured()).isFalse();
    assertThat(r.rttNanos()).isEqualTo(NackGenerator.DEFAULT_RTT_NANOS);
    assertThat(r.update(80 * MS)).isEqualTo(80 * MS);
    assertThat(r.update(160 * MS)).isEqualTo(90 * MS);
    assertThat(r.update(-1)).as("ignored").isEqualTo(90 * MS);
    assertThat(r.measured()).isTrue();
  }
}
