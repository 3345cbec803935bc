package eu.visio.sfu.nack;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtp.ExtendedSequence;
import eu.visio.media.rtp.SequenceNumbers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class NackResponderTest {
  private static final long MS = 1_000_000L;
  private static final int OFFSET = 1000; // subscriber seq = source seq + OFFSET

  private final PacketHistory history = new PacketHistory(64, 200);
  private final byte[] scratch = new byte[200];
  private final List<int[]> sent = new ArrayList<>(); // {subscriberSeq, len, firstByte}
  private final NackResponder.Resender resender =
      (seq, buf, off, len) -> sent.add(new int[] {seq, len, buf[off] & 0xFF});
  private final NackResponder.SequenceMap map = seq -> SequenceNumbers.add(seq, -OFFSET);

  private void publish(int fromSeq, int count) {
    ExtendedSequence ext = new ExtendedSequence();
    for (int i = 0; i < count; i++) {
      int seq = (fromSeq + i) & 0xFFFF;
      byte[] p = new byte[100 + seq % 50];
      p[0] = (byte) seq;
      history.store(p, 0, p.length, ext.update(seq), 0);
    }
  }

  private static GenericNack nack(int... subscriberSeqs) {
    List<Integer> lost = new ArrayList<>();
    for (int s : subscriberSeqs) {
      lost.add(s);
    }
    return GenericNack.fromLost(1, 2, lost);
  }

  @Test
  void resendsTheSourceBytesForEachLostNumber() {
    publish(10, 20);
    NackResponder r = new NackResponder(64, 10 * MS);
    int n = r.respond(nack(1012, 1013, 1020), map, history, scratch, resender, 0);
    assertThat(n).isEqualTo(3);
    assertThat(sent)
        .extracting(a -> Arrays.toString(a))
        .containsExactly("[1012, 112, 12]", "[1013, 113, 13]", "[1020, 120, 20]");
    assertThat(r.served()).isEqualTo(3);
  }

  /** A new source: the old resend times go, the counts stay (the metrics sum them). */
  @Test
  void forgettingResendTimesKeepsTheCounts() {
    publish(10, 20);
    NackResponder r = new NackResponder(64, 10 * MS);
    r.respond(nack(1012), map, history, scratch, resender, 0);
    r.respond(nack(1012, 1099), map, history, scratch, resender, MS);
    assertThat(r.rateLimited()).isEqualTo(1);
    r.forget();
    assertThat(r.respond(nack(1012), map, history, scratch, resender, 2 * MS)).isEqualTo(1);
    assertThat(r.served()).isEqualTo(2);
    assertThat(r.rateLimited()).isEqualTo(1);
    assertThat(r.missingFromHistory()).isEqualTo(1);
  }

  @Test
  void doesNotResendTheSamePacketWithinOneRoundTrip() {
    publish(10, 20);
    NackResponder r = new NackResponder(64, 10 * MS);
    r.setRttNanos(40 * MS);
    assertThat(r.respond(nack(1015), map, history, scratch, resender, 0)).isEqualTo(1);
    assertThat(r.respond(nack(1015, 1016), map, history, scratch, resender, 39 * MS)).isEqualTo(1);
    assertThat(r.rateLimited()).isEqualTo(1);
    assertThat(r.respond(nack(1015), map, history, scratch, resender, 40 * MS)).isEqualTo(1);
    r.setRttNanos(1 * MS);
    assertThat(r.respond(nack(1015), map, history, scratch, resender, 49 * MS))
        .as("floor of 10 ms")
        .isZero();
    assertThat(r.respond(nack(1015), map, history, scratch, resender, 50 * MS)).isEqualTo(1);
  }

  @Test
  void countsNumbersMissingFromTheHistoryAndUnmapped() {
    publish(10, 100); // ring of 64: 10..45 evicted
    NackResponder r = new NackResponder(64, 10 * MS);
    NackResponder.SequenceMap partial = seq -> seq == 1050 ? -1 : map.sourceSequence(seq);
    int n = r.respond(nack(1020, 1050, 1060, 1500), partial, history, scratch, resender, 0);
    assertThat(n).isEqualTo(1);
    assertThat(r.served()).isEqualTo(1);
    assertThat(r.missingFromHistory()).as("evicted 20, never stored 500").isEqualTo(2);
    assertThat(r.unmapped()).isEqualTo(1);
  }

  @Test
  void answersAcrossTheSequenceWrap() {
    publish(65530, 12); // 65530..65535, 0..5
    NackResponder r = new NackResponder(64, 10 * MS);
    NackResponder.SequenceMap identity = seq -> seq;
    int n = r.respond(nack(65534, 65535, 0, 1), identity, history, scratch, resender, 0);
    assertThat(n).isEqualTo(4);
    assertThat(sent).extracting(a -> a[0]).containsExactly(65534, 65535, 0, 1);
    assertThat(sent).extracting(a -> a[2]).containsExactly(0xFE, 0xFF, 0, 1);
  }

  @Test
  void emptyHistoryServesNothing() {
    NackResponder r = new NackResponder(64, 10 * MS);
    assertThat(r.respond(nack(1), seq -> seq, history, scratch, resender, 0)).isZero();
    assertThat(r.unmapped()).isEqualTo(1);
  }

  /**
   * NACKs are subscriber input: any numbers, any rate; never throws, never serves twice at once.
   */
  @Property(tries = 300)
  void randomNacksNeverThrow(
      @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 65535) Integer> lost,
      @ForAll @IntRange(min = 0, max = 65535) int start) {
    PacketHistory h = new PacketHistory(32, 200);
    ExtendedSequence ext = new ExtendedSequence();
    for (int i = 0; i < 50; i++) {
      int seq = (start + i) & 0xFFFF;
      h.store(new byte[60], 0, 60, ext.update(seq), 0);
    }
    NackResponder r = new NackResponder(32, 10 * MS);
    List<Integer> sorted = new ArrayList<>(lost);
    sorted.sort(null);
    int[] count = new int[1];
    int n = 0;
    if (!sorted.isEmpty()) {
      GenericNack nack = GenericNack.fromLost(1, 2, sorted);
      n = r.respond(nack, seq -> seq, h, new byte[200], (s, b, o, l) -> count[0]++, 0);
    }
    assertThat(n).isEqualTo(count[0]).isLessThanOrEqualTo(32);
    assertThat(r.served() + r.missingFromHistory() + r.rateLimited() + r.unmapped())
        .isGreaterThanOrEqualTo(sorted.stream().distinct().count());
  }
}
