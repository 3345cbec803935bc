package eu.visio.sfu;

import static eu.visio.media.rtcp.TransportCcFeedback.LARGE_DELTA;
import static eu.visio.media.rtcp.TransportCcFeedback.NOT_RECEIVED;
import static eu.visio.media.rtcp.TransportCcFeedback.SMALL_DELTA;
import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.PUB_RTX_PT;
import static eu.visio.sfu.Streams.PUB_RTX_SSRC;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static eu.visio.sfu.Streams.PUB_VP8_PT;
import static eu.visio.sfu.Streams.VP8_DELTA;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Transport-wide congestion control feedback towards publishers
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1): what {@link TransportCcRecorder}
 * builds from arrivals, and what a {@link Publisher} sends from its tick.
 */
class TransportFeedbackTest {
  private static final int SENDER = 0x0A0B_0C0D;
  private static final int MEDIA = 0x1111_0001;
  private static final long US = 1000;

  private final TransportCcRecorder recorder = new TransportCcRecorder(64);

  private static PacketStatus got(int seq, int deltaUs) {
    return new PacketStatus(
        seq, deltaUs >= 0 && deltaUs <= 63_750 ? SMALL_DELTA : LARGE_DELTA, deltaUs);
  }

  private static PacketStatus lost(int seq) {
    return new PacketStatus(seq, NOT_RECEIVED, 0);
  }

  @Test
  void feedbackCarriesBaseSequenceReferenceTimeAndDeltas() {
    // 1000.1 ms is 15 × 64 ms + 40.1 ms: reference 15, first delta 40.0 ms (160 ticks, rounded).
    recorder.onPacket(10, MEDIA, 1_000_100 * US);
    recorder.onPacket(11, MEDIA, 1_001_100 * US);
    recorder.onPacket(13, MEDIA, 1_010_000 * US); // 12 lost

    TransportCcFeedback fb = recorder.build(SENDER);

    assertThat(fb.senderSsrc()).isEqualTo(SENDER);
    assertThat(fb.mediaSsrc()).isEqualTo(MEDIA);
    assertThat(fb.baseSequence()).isEqualTo(10);
    assertThat(fb.referenceTime()).isEqualTo(15);
    assertThat(fb.feedbackPacketCount()).isZero();
    assertThat(fb.packets())
        .containsExactly(got(10, 40_000), got(11, 1_000), lost(12), got(13, 9_000));
    assertThat(recorder.build(SENDER)).as("nothing new").isNull();
  }

  /** Deltas are rounded against the reconstructed clock, so 0.1 ms errors do not add up. */
  @Test
  void roundingErrorsDoNotAccumulate() {
    for (int i = 0; i < 40; i++) {
      recorder.onPacket(i, MEDIA, (640_000 + i * 1_100) * US); // 1.1 ms apart: 4.4 ticks
    }
    long[] times = recorder.build(SENDER).arrivalTimesUs();
    for (int i = 0; i < 40; i++) {
      assertThat(times[i])
          .isCloseTo((640_000 + i * 1_100) * 1L, org.assertj.core.data.Offset.offset(125L));
    }
  }

  @Test
  void aLatePacketIsReportedAgainWithWhatFollowedIt() {
    recorder.onPacket(10, MEDIA, 64_000 * US);
    recorder.onPacket(12, MEDIA, 64_500 * US); // 11 missing
    assertThat(recorder.build(SENDER).packets())
        .containsExactly(got(10, 0), lost(11), got(12, 500));

    recorder.onPacket(11, MEDIA, 70_000 * US);
    recorder.onPacket(13, MEDIA, 70_250 * US);
    TransportCcFeedback fb = recorder.build(SENDER);

    assertThat(fb.baseSequence()).isEqualTo(11);
    assertThat(fb.feedbackPacketCount()).isEqualTo(1);
    // reference 64 ms: 11 at +6 ms, then 12 back at 64.5 ms (negative: a large delta), 13.
    assertThat(fb.packets()).containsExactly(got(11, 6_000), got(12, -5_500), got(13, 5_750));
  }

  @Test
  void lossesAtTheStartOfAFeedbackAreReported() {
    recorder.onPacket(10, MEDIA, 64_000 * US);
    recorder.build(SENDER);
    recorder.onPacket(13, MEDIA, 65_000 * US); // 11 and 12 lost
    TransportCcFeedback fb = recorder.build(SENDER);
    assertThat(fb.baseSequence()).isEqualTo(11);
    assertThat(fb.packets()).containsExactly(lost(11), lost(12), got(13, 1_000));
  }

  @Test
  void sequenceNumbersWrap() {
    recorder.onPacket(65_535, MEDIA, 64_000 * US);
    recorder.onPacket(1, MEDIA, 64_250 * US);
    TransportCcFeedback fb = recorder.build(SENDER);
    assertThat(fb.baseSequence()).isEqualTo(65_535);
    assertThat(fb.packets()).containsExactly(got(65_535, 0), lost(0), got(1, 250));
  }

