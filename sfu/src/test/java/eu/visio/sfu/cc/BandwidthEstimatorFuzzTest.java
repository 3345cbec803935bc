package eu.visio.sfu.cc;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Feedback is untrusted: whatever statuses, deltas, sequence numbers and reference times a receiver
 * sends, interleaved with our sending, probing and REMB, nothing throws and the estimate stays
 * within its bounds.
 */
class BandwidthEstimatorFuzzTest {
  private static final long MIN = 150_000;
  private static final long MAX = 8_000_000;

  /** One receiver report: base relative to our first packet, reference time, statuses. */
  record Report(
      int baseOffset, int referenceTime, List<int[]> statuses, int sendBefore, long remb) {}

  @Provide
  Arbitrary<Report> reports() {
    Arbitrary<int[]> status =
        Arbitraries.oneOf(
            Arbitraries.just(new int[] {TransportCcFeedback.NOT_RECEIVED, 0}),
            Arbitraries.integers().between(0, 255).map(t -> new int[] {1, t}),
            Arbitraries.integers()
                .between(Short.MIN_VALUE, Short.MAX_VALUE)
                .map(t -> new int[] {2, t}));
    return Combinators.combine(
            Arbitraries.oneOf(
                Arbitraries.integers().between(-50, 400),
                Arbitraries.integers().between(0, 0xFFFF)),
            Arbitraries.oneOf(
                Arbitraries.integers().between(0, 0xFFFFFF),
                Arbitraries.integers().between(0xFFFFF0, 0xFFFFFF),
                Arbitraries.integers().between(0, 16)),
            status.list().ofMaxSize(300),
            Arbitraries.integers().between(0, 120),
            Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1L << 40)))
        .as(Report::new);
  }

  @Property(tries = 400)
  void arbitraryFeedbackNeverThrowsAndKeepsTheEstimateInBounds(
      @ForAll @IntRange(min = 0, max = 0xFFFF) int firstSeq,
      @ForAll @Size(max = 25) List<@net.jqwik.api.From("reports") Report> reports,
      @ForAll @IntRange(min = 1, max = 40) int stepMs) {
    TransportSequencer sequencer = new TransportSequencer(1024, firstSeq);
    List<Long> seen = new ArrayList<>();
    BandwidthEstimator bwe =
        new BandwidthEstimator(
            "fuzz",
            new BandwidthEstimator.Config(1_000_000, MIN, MAX, 200),
            sequencer,
            (b, a, r) -> seen.add(a));
    long now = 0;
    int fbCount = 0;
    for (Report r : reports) {
      for (int i = 0; i < r.sendBefore(); i++) {
        now += stepMs * 100_000L;
        sequencer.next(now, 100 + i * 7, i % 5 == 0);
        while (bwe.prober().shouldProbe(now, 4_000_000)) {
          bwe.prober().next(now, bwe.prober().probeSize());
        }
      }
      now += stepMs * 1_000_000L;
      int base = (firstSeq + r.baseOffset()) & 0xFFFF;
      List<PacketStatus> statuses = new ArrayList<>();
      for (int i = 0; i < r.statuses().size(); i++) {
        int[] s = r.statuses().get(i);
        statuses.add(new PacketStatus((base + i) & 0xFFFF, s[0], s[1] * 250));
      }
      bwe.onFeedback(
          new TransportCcFeedback(1, 2, base, r.referenceTime(), fbCount++ & 0xFF, statuses), now);
      if (r.remb() > 0) {
        bwe.onRemb(r.remb(), now + (fbCount % 3) * 3_000_000_000L);
      }
      assertThat(bwe.estimate()).isBetween(MIN, MAX);
      assertThat(bwe.feedbackAdapter().results().count()).isLessThanOrEqualTo(statuses.size());
    }
    assertThat(seen).allSatisfy(bps -> assertThat(bps).isBetween(MIN, MAX));
  }
}
