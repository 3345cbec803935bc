package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.PUB_AUDIO_SSRC;
import static eu.visio.sfu.Streams.PUB_RTX_PT;
import static eu.visio.sfu.Streams.PUB_RTX_SSRC;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static eu.visio.sfu.Streams.PUB_VP8_PT;
import static eu.visio.sfu.Streams.SUB_RTX_PT;
import static eu.visio.sfu.Streams.SUB_VP8_PT;
import static eu.visio.sfu.Streams.VP8_DELTA;
import static eu.visio.sfu.Streams.VP8_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.RtcpCompound;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtp.RtpPacket;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * NACK and RTX through the forwarding core (RFC 4585 §6.2.1, RFC 4588): subscribers' NACKs served
 * from the published track's history, the publisher's losses NACKed upstream from the tick, and the
 * publisher's RTX repairing losses without duplicating what subscribers already have.
 */
class RetransmissionTest {
  private static final int RTX_VIEWER_SSRC = 0x2222_0001;
  private static final int RTX_VIEWER_RTX_SSRC = 0x2222_0002;
  private static final int PLAIN_VIEWER_SSRC = 0x3333_0001;

  private final DropCounters drops = new DropCounters();
  private final byte[] scratch = Streams.scratch();
  private final Broadcast broadcast = new Broadcast("s");
  private final Streams.Pub pub = new Streams.Pub("p", drops, scratch);
  private final Viewer rtx = new Viewer("rtx", RTX_VIEWER_SSRC, RTX_VIEWER_RTX_SSRC);
  private final Viewer plain = new Viewer("plain", PLAIN_VIEWER_SSRC, 0);

  /** One subscribing peer with one video down track, with or without RTX. */
  private final class Viewer {
    final int ssrc;
    final RecordingSink sink = new RecordingSink();
    final Subscriber subscriber;
    final DownTrack down;

    Viewer(String id, int ssrc, int rtxSsrc) {
      this.ssrc = ssrc;
      subscriber = new Subscriber(id, drops);
      down = new DownTrack(id + "/v", Streams.subscriberVideo(ssrc, rtxSsrc), sink);
      subscriber.addDownTrack(down);
    }

    void send(RtcpPacket p, long nowNanos) {
      List<RtcpPacket> compound = List.of(new ReceiverReport(ssrc + 0x100, List.of()), p);
      sendCompound(compound, nowNanos);
    }

    void sendCompound(List<RtcpPacket> compound, long nowNanos) {
      byte[] b = new byte[RtcpCompound.length(compound)];
      RtcpCompound.write(b, 0, compound);
      subscriber.onRtcp(b, 0, b.length, nowNanos);
    }

    void nack(long nowNanos, Integer... lost) {
      send(GenericNack.fromLost(ssrc + 0x100, ssrc, List.of(lost)), nowNanos);
    }
  }

  RetransmissionTest() {
    broadcast.setPublisher(pub.publisher, 0);
    broadcast.addDownTrack(rtx.down, 0);
    broadcast.addDownTrack(plain.down, 0);
    pub.sink.clear();
  }

  private static byte[] media(int seq, int ts, String payload) {
    return RtpBuilder.rtp(PUB_VP8_PT, seq, ts, PUB_VIDEO_SSRC)
        .ext(3, "0102") // transport-cc: 2 on the subscribers
        .payload(payload)
        .padding(4)
        .build();
  }

  private static byte[] rtxOf(int rtxSeq, int osn, int ts, String payload) {
    return RtpBuilder.rtp(PUB_RTX_PT, rtxSeq, ts, PUB_RTX_SSRC)
        .ext(3, "0304")
        .payload(String.format("%04x", osn) + payload.replace(" ", ""))
        .padding(2)
        .build();
  }

  /** Key 100, deltas 101 and 102, 33 ms apart. */
  private void threePackets() {
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.send(media(101, 12_000, VP8_DELTA), 33 * MS);
    pub.send(media(102, 15_000, "00 0a0b0c"), 66 * MS);
    rtx.sink.clear();
    plain.sink.clear();
  }

