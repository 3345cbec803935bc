package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.PUB_AUDIO_SSRC;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static eu.visio.sfu.Streams.VP8_DELTA;
import static eu.visio.sfu.Streams.VP8_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.ReceiverEstimatedMaxBitrate;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.RtcpCompound;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtcp.SourceDescription;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sender reports rewritten per subscriber, and the receiver reports the SFU sends its publishers
 * (RFC 3550 §6.4, loss per Appendix A.3, jitter per A.8).
 */
class ReportsTest {
  private static final long NTP = 0xE1B2_C3D4_A5B6_C7D8L;

  private final DropCounters drops = new DropCounters();
  private final byte[] scratch = Streams.scratch();
  private final Broadcast broadcast = new Broadcast("s");
  private final Streams.Pub pub = new Streams.Pub("p", drops, scratch);

  ReportsTest() {
    broadcast.setPublisher(pub.publisher, 0);
  }

  private static void senderReport(Streams.Pub p, int ssrc, int rtpTs, long nowNanos) {
    List<RtcpPacket> compound =
        List.of(
            new SenderReport(ssrc, NTP, rtpTs, 1234, 567_890, List.of()),
            SourceDescription.cname(ssrc, "publisher"));
    byte[] b = new byte[RtcpCompound.length(compound)];
    RtcpCompound.write(b, 0, compound);
    p.publisher.onRtcp(b, 0, b.length, nowNanos);
  }

  // ---- sender reports towards subscribers

  @Test
  void senderReportIsRewrittenPerSubscriberAfterASourceSwitch() {
    RecordingSink started = new RecordingSink();
    RecordingSink waiting = new RecordingSink();
    DownTrack a = new DownTrack("a", Streams.subscriberVideo(0x2000_0001, 0), started);
    broadcast.addDownTrack(a, 0);
    pub.video(1, 0, VP8_KEY, 0); // payload 12 bytes
    Streams.Pub next = new Streams.Pub("p2", drops, scratch);
    broadcast.setPublisher(next.publisher, 0);
    next.video(700, 50_000, VP8_KEY, 200 * MS); // out ts 18000 (200 ms at 90 kHz)
    next.video(701, 50_000, "00 010203", 201 * MS); // payload 4 bytes
    DownTrack b = new DownTrack("b", Streams.subscriberVideo(0x2000_0002, 0), waiting);
    broadcast.addDownTrack(b, 210 * MS);
    next.video(702, 53_000, VP8_DELTA, 233 * MS); // payload 7 bytes; b still waits
    started.clear();

    senderReport(next, PUB_VIDEO_SSRC, 60_000, 250 * MS);

    assertThat(started.rtcpPackets())
        .containsExactly(
            new SenderReport(
                0x2000_0001, NTP, 60_000 + (18_000 - 50_000), 4, 12 + 12 + 4 + 7, List.of()));
    assertThat(waiting.rtcp).as("a down track that has not started gets no SR").isEmpty();
  }

  @Test
  void senderReportOfTheReplacedPublisherIsNotForwarded() {
    RecordingSink sink = new RecordingSink();
    broadcast.addDownTrack(new DownTrack("a", Streams.subscriberVideo(1, 0), sink), 0);
    pub.video(1, 0, VP8_KEY, 0);
    broadcast.setPublisher(new Streams.Pub("p2", drops, scratch).publisher, 10 * MS);
    senderReport(pub, PUB_VIDEO_SSRC, 0, 20 * MS);
    assertThat(sink.rtcp).isEmpty();
  }

  // ---- receiver reports towards the publisher

  private ReceiverReport receiverReport(long nowNanos) {
    pub.sink.clear();
    pub.publisher.sendReports(nowNanos);
    List<RtcpPacket> sent = pub.sink.rtcpPackets();
    assertThat(pub.sink.rtcp).as("one compound").hasSize(1);
    return (ReceiverReport) sent.get(0);
  }

  private ReportBlock block(long nowNanos) {
    ReceiverReport rr = receiverReport(nowNanos);
    assertThat(rr.reports()).hasSize(1);
    return rr.reports().get(0);
  }

  private void videoSeqs(int... seqs) {
    for (int seq : seqs) {
      pub.video(seq, 0, VP8_DELTA, 0);
    }
  }

  @Test
  void nothingIsSentBeforeAnyPacket() {
    pub.publisher.sendReports(1000 * MS);
    assertThat(pub.sink.rtcp).isEmpty();
  }

  @Test
  void compoundIsReceiverReportCnameAndRemb() {
    pub.video(1, 0, VP8_DELTA, 0);
    pub.audio(1, 0, 0);
    pub.publisher.sendReports(1000 * MS);
    List<RtcpPacket> sent = pub.sink.rtcpPackets();
    int me = pub.publisher.rtcpSsrc();
    assertThat(sent).hasSize(3);
    ReceiverReport rr = (ReceiverReport) sent.get(0);
    assertThat(rr.ssrc()).isEqualTo(me);
    assertThat(rr.reports())
        .extracting(ReportBlock::ssrc)
        .containsExactly(PUB_VIDEO_SSRC, PUB_AUDIO_SSRC);
    SourceDescription sdes = (SourceDescription) sent.get(1);
    assertThat(sdes.chunks()).hasSize(1);
    assertThat(sdes.chunks().get(0).ssrc()).isEqualTo(me);
    assertThat(sdes.chunks().get(0).cname()).isNotEmpty();
    assertThat(sent.get(2))
        .isEqualTo(
            new ReceiverEstimatedMaxBitrate(
                me, 2_000_000, List.of(PUB_VIDEO_SSRC, PUB_AUDIO_SSRC)));
  }

