package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DelayHistogramTest {
  @Test
  void quantilesAreBucketUpperEdges() {
    DelayHistogram h = new DelayHistogram();
    for (int i = 1; i <= 100; i++) {
      h.record(i * 100_000L); // 0.1 ms .. 10 ms
    }
    assertThat(h.quantileMillis(0.5)).isCloseTo(5.01, within(1e-9));
    assertThat(h.quantileMillis(0.99)).isCloseTo(9.91, within(1e-9));
    h.record(Long.MAX_VALUE);
    h.record(-5);
    assertThat(h.total()).isEqualTo(102);
    assertThat(h.quantileMillis(1.0)).as("the overflow bucket").isEqualTo(2000.0);
    assertThat(new DelayHistogram().quantileMillis(0.5)).isNaN();
  }
}
