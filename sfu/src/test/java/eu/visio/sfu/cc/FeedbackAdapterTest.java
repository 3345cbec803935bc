package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeedbackAdapterTest {
  private static final long LOST = Long.MIN_VALUE;
  private static final long MS = 1_000_000;

  private static TransportSequencer sent(int first, int count) {
    TransportSequencer s = new TransportSequencer(1024, first);
    for (int i = 0; i < count; i++) {
      s.next(i * 10L * MS, 1000 + i, i % 2 == 1);
    }
    return s;
  }

  @Test
  void joinsArrivalsWithSendTimesSizesAndLosses() {
    TransportSequencer s = sent(100, 4);
    FeedbackAdapter a = new FeedbackAdapter(s);
    int n = a.onFeedback(Feedbacks.of(100, 0, 64_000, LOST, 84_000, 94_250), 50 * MS);

    assertThat(n).isEqualTo(4);
    PacketResults r = a.results();
    assertThat(r.sequence(0)).isEqualTo(100);
    assertThat(r.arrivalNanos(0)).isEqualTo(64_000_000);
    assertThat(r.lost(1)).isTrue();
    assertThat(r.arrivalNanos(2) - r.arrivalNanos(0)).isEqualTo(20 * MS);
    assertThat(r.arrivalNanos(3) - r.arrivalNanos(0)).isEqualTo(30_250_000);
    assertThat(r.sendNanos(3)).isEqualTo(30 * MS);
    assertThat(r.size(2)).isEqualTo(1002);
    assertThat(r.probe(1)).isTrue();
    assertThat(r.probe(2)).isFalse();
    assertThat(a.rttNanos()).isEqualTo(20 * MS);
  }

  @Test
  void skipsSequenceNumbersNeverSentOrForgotten() {
    TransportSequencer s = sent(0, 3);
    FeedbackAdapter a = new FeedbackAdapter(s);
    // 65534, 65535 are "before" 0 (never sent); 3 and 4 are after the highest sent.
    int n = a.onFeedback(Feedbacks.of(65534, 0, 1000, 2000, 3000, 4000, 5000, 6000, 7000), 0);
    assertThat(n).isEqualTo(3);
    assertThat(a.results().sequence(0)).isZero();
    assertThat(a.results().arrivalNanos(0)).isEqualTo(3_000_000);
    assertThat(a.unknownPackets()).isEqualTo(4);
  }

  /**
   * A number taken back after the transport refused its packet (the packet never left) is reported
   * missing by the receiver; that is not loss.
   */
  @Test
  void aNumberTakenBackIsNotReportedLost() {
    TransportSequencer s = sent(100, 4);
    s.unsent(101);
    FeedbackAdapter a = new FeedbackAdapter(s);
    int n = a.onFeedback(Feedbacks.of(100, 0, 64_000, LOST, 84_000, 94_250), 50 * MS);
    assertThat(n).isEqualTo(3);
    for (int i = 0; i < n; i++) {
      assertThat(a.results().lost(i)).as("result %d", i).isFalse();
    }
    assertThat(a.unknownPackets()).isEqualTo(1);
  }

  @Test
  void unwrapsSequenceNumbersAcrossTheWrap() {
    TransportSequencer s = sent(65534, 4); // 65534, 65535, 0, 1
    FeedbackAdapter a = new FeedbackAdapter(s);
    assertThat(a.onFeedback(Feedbacks.of(65535, 0, 1000, 2000, 3000), 0)).isEqualTo(3);
    assertThat(a.results().sequence(0)).isEqualTo(65535);
    assertThat(a.results().sequence(2)).isEqualTo(65537);
    assertThat(a.results().sendNanos(2)).isEqualTo(30 * MS);
  }

  @Test
  void unwrapsTheReferenceTimeAcrossItsWrap() {
    TransportSequencer s = sent(0, 4);
    FeedbackAdapter a = new FeedbackAdapter(s);
    long wrapUs = (1L << 24) * 64_000;
    a.onFeedback(Feedbacks.of(0, 0, wrapUs - 64_000 + 10_000, wrapUs - 64_000 + 20_000), 0);
    long before = a.results().arrivalNanos(1);
    TransportCcFeedback after = Feedbacks.of(2, 1, wrapUs + 1_000, wrapUs + 11_000);
    assertThat(after.referenceTime()).isZero();
    a.onFeedback(after, 0);
    assertThat(a.results().arrivalNanos(0) - before).isEqualTo(45_000_000);
    assertThat(a.results().arrivalNanos(1) - before).isEqualTo(55_000_000);
  }

  @Test
  void reportsEachPacketOnceButALateArrivalAfterALoss() {
    TransportSequencer s = sent(10, 3);
    FeedbackAdapter a = new FeedbackAdapter(s);
    assertThat(a.onFeedback(Feedbacks.of(10, 0, 1000, LOST), 0)).isEqualTo(2);

    // The same feedback again (duplicated): nothing new.
    assertThat(a.onFeedback(Feedbacks.of(10, 0, 1000, LOST), 0)).isZero();
    // Reordered/overlapping feedback: 10 again (skipped), 11 now received, 12 new.
    assertThat(a.onFeedback(Feedbacks.of(10, 1, 1000, 1500, 2000), 0)).isEqualTo(2);
    assertThat(a.results().sequence(0)).isEqualTo(11);
    assertThat(a.results().lost(0)).isFalse();
    assertThat(a.results().sequence(1)).isEqualTo(12);
    // Received, then reported lost by a stale feedback: stays received.
    assertThat(a.onFeedback(Feedbacks.of(12, 2, LOST), 0)).isZero();
  }

  @Test
  void olderFeedbackArrivingLateKeepsItsOwnReferenceTime() {
    TransportSequencer s = sent(0, 4);
    FeedbackAdapter a = new FeedbackAdapter(s);
    a.onFeedback(Feedbacks.of(2, 1, 640_000, 650_000), 0);
    long newer = a.results().arrivalNanos(0);
    a.onFeedback(Feedbacks.of(0, 0, 128_000, 138_000), 0);
    assertThat(newer - a.results().arrivalNanos(0)).isEqualTo(512 * MS);
  }

  @Test
  void largeNegativeDeltasAndEmptyFeedbackAreHarmless() {
    TransportSequencer s = sent(0, 3);
    FeedbackAdapter a = new FeedbackAdapter(s);
    TransportCcFeedback fb =
        new TransportCcFeedback(
            1,
            2,
            0,
            5,
            0,
            List.of(
                new PacketStatus(0, TransportCcFeedback.LARGE_DELTA, -8_000_000),
                new PacketStatus(1, TransportCcFeedback.SMALL_DELTA, 0)));
    assertThat(a.onFeedback(fb, 0)).isEqualTo(2);
    assertThat(a.results().arrivalNanos(0)).isEqualTo(5 * 64 * MS - 8_000 * MS);
    assertThat(a.onFeedback(new TransportCcFeedback(1, 2, 0, 5, 1, List.of()), 0)).isZero();
  }
}
