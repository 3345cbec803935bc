package eu.visio.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExtendedSequenceTest {
  @Test
  void countsCyclesAcrossWrapsWithReordering() {
    ExtendedSequence s = new ExtendedSequence();
    assertThat(s.started()).isFalse();
    assertThat(s.update(65534)).isEqualTo(65534);
    assertThat(s.update(0)).isEqualTo(65536); // 65535 lost or late
    assertThat(s.update(65535)).as("late, previous cycle").isEqualTo(65535);
    assertThat(s.update(1)).isEqualTo(65537);
    assertThat(s.highest()).isEqualTo(65537);
    assertThat(s.cycles()).isEqualTo(1);
    assertThat(s.highest32()).isEqualTo(0x0001_0001);
  }

  @Test
  void followsManyWrapsAndLargeJumpsForward() {
    ExtendedSequence s = new ExtendedSequence();
    long expected = 100;
    s.update(100);
    for (int i = 0; i < 10 * 65536; i += 1000) {
      expected += 1000;
      assertThat(s.update((int) (expected & 0xFFFF))).isEqualTo(expected);
    }
    assertThat(s.cycles()).isEqualTo(expected >> 16);
    assertThat(s.peek((int) ((expected + 5) & 0xFFFF))).isEqualTo(expected + 5);
    assertThat(s.highest()).isEqualTo(expected);
  }

  @Test
  void lateBeforeFirstIsNegativeAndResetForgets() {
    ExtendedSequence s = new ExtendedSequence();
    s.update(0);
    assertThat(s.update(65535)).isEqualTo(-1);
    assertThat(s.highest()).isZero();
    s.reset();
    assertThat(s.started()).isFalse();
    assertThat(s.update(7)).isEqualTo(7);
  }
}
