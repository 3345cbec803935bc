package eu.visio.sfu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TimestampRewriterTest {
  private final TimestampRewriter r = new TimestampRewriter(90_000);

  @Test
  void identityUntilASwitch() {
    assertThat(r.rewrite(1000, 0)).isEqualTo(1000);
    assertThat(r.rewrite(4000, 33_000_000)).isEqualTo(4000);
    assertThat(r.offset()).isZero();
  }

  @Test
  void switchAdvancesByTheElapsedTime() {
    r.rewrite(-100, 0); // wraps through 2^32 below
    r.switchTo(123_456, 100_000_000L); // 100 ms later: 9,000 ticks
    assertThat(r.rewrite(123_456, 100_000_000L)).isEqualTo(-100 + 9000);
    assertThat(r.rewrite(126_456, 133_000_000L)).isEqualTo(-100 + 12_000);
  }

  @Test
  void switchAtTheSameInstantStillMovesOneTick() {
    r.rewrite(5, 7);
    r.switchTo(999, 7L);
    assertThat(r.rewrite(999, 7)).isEqualTo(6);
  }

  @Test
  void alignedSwitchUsesTheCallersTimestamp() {
    r.rewrite(5, 0);
    r.switchAligned(1_000_000, 3005);
    assertThat(r.rewrite(1_003_000, 1)).isEqualTo(6005);
    assertThat(r.newestOutput()).isEqualTo(6005);
  }
}