  @Test
  void duplicatesKeepTheFirstArrivalAndPacketsOlderThanTheRingAreDropped() {
    recorder.onPacket(100, MEDIA, 64_000 * US);
    recorder.onPacket(100, MEDIA, 65_000 * US);
    assertThat(recorder.duplicates()).isEqualTo(1);
    recorder.onPacket(200, MEDIA, 66_000 * US);
    recorder.onPacket(120, MEDIA, 66_500 * US); // 80 behind the highest: beyond 64 slots
    assertThat(recorder.tooOld()).isEqualTo(1);
    TransportCcFeedback fb = recorder.build(SENDER);
    assertThat(fb.baseSequence()).as("the ring holds the last 64").isEqualTo(200 - 63);
    assertThat(fb.packets()).hasSize(64);
    assertThat(fb.packets().getLast()).isEqualTo(got(200, 2_000));
  }

  @Test
  void aLongWindowIsSplitAcrossFeedbacks() {
    TransportCcRecorder big = new TransportCcRecorder(1024);
    int n = TransportCcRecorder.MAX_STATUSES + 10;
    for (int i = 0; i < n; i++) {
      big.onPacket(i, MEDIA, (64_000 + i) * US);
    }
    TransportCcFeedback first = big.build(SENDER);
    TransportCcFeedback second = big.build(SENDER);
    assertThat(first.packets()).hasSize(TransportCcRecorder.MAX_STATUSES);
    assertThat(second.baseSequence()).isEqualTo(TransportCcRecorder.MAX_STATUSES);
    assertThat(second.packets()).hasSize(10);
  }

  // ---- through the publisher

  private final DropCounters drops = new DropCounters();
  private final Streams.Pub pub = new Streams.Pub("p", drops, Streams.scratch());

  private void video(int seq, int twcc, long nowNanos) {
    pub.send(
        RtpBuilder.rtp(PUB_VP8_PT, seq, 0, PUB_VIDEO_SSRC)
            .ext(3, String.format("%04x", twcc))
            .payload(VP8_DELTA)
            .build(),
        nowNanos);
  }

  private List<TransportCcFeedback> feedback() {
    List<RtcpPacket> all = pub.sink.rtcpPackets();
    pub.sink.clear();
    return all.stream()
        .filter(p -> p instanceof TransportCcFeedback)
        .map(p -> (TransportCcFeedback) p)
        .toList();
  }

  @Test
  void publisherSendsFeedbackEveryIntervalIncludingRtxAndPadding() {
    video(1, 500, 1000 * MS);
    pub.send(
        RtpBuilder.rtp(PUB_RTX_PT, 1, 0, PUB_RTX_SSRC).ext(3, "01f5").padding(100).build(),
        1002 * MS); // a padding probe on the RTX stream counts for bandwidth estimation
    video(2, 503, 1005 * MS); // 502 lost

    pub.publisher.tick(1010 * MS);
    List<TransportCcFeedback> fb = feedback();
    assertThat(fb).hasSize(1);
    assertThat(fb.getFirst().senderSsrc()).isEqualTo(pub.publisher.rtcpSsrc());
    assertThat(fb.getFirst().baseSequence()).isEqualTo(500);
    long[] times = fb.getFirst().arrivalTimesUs();
    assertThat(times[1] - times[0]).isEqualTo(2_000);
    assertThat(times[2]).isEqualTo(Long.MIN_VALUE);
    assertThat(times[3] - times[0]).isEqualTo(5_000);

    video(3, 504, 1020 * MS);
    pub.publisher.tick(1030 * MS);
    assertThat(feedback()).as("within the interval").isEmpty();
    pub.publisher.tick(1010 * MS + Publisher.FEEDBACK_INTERVAL_NANOS);
    fb = feedback();
    assertThat(fb).hasSize(1);
    assertThat(fb.getFirst().baseSequence()).isEqualTo(504);
    assertThat(fb.getFirst().feedbackPacketCount()).isEqualTo(1);
    assertThat(pub.publisher.transportFeedbackSent()).isEqualTo(2);
  }

  @Test
  void noFeedbackWithoutTheNegotiatedExtension() {
    Publisher p = new Publisher("q", pub.sink, drops, Streams.scratch(), 1_000_000);
    p.addTrack(
        "v",
        new TrackInfo(
            TrackKind.VIDEO, "VP8", 90_000, PUB_VP8_PT, -1, PUB_VIDEO_SSRC, 0, Map.of(), "0"));
    byte[] b =
        RtpBuilder.rtp(PUB_VP8_PT, 1, 0, PUB_VIDEO_SSRC).ext(3, "0001").payload("00").build();
    p.onRtp(b, 0, b.length, 0);
    p.tick(100 * MS);
    assertThat(feedback()).isEmpty();
  }
}