  /** Feedback sent to the publisher, transport-cc left out (see TransportFeedbackTest). */
  private List<RtcpPacket> upstream() {
    List<RtcpPacket> all = pub.sink.rtcpPackets();
    pub.sink.clear();
    return all.stream().filter(p -> !(p instanceof TransportCcFeedback)).toList();
  }

  // ---- subscribers' NACKs served from the history

  @Test
  void nackIsServedAsRtxWithTheSubscribersSsrcPayloadTypeAndOsn() {
    threePackets();

    rtx.nack(100 * MS, 101, 102);

    assertThat(rtx.sink.rtp).hasSize(2);
    RtpPacket first = rtx.sink.rtp(0);
    RtpPacket second = rtx.sink.rtp(1);
    assertThat(first.ssrc()).isEqualTo(RTX_VIEWER_RTX_SSRC);
    assertThat(first.payloadType()).isEqualTo(SUB_RTX_PT);
    assertThat(second.sequenceNumber())
        .as("the RTX stream has its own consecutive numbers")
        .isEqualTo(first.sequenceNumber() + 1 & 0xFFFF);
    assertThat(first.timestamp()).isEqualTo(12_000);
    assertThat(first.hasPadding()).as("padding stripped").isFalse();
    assertThat(first.readExtension(2))
        .as("the transport-cc element carries the viewer transport's next number")
        .isEqualTo(3);
    assertThat(second.readExtension(2)).isEqualTo(4);
    // RFC 4588 §4: the payload starts with the OSN, in the subscriber's numbering.
    assertThat(payload(first)).isEqualTo("0065" + VP8_DELTA.replace(" ", ""));
    assertThat(payload(second)).isEqualTo("0066000a0b0c");
    assertThat(rtx.down.nacksServed()).isEqualTo(2);
    assertThat(rtx.down.retransmissionsSent()).isEqualTo(2);
    assertThat(plain.sink.rtp).as("only the viewer that asked").isEmpty();
    assertThat(upstream()).as("the SFU had the packets: nothing asked of the publisher").isEmpty();
  }

  @Test
  void nackIsServedAsThePlainPacketToASubscriberWithoutRtx() {
    threePackets();

    plain.nack(100 * MS, 101);

    assertThat(plain.sink.rtp).hasSize(1);
    RtpPacket p = plain.sink.rtp(0);
    assertThat(p.ssrc()).isEqualTo(PLAIN_VIEWER_SSRC);
    assertThat(p.payloadType()).isEqualTo(SUB_VP8_PT);
    assertThat(p.sequenceNumber()).isEqualTo(101);
    assertThat(p.timestamp()).isEqualTo(12_000);
    assertThat(p.readExtension(2)).as("the viewer transport's fourth packet").isEqualTo(3);
    assertThat(payload(p)).isEqualTo(VP8_DELTA.replace(" ", ""));
  }

  /** A packet is resent at most once per RTT (100 ms before a measurement), however often asked. */
  @Test
  void resendsOfOnePacketAreRateLimitedByTheRtt() {
    threePackets();

    rtx.nack(100 * MS, 101);
    rtx.nack(150 * MS, 101);
    rtx.nack(199 * MS, 101, 102);
    assertThat(rtx.sink.rtp).hasSize(2); // 101 once, 102 once
    assertThat(rtx.down.nacksRateLimited()).isEqualTo(2);

    rtx.nack(200 * MS, 101);
    assertThat(rtx.sink.rtp).hasSize(3);
  }

  /**
   * The viewer's receiver report echoes the sender report we forwarded (LSR) with the time it held
   * it (DLSR): 30 ms round trip, which then paces the resends.
   */
  @Test
  void rttMeasuredFromTheViewersReportsPacesResends() {
    threePackets();
    SenderReport sr =
        new SenderReport(PUB_VIDEO_SSRC, 0xE1B2_C3D4_A5B6_C7D8L, 15_000, 3, 30, List.of());
    byte[] b = new byte[sr.length()];
    sr.write(b, 0);
    pub.publisher.onRtcp(b, 0, b.length, 1000 * MS);
    int dlsr = 65536 / 10; // held 100 ms
    rtx.sendCompound(
        List.of(
            new ReceiverReport(
                rtx.ssrc + 0x100,
                List.of(new ReportBlock(rtx.ssrc, 0, 0, 102, 0, sr.compactNtp(), dlsr)))),
        1130 * MS + 1);

    assertThat(rtx.down.rttNanos()).isBetween(29 * MS, 31 * MS);
    rtx.nack(2000 * MS, 101);
    rtx.nack(2025 * MS, 101);
    assertThat(rtx.sink.rtp).hasSize(1);
    rtx.nack(2031 * MS, 101);
    assertThat(rtx.sink.rtp).hasSize(2);
  }

