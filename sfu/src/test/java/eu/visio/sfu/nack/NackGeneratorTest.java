package eu.visio.sfu.nack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtp.ExtendedSequence;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NackGeneratorTest {
  private static final long MS = 1_000_000L;

  private final int[] out = new int[64];

  private static NackGenerator generator(int capacity, int maxRetries, long maxAgeNanos) {
    return new NackGenerator(
        new NackGenerator.Config(capacity, 5 * MS, 3, 10 * MS, maxRetries, maxAgeNanos, 3000));
  }

  private int[] collect(NackGenerator g, long now) {
    return Arrays.copyOf(out, g.collect(now, out));
  }

  private static void arrive(NackGenerator g, long now, long... seqs) {
    for (long s : seqs) {
      g.onPacket(s, now);
    }
  }

  @Test
  void singleLossIsNackedAfterTheReorderDelay() {
    NackGenerator g = new NackGenerator();
    g.onPacket(10, 0);
    g.onPacket(11, 1 * MS);
    g.onPacket(13, 2 * MS);
    assertThat(g.missing()).isEqualTo(1);
    assertThat(collect(g, 4 * MS)).as("still within the reorder delay").isEmpty();
    assertThat(collect(g, 7 * MS)).containsExactly(12);
    assertThat(g.nacksSent()).isEqualTo(1);
  }

  @Test
  void reorderedPacketWithinTheDelayIsNeverNacked() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 10, 11, 13);
    assertThat(collect(g, 3 * MS)).isEmpty();
    g.onPacket(12, 4 * MS);
    for (long t = 4; t < 2000; t += 20) {
      assertThat(collect(g, t * MS)).isEmpty();
    }
    assertThat(g.missing()).isZero();
    assertThat(g.recovered()).isEqualTo(1);
    assertThat(g.nacksSent()).isZero();
  }

  @Test
  void enoughLaterPacketsTriggerTheFirstNackEarly() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 0, 2, 3);
    assertThat(collect(g, 0)).as("two newer packets").isEmpty();
    g.onPacket(4, 0);
    assertThat(collect(g, 0)).as("three newer packets").containsExactly(1);
  }

  @Test
  void retriesAreSpacedByTheRoundTripTime() {
    NackGenerator g = new NackGenerator();
    g.setRttNanos(50 * MS);
    arrive(g, 0, 0, 2);
    assertThat(collect(g, 5 * MS)).containsExactly(1);
    assertThat(collect(g, 30 * MS)).isEmpty();
    assertThat(collect(g, 54 * MS)).isEmpty();
    assertThat(collect(g, 55 * MS)).containsExactly(1);
    assertThat(collect(g, 104 * MS)).isEmpty();
    assertThat(collect(g, 105 * MS)).containsExactly(1);
  }

  @Test
  void retriesAreAtLeastTenMillisecondsApartWhateverTheRtt() {
    NackGenerator g = new NackGenerator();
    g.setRttNanos(1 * MS);
    arrive(g, 0, 0, 2);
    assertThat(collect(g, 5 * MS)).containsExactly(1);
    assertThat(collect(g, 14 * MS)).isEmpty();
    assertThat(collect(g, 15 * MS)).containsExactly(1);
  }

  @Test
  void givesUpAfterMaxRetries() {
    NackGenerator g = generator(64, 3, 10_000 * MS);
    g.setRttNanos(20 * MS);
    arrive(g, 0, 0, 2);
    int nacks = 0;
    for (long t = 5; t < 500; t += 5) {
      nacks += g.collect(t * MS, out);
    }
    assertThat(nacks).isEqualTo(3);
    assertThat(g.givenUpRetries()).isEqualTo(1);
    assertThat(g.missing()).isZero();
    g.onPacket(1, 500 * MS);
    assertThat(g.recovered()).as("abandoned: a late arrival is just a duplicate").isZero();
  }

  @Test
  void givesUpAfterMaxAge() {
    NackGenerator g = new NackGenerator(); // 10 retries, 1 s
    g.setRttNanos(400 * MS);
    arrive(g, 0, 0, 2);
    assertThat(collect(g, 5 * MS)).containsExactly(1);
    assertThat(collect(g, 405 * MS)).containsExactly(1);
    assertThat(collect(g, 805 * MS)).containsExactly(1);
    assertThat(collect(g, 1001 * MS)).isEmpty();
    assertThat(g.givenUpAge()).isEqualTo(1);
    assertThat(g.givenUpRetries()).isZero();
    assertThat(g.missing()).isZero();
  }

  @Test
  void burstLossBeyondCapacityAsksForAKeyframe() {
    NackGenerator g = generator(16, 10, 1000 * MS);
    arrive(g, 0, 0, 10); // 9 missing
    assertThat(g.missing()).isEqualTo(9);
    assertThat(g.takeKeyframeRequest()).isFalse();
    arrive(g, 1 * MS, 20); // 9 more: 18 > 16
    assertThat(g.missing()).isZero();
    assertThat(g.overflows()).isEqualTo(1);
    assertThat(g.takeKeyframeRequest()).isTrue();
    assertThat(g.takeKeyframeRequest()).as("signal is consumed").isFalse();
    assertThat(collect(g, 100 * MS)).isEmpty();
    arrive(g, 101 * MS, 21, 23, 24, 25);
    assertThat(collect(g, 101 * MS)).as("tracking resumes").containsExactly(22);
  }

  @Test
  void hugeJumpResetsInsteadOfNackingThousands() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 100, 101, 103);
    g.onPacket(103 + 3001, 1 * MS);
    assertThat(g.missing()).isZero();
    assertThat(g.jumps()).isEqualTo(1);
    assertThat(g.takeKeyframeRequest()).isTrue();
    assertThat(collect(g, 100 * MS)).isEmpty();
    arrive(g, 100 * MS, 3105, 3107);
    assertThat(collect(g, 200 * MS)).containsExactly(3106);
    g.onPacket(3107 - 5000, 300 * MS); // a jump backwards (new random start) resets as well
    assertThat(g.jumps()).isEqualTo(2);
    assertThat(g.highest()).isEqualTo(3107 - 5000);
    assertThat(collect(g, 400 * MS)).isEmpty();
  }

  @Test
  void jumpJustBelowTheLimitIsTrackedWhenItFits() {
    NackGenerator g = generator(4096, 10, 1000 * MS);
    arrive(g, 0, 0, 3000);
    assertThat(g.missing()).isEqualTo(2999);
    assertThat(g.jumps()).isZero();
  }

  @Test
  void duplicatesAndOldPacketsAreIgnored() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 0, 1, 1, 3, 3, 0, 1);
    assertThat(g.duplicates()).isEqualTo(4);
    assertThat(g.missing()).isEqualTo(1);
    assertThat(collect(g, 10 * MS)).containsExactly(2);
    g.onPacket(2, 11 * MS);
    g.onPacket(2, 12 * MS);
    assertThat(g.recovered()).isEqualTo(1);
    assertThat(g.duplicates()).isEqualTo(5);
    assertThat(collect(g, 500 * MS)).isEmpty();
  }

  @Test
  void rtxRecoveryRemovesTheEntry() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 0, 2, 4);
    assertThat(collect(g, 10 * MS)).containsExactly(1, 3);
    g.onRtx(3, 20 * MS);
    g.onRtx(3, 21 * MS); // the same retransmission twice
    g.onRtx(99_999, 21 * MS); // nonsense OSN: ignored, no reset
    assertThat(g.recoveredRtx()).isEqualTo(1);
    assertThat(g.jumps()).isZero();
    assertThat(collect(g, 200 * MS)).containsExactly(1);
  }

  @Test
  void reportsSixteenBitNumbersAscendingAcrossTheWrap() {
    NackGenerator g = new NackGenerator();
    ExtendedSequence ext = new ExtendedSequence();
    for (int seq : new int[] {65532, 65533, 1, 3}) {
      g.onPacket(ext.update(seq), 0);
    }
    int[] lost = collect(g, 10 * MS);
    assertThat(lost).containsExactly(65534, 65535, 0, 2);
    GenericNack nack = NackGenerator.toGenericNack(1, 2, lost, lost.length);
    assertThat(nack.entries()).containsExactly(new GenericNack.Entry(65534, 0b1011));
  }

  @Test
  void numbersThatDoNotFitWaitForTheNextTick() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 0, 10);
    int[] small = new int[4];
    assertThat(g.collect(10 * MS, small)).isEqualTo(4);
    assertThat(small).containsExactly(1, 2, 3, 4);
    assertThat(g.collect(11 * MS, small)).isEqualTo(4);
    assertThat(small).containsExactly(5, 6, 7, 8);
    assertThat(g.collect(12 * MS, small)).isEqualTo(1);
    assertThat(small[0]).isEqualTo(9);
  }

  @Test
  void tombstonesAreReclaimedWhenTheRingIsFull() {
    NackGenerator g = generator(16, 10, 10_000 * MS);
    arrive(g, 0, 0, 10); // 1..9 missing
    arrive(g, 0, 2, 3, 4, 5, 6, 7, 8); // recovered in the middle: 1 and 9 left, ring still holds 9
    assertThat(g.missing()).isEqualTo(2);
    arrive(g, 0, 20); // 11..19: 9 more, 18 physical slots > 16, compaction makes room
    assertThat(g.missing()).isEqualTo(11);
    assertThat(g.overflows()).isZero();
    g.onPacket(15, 0);
    assertThat(collect(g, 10 * MS)).containsExactly(1, 9, 11, 12, 13, 14, 16, 17, 18, 19);
  }

  @Test
  void resetForgetsTheStream() {
    NackGenerator g = new NackGenerator();
    arrive(g, 0, 0, 5);
    g.reset();
    assertThat(g.missing()).isZero();
    arrive(g, 0, 40_000, 40_002);
    assertThat(collect(g, 10 * MS)).containsExactly(40_001);
  }

  @Test
  void packsEntriesLikeGenericNackFromLost() {
    List<int[]> cases =
        List.of(
            new int[] {},
            new int[] {7},
            new int[] {7, 8, 23},
            new int[] {7, 24, 25},
            new int[] {65535, 0, 15, 16},
            new int[] {1, 1, 2, 100, 117, 118});
    for (int[] lost : cases) {
      int[] entries = new int[8];
      int n = NackGenerator.pack(lost, lost.length, entries);
      if (lost.length == 0) {
        assertThat(n).isZero();
        continue;
      }
      List<GenericNack.Entry> expected =
          NackGenerator.toGenericNack(0, 0, lost, lost.length).entries();
      assertThat(n).as(Arrays.toString(lost)).isEqualTo(expected.size());
      for (int i = 0; i < n; i++) {
        assertThat(new GenericNack.Entry(entries[i] >>> 16, entries[i] & 0xFFFF))
            .isEqualTo(expected.get(i));
      }
    }
    int[] one = new int[1];
    assertThat(NackGenerator.pack(new int[] {1, 100, 200}, 3, one)).isEqualTo(1);
    assertThat(one[0]).isEqualTo(1 << 16);
  }

  @Test
  void rejectsBadConfig() {
    assertThatThrownBy(() -> generator(100, 10, MS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generator(16, 0, MS)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> generator(16, 1, 0)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void retransmissionBeforeAnyMediaStartsTheStream() {
    // The fuzz test's shrunk case: RTX for 1 arrives first, then media 0, 2, 3, 4.
    NackGenerator g =
        new NackGenerator(
            new NackGenerator.Config(16, 5_000_000L, 3, 10_000_000L, 5, 1_000_000_000L, 3000));
    g.onRtx(1, 0);
    g.onPacket(0, 7_000_000L);
    g.onPacket(2, 8_000_000L);
    g.onPacket(3, 9_000_000L);
    g.onPacket(4, 9_000_000L);
    int[] out = new int[8];
    assertThat(g.collect(100_000_000L, out)).isZero();
  }
}
