package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TransportSequencerTest {

  @Test
  void numbersConsecutivelyAcrossTheWrapAndRemembers() {
    TransportSequencer s = new TransportSequencer(16, 65534);
    assertThat(s.highest()).isEqualTo(-1);
    assertThat(s.unwrap(5)).isEqualTo(Long.MIN_VALUE);
    assertThat(s.next(100, 1200, false)).isEqualTo(65534);
    assertThat(s.next(200, 300, true)).isEqualTo(65535);
    assertThat(s.next(300, 1000, false)).isZero();
    assertThat(s.highest()).isEqualTo(65536);
    assertThat(s.sent()).isEqualTo(3);

    int slot = s.slot(65535);
    assertThat(s.sendNanos(slot)).isEqualTo(200);
    assertThat(s.size(slot)).isEqualTo(300);
    assertThat(s.probe(slot)).isTrue();
    assertThat(s.probe(s.slot(65536))).isFalse();
  }

  @ParameterizedTest(name = "highest {0}: seq {1} -> {2}")
  @CsvSource({
    "65536, 0, 65536",
    "65536, 65535, 65535",
    "65536, 1, 65537", // newer than anything sent: unwraps forward, then is unknown
    "65536, 32768, 32768", // exactly half the space back
    "100, 65500, -36",
  })
  void unwrapsAgainstTheHighestSent(long highest, int seq, long expected) {
    TransportSequencer s = new TransportSequencer(16, (int) (highest & 0xFFFF));
    // Simulate having sent up to `highest` by advancing from its 16-bit value: same unwrap
    // arithmetic, only the cycle differs, so compare modulo the cycle offset.
    s.next(0, 1, false);
    long cycle = highest - (highest & 0xFFFF);
    assertThat(s.unwrap(seq) + cycle).isEqualTo(expected);
  }

  @Test
  void forgetsWhatTheRingOverwrote() {
    TransportSequencer s = new TransportSequencer(16, 0);
    for (int i = 0; i < 20; i++) {
      s.next(i, 100 + i, false);
    }
    assertThat(s.slot(3)).isEqualTo(-1);
    assertThat(s.slot(4)).isNotNegative();
    assertThat(s.size(s.slot(19))).isEqualTo(119);
    assertThat(s.slot(20)).isEqualTo(-1); // not sent yet
    assertThat(s.slot(-1)).isEqualTo(-1);
  }

  /** A packet the transport refused never left: its number must not become a gap on the wire. */
  @Test
  void theNewestNumberTakenBackIsHandedOutAgain() {
    TransportSequencer s = new TransportSequencer(16, 65535);
    assertThat(s.next(0, 100, false)).isEqualTo(65535);
    assertThat(s.next(1, 200, true)).isZero();
    s.unsent(0);
    assertThat(s.sent()).isEqualTo(1);
    assertThat(s.slot(65536)).isEqualTo(-1);
    assertThat(s.next(2, 300, false)).isZero();
    int slot = s.slot(65536);
    assertThat(slot).isNotNegative();
    assertThat(s.size(slot)).isEqualTo(300);
    assertThat(s.probe(slot)).isFalse();
  }

  @Test
  void anOlderNumberTakenBackIsForgotten() {
    TransportSequencer s = new TransportSequencer(16, 0);
    s.next(0, 100, false);
    s.next(1, 100, false);
    s.next(2, 100, false);
    s.unsent(1);
    assertThat(s.slot(1)).isEqualTo(-1);
    assertThat(s.slot(0)).isNotNegative();
    assertThat(s.slot(2)).isNotNegative();
    assertThat(s.next(3, 100, false)).isEqualTo(3);
    s.unsent(40); // never sent: nothing to take back
    assertThat(s.sent()).isEqualTo(4);
  }

  @Test
  void rejectsCapacitiesThatAreNotUsablePowersOfTwo() {
    assertThatThrownBy(() -> new TransportSequencer(1000, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TransportSequencer(65536, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