  @Test
  void aPacketLostUpstreamOrEvictedIsCountedNotServed() {
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.send(media(102, 15_000, VP8_DELTA), 66 * MS); // 101 never arrived
    for (int seq = 103; seq < 103 + PublishedTrack.VIDEO_HISTORY; seq++) {
      pub.send(media(seq, 15_000 + seq, VP8_DELTA), 100 * MS);
    }
    rtx.sink.clear();

    rtx.nack(200 * MS, 101, 102, 103);

    assertThat(rtx.sink.rtp).as("102 was overwritten, 103 is still there").hasSize(1);
    assertThat(payload(rtx.sink.rtp(0))).startsWith("0067");
    assertThat(rtx.down.nacksMissingFromHistory()).isEqualTo(2);
    assertThat(upstream()).isEmpty();
  }

  // ---- the publisher's losses NACKed upstream

  @Test
  void aGapIsNackedUpstreamFromTheTickAndRetriedAfterAnRtt() {
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.send(media(101, 9000, VP8_DELTA), 1 * MS);
    pub.send(media(104, 9000, VP8_DELTA), 2 * MS); // 102, 103 lost
    pub.publisher.tick(2 * MS);
    assertThat(upstream()).as("may still be reordering").isEmpty();

    pub.publisher.tick(10 * MS);
    GenericNack nack = onlyNack(upstream());
    assertThat(nack.senderSsrc()).isEqualTo(pub.publisher.rtcpSsrc());
    assertThat(nack.mediaSsrc()).isEqualTo(PUB_VIDEO_SSRC);
    assertThat(nack.lostSequences()).containsExactly(102, 103);

    pub.publisher.tick(30 * MS);
    assertThat(upstream()).as("within one RTT of the NACK").isEmpty();
    pub.publisher.tick(110 * MS);
    assertThat(onlyNack(upstream()).lostSequences()).containsExactly(102, 103);
    assertThat(pub.video.counters().nacksSent()).isEqualTo(4);
  }

  @Test
  void audioGapsAreNotNacked() {
    pub.audio(1, 960, 0);
    pub.audio(5, 4800, 20 * MS);
    pub.publisher.tick(200 * MS);
    assertThat(upstream()).noneMatch(p -> p instanceof GenericNack);
  }

  @Test
  void aSequenceJumpAsksForAKeyframeInsteadOfNacks() {
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.publisher.tick(400 * MS);
    upstream();
    pub.send(media(9000, 9000, VP8_DELTA), 500 * MS);
    pub.publisher.tick(520 * MS);
    assertThat(upstream())
        .containsExactly(new PictureLossIndication(pub.publisher.rtcpSsrc(), PUB_VIDEO_SSRC));
  }

  // ---- the publisher's RTX