  @Test
  void fractionAndCumulativeLostFollowAppendixA3() {
    videoSeqs(0, 1, 3, 4, 6, 8, 9); // 2, 5, 7 lost
    ReportBlock first = block(1000 * MS);
    assertThat(first.fractionLost()).isEqualTo(3 * 256 / 10); // 76
    assertThat(first.cumulativeLost()).isEqualTo(3);
    assertThat(first.extendedHighestSequence()).isEqualTo(9);

    videoSeqs(10, 11, 12, 13, 14, 15, 16, 17, 18, 19);
    ReportBlock second = block(2000 * MS);
    assertThat(second.fractionLost()).isZero();
    assertThat(second.cumulativeLost()).isEqualTo(3);
    assertThat(second.extendedHighestSequence()).isEqualTo(19);

    videoSeqs(25, 26, 27, 28, 29); // 20..24 lost
    ReportBlock third = block(3000 * MS);
    assertThat(third.fractionLost()).isEqualTo(128);
    assertThat(third.cumulativeLost()).isEqualTo(8);
  }

  @Test
  void latePacketsAndDuplicatesNeverMakeTheFractionNegative() {
    videoSeqs(0, 1, 2, 3, 5, 6, 7, 8, 9); // 4 late
    assertThat(block(1000 * MS).fractionLost()).isEqualTo(256 / 10);
    videoSeqs(4, 10, 11, 12, 12, 13); // 4 arrives, 12 twice
    ReportBlock b = block(2000 * MS);
    assertThat(b.fractionLost()).isZero();
    assertThat(b.cumulativeLost()).isEqualTo(-1); // RFC 3550 §6.4.1: duplicates count
    assertThat(b.extendedHighestSequence()).isEqualTo(13);
  }

  @Test
  void extendedHighestSequenceCountsWraps() {
    videoSeqs(65_533, 65_534, 1, 2); // 65535 and 0 lost across the wrap
    ReportBlock b = block(1000 * MS);
    assertThat(b.extendedHighestSequence()).isEqualTo(0x1_0002);
    assertThat(b.cumulativeLost()).isEqualTo(2);
    assertThat(b.fractionLost()).isEqualTo(2 * 256 / 6);
  }

  /** Audio at 48 kHz, 20 ms packets; arrivals off their schedule by {@code wobbleMs}. */
  private int jitterAfter(int wobbleMs, int packets) {
    for (int i = 0; i < packets; i++) {
      long at = i * 20 * MS + (i % 2 == 1 ? wobbleMs * MS : 0);
      pub.audio(i, 960 * i, at);
    }
    ReceiverReport rr = receiverReport(packets * 20 * MS);
    return rr.reports().get(0).jitter();
  }

  /** RFC 3550 A.8 for a transit time that alternates by {@code d} units at every packet. */
  private static int expectedJitter(int d, int packets) {
    double j = 0;
    for (int i = 1; i < packets; i++) {
      j += (d - j) / 16;
    }
    return (int) j;
  }

  @Test
  void jitterIsZeroForPerfectArrivals() {
    assertThat(jitterAfter(0, 50)).isZero();
  }

  @Test
  void jitterFollowsAppendixA8() {
    assertThat(jitterAfter(5, 10)).isEqualTo(expectedJitter(240, 10)).isPositive();
  }

  @Test
  void jitterGrowsWithArrivalJitter() {
    int small = jitterAfter(2, 40);
    ReportsTest other = new ReportsTest();
    int large = other.jitterAfter(8, 40);
    assertThat(small).isEqualTo(expectedJitter(2 * 48, 40));
    assertThat(large).isEqualTo(expectedJitter(8 * 48, 40)).isGreaterThan(small);
  }

  @Test
  void lastSenderReportAndDelaySinceIt() {
    pub.video(1, 0, VP8_DELTA, 0);
    ReportBlock before = block(1000 * MS);
    assertThat(before.lastSenderReport()).isZero();
    assertThat(before.delaySinceLastSenderReport()).isZero();

    senderReport(pub, PUB_VIDEO_SSRC, 0, 2000 * MS);
    ReportBlock after = block(2500 * MS);
    assertThat(after.lastSenderReport()).isEqualTo((int) (NTP >>> 16)); // middle 32 bits
    assertThat(after.lastSenderReport()).isEqualTo(0xC3D4_A5B6);
    assertThat(after.delaySinceLastSenderReport()).isEqualTo(65_536 / 2); // 0.5 s in 1/65536 s
  }

  /** A monotonic clock may read 0 (tests' virtual clocks do); an SR then is still an SR. */
  @Test
  void delaySinceLastSenderReportWhenItArrivedAtClockZero() {
    pub.video(1, 0, VP8_DELTA, 0);
    senderReport(pub, PUB_VIDEO_SSRC, 0, 0);
    assertThat(block(250 * MS).delaySinceLastSenderReport()).isEqualTo(65_536 / 4);
  }
}
