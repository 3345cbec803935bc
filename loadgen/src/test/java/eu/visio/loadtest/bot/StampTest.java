package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StampTest {
  @Property
  void readsBackWhatWasWritten(
      @ForAll @IntRange(min = 0, max = 65535) int publisher,
      @ForAll @IntRange(min = 0, max = 1) int kind,
      @ForAll @IntRange(min = 0, max = 3) int layer,
      @ForAll long nanos,
      @ForAll @IntRange(min = 0, max = 40) int before) {
    byte[] b = new byte[before + Stamp.LENGTH];
    Stamp.write(b, before, publisher, kind, layer, nanos);
    int end = b.length;
    assertThat(Stamp.present(b, 0, end)).isTrue();
    assertThat(Stamp.publisher(b, end)).isEqualTo(publisher);
    assertThat(Stamp.kind(b, end)).isEqualTo(kind);
    assertThat(Stamp.layer(b, end)).isEqualTo(layer);
    assertThat(Stamp.nanos(b, end)).isEqualTo(nanos);
  }

  @Test
  void paddingAndShortPayloadsCarryNone() {
    byte[] b = new byte[40];
    assertThat(Stamp.present(b, 0, 40)).as("zeros (padding)").isFalse();
    Stamp.write(b, 24, 1, 0, 0, 5);
    assertThat(Stamp.present(b, 30, 40)).as("shorter than a stamp").isFalse();
  }
}