  @Test
  void rtxRepairsALossOnceForEachStartedViewer() {
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.send(media(101, 12_000, VP8_DELTA), 33 * MS);
    pub.send(media(103, 18_000, VP8_DELTA), 99 * MS); // 102 lost
    Viewer late = new Viewer("late", 0x4444_0001, 0);
    broadcast.addDownTrack(late.down, 100 * MS);
    pub.send(media(104, 21_000, VP8_KEY), 132 * MS); // late starts here
    pub.publisher.tick(140 * MS);
    assertThat(onlyNack(upstream()).lostSequences()).containsExactly(102);
    rtx.sink.clear();
    plain.sink.clear();
    late.sink.clear();

    pub.send(rtxOf(7, 102, 15_000, "00 0d0e"), 160 * MS);

    assertThat(rtx.sink.rtp).hasSize(1);
    RtpPacket r = rtx.sink.rtp(0);
    assertThat(r.ssrc()).isEqualTo(RTX_VIEWER_RTX_SSRC);
    assertThat(r.payloadType()).isEqualTo(SUB_RTX_PT);
    assertThat(r.timestamp()).isEqualTo(15_000);
    assertThat(r.hasPadding()).isFalse();
    assertThat(payload(r)).isEqualTo("0066000d0e");
    assertThat(plain.sink.rtp).hasSize(1);
    RtpPacket m = plain.sink.rtp(0);
    assertThat(m.ssrc()).isEqualTo(PLAIN_VIEWER_SSRC);
    assertThat(m.payloadType()).isEqualTo(SUB_VP8_PT);
    assertThat(m.sequenceNumber()).isEqualTo(102);
    assertThat(payload(m)).isEqualTo("000d0e");
    assertThat(late.sink.rtp).as("started after 102: no use to it").isEmpty();
    assertThat(pub.video.counters().rtxRecovered()).isEqualTo(1);

    pub.publisher.tick(400 * MS);
    assertThat(upstream()).as("recovered: no more NACKs").isEmpty();

    // The repaired packet is now in the history for the viewers' own NACKs.
    plain.nack(500 * MS, 102);
    assertThat(plain.sink.rtp).hasSize(2);
    assertThat(payload(plain.sink.rtp(1))).isEqualTo("000d0e");
  }

  @Test
  void rtxOfAPacketAlreadyReceivedIsNotForwardedAgain() {
    threePackets();

    pub.send(rtxOf(7, 101, 12_000, VP8_DELTA), 100 * MS);
    pub.send(rtxOf(8, 101, 12_000, VP8_DELTA), 110 * MS);

    assertThat(rtx.sink.rtp).isEmpty();
    assertThat(plain.sink.rtp).isEmpty();
    assertThat(pub.video.counters().rtxRedundant()).isEqualTo(2);
  }

  @Test
  void theLateOriginalOfARepairedPacketIsNotForwardedAgain() {
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.send(media(102, 15_000, VP8_DELTA), 66 * MS);
    pub.send(rtxOf(1, 101, 12_000, VP8_DELTA), 90 * MS);
    rtx.sink.clear();
    plain.sink.clear();

    pub.send(media(101, 12_000, VP8_DELTA), 95 * MS);
    pub.send(media(102, 15_000, VP8_DELTA), 96 * MS); // a network duplicate

    assertThat(rtx.sink.rtp).isEmpty();
    assertThat(plain.sink.rtp).isEmpty();
    assertThat(pub.video.counters().duplicates()).isEqualTo(2);
  }

  @Test
  void rtxBeforeAnyMediaAndPaddingProbesAreDropped() {
    pub.send(rtxOf(1, 100, 9000, VP8_KEY), 0);
    assertThat(pub.video.counters().rtxDropped()).isEqualTo(1);
    pub.send(media(100, 9000, VP8_KEY), 0);
    pub.send(RtpBuilder.rtp(PUB_RTX_PT, 2, 9000, PUB_RTX_SSRC).padding(200).build(), 0);
    assertThat(pub.video.counters().paddingProbes()).isEqualTo(1);
    assertThat(pub.video.counters().rtxRecovered() + pub.video.counters().rtxRedundant()).isZero();
  }

  @Test
  void nacksForAudioOfAnotherPublisherSsrcAreIgnored() {
    // A NACK naming an SSRC the viewer does not receive goes nowhere.
    threePackets();
    rtx.send(GenericNack.fromLost(1, PUB_AUDIO_SSRC, List.of(101)), 100 * MS);
    assertThat(rtx.sink.rtp).isEmpty();
    assertThat(upstream()).isEmpty();
  }

  private static GenericNack onlyNack(List<RtcpPacket> packets) {
    assertThat(packets).hasSize(1);
    assertThat(packets.getFirst()).isInstanceOf(GenericNack.class);
    return (GenericNack) packets.getFirst();
  }

  private static String payload(RtpPacket p) {
    return HexFormat.of()
        .formatHex(
            Arrays.copyOfRange(
                p.buffer(), p.payloadOffset(), p.payloadOffset() + p.payloadLength()));
  }
}
