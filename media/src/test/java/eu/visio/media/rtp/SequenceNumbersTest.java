package eu.visio.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SequenceNumbersTest {
  @ParameterizedTest(name = "diff({0}, {1}) = {2}")
  @CsvSource({
    "1, 0, 1",
    "0, 1, -1",
    "0, 65535, 1",
    "65535, 0, -1",
    "100, 65500, 136",
    "32767, 0, 32767",
    "32768, 0, -32768",
    "5, 5, 0",
  })
  void diffIsWrapAware(int a, int b, int expected) {
    assertThat(SequenceNumbers.diff(a, b)).isEqualTo(expected);
    assertThat(SequenceNumbers.compare(a, b)).isEqualTo(Integer.signum(expected));
    assertThat(SequenceNumbers.isNewer(a, b)).isEqualTo(expected > 0);
  }

  @Test
  void timestampsWrapAt32Bits() {
    assertThat(SequenceNumbers.timestampDiff(10, 0xFFFFFFF0)).isEqualTo(26);
    assertThat(SequenceNumbers.isNewerTimestamp(10, 0xFFFFFFF0)).isTrue();
    assertThat(SequenceNumbers.isNewerTimestamp(0xFFFFFFF0, 10)).isFalse();
    assertThat(SequenceNumbers.add(65535, 2)).isEqualTo(1);
  }

  @Property
  void addThenDiffRoundTrips(
      @ForAll @IntRange(min = 0, max = 65535) int seq,
      @ForAll @IntRange(min = -32768, max = 32767) int delta) {
    assertThat(SequenceNumbers.diff(SequenceNumbers.add(seq, delta), seq)).isEqualTo(delta);
  }
}
