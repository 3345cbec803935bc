package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.PUB_AUDIO_SSRC;
import static eu.visio.sfu.Streams.PUB_OPUS_PT;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static eu.visio.sfu.Streams.PUB_VP8_PT;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.ReceiverEstimatedMaxBitrate;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.srtp.SrtpKeyingMaterial;
import eu.visio.media.srtp.SrtpProfile;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.sfu.cc.FeedbackAdapter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The subscriber's downlink on a virtual clock: transport-wide numbering of everything it is sent,
 * its transport-cc feedback and REMB driving the estimate, and padding probes.
 */
class DownlinkTest {
  static final int TWCC_PUB = 3; // Streams.PUB_EXT
  static final int TWCC_SUB = 2; // Streams.SUB_EXT
  static final int SUB_VIDEO = 0x3000_0001;
  static final int SUB_RTX = 0x3000_0002;
  static final int SUB_AUDIO = 0x3000_0003;

  final DropCounters drops = new DropCounters();
  final byte[] scratch = Streams.scratch();
  final Streams.Pub pub = new Streams.Pub("p", drops, scratch);
  final RecordingSink sink = new RecordingSink();
  final Subscriber subscriber = new Subscriber("s", drops);
  final DownTrack video = new DownTrack("s/v", Streams.subscriberVideo(SUB_VIDEO, SUB_RTX), sink);
  final DownTrack audio = new DownTrack("s/a", Streams.subscriberAudio(SUB_AUDIO), sink);

  DownlinkTest() {
    subscriber.addDownTrack(video);
    subscriber.addDownTrack(audio);
    pub.video.addDownTrack(video, 0);
    pub.audio.addDownTrack(audio, 0);
  }

  void videoPacket(int seq, String payload, int size, long now) {
    byte[] body = RtpBuilder.hex(payload);
    byte[] padded = java.util.Arrays.copyOf(body, Math.max(body.length, size));
    byte[] b =
        RtpBuilder.rtp(PUB_VP8_PT, seq, seq * 3000, PUB_VIDEO_SSRC)
            .ext(TWCC_PUB, "beef")
            .payload(padded)
            .build();
    pub.send(b, now);
  }

  void audioPacket(int seq, long now) {
    byte[] b =
        RtpBuilder.rtp(PUB_OPUS_PT, seq, seq * 960, PUB_AUDIO_SSRC)
            .ext(TWCC_PUB, "beef")
            .payload(Streams.OPUS)
            .build();
    pub.send(b, now);
  }

  void rtcp(RtcpPacket p, long now) {
    byte[] b = new byte[1500];
    int n = p.write(b, 0);
    subscriber.onRtcp(b, 0, n, now);
  }

  @Test
  void everyPacketToTheSubscriberIsNumberedTransportWide() {
    videoPacket(1, Streams.VP8_KEY, 0, 0);
    audioPacket(1, MS);
    videoPacket(2, Streams.VP8_DELTA, 0, 2 * MS);
    assertThat(sink.rtp).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(sink.rtp(i).readExtension(TWCC_SUB)).as("packet %d", i).isEqualTo(i);
    }
    assertThat(subscriber.transportCcStamped()).isEqualTo(3);
  }

  @Test
  void rembSetsTheEstimateWithoutTransportCc() {
    rtcp(new ReceiverEstimatedMaxBitrate(1, 300_000, List.of(SUB_VIDEO)), 0);
    assertThat(subscriber.bandwidthEstimate()).isEqualTo(300_000);
  }

  /**
   * Feedback saying 400-byte packets sent every 5 ms (640 kbit/s) arrive later and later (queue
   * building up) makes the delay-based estimate fall to a fraction of the acknowledged rate, below
   * its 1 Mbit/s start.
   */
  @Test
  void growingQueueingDelayInFeedbackLowersTheEstimate() {
    videoPacket(1, Streams.VP8_KEY, 400, 0);
    List<TransportCcFeedback.Arrival> arrivals = new ArrayList<>();
    long arrivalUs = 100_000;
    int twcc = 0;
    arrivals.add(new TransportCcFeedback.Arrival(twcc++, arrivalUs));
    int count = 0;
    for (int seq = 2; seq <= 400; seq++) {
      long now = (seq - 1) * 5 * MS;
      videoPacket(seq, Streams.VP8_DELTA, 400, now);
      arrivalUs += 6_000; // 1 ms more than the send spacing: the queue grows
      arrivals.add(new TransportCcFeedback.Arrival(twcc++, arrivalUs));
      if (arrivals.size() == 10) {
        rtcp(TransportCcFeedback.fromArrivals(1, SUB_VIDEO, count++ & 0xFF, arrivals), now);
        arrivals.clear();
      }
    }
    assertThat(subscriber.bandwidthEstimate()).isLessThan(600_000);
  }

  @Test
  void probesArePaddingOnlyRtxWithTransportWideNumbers() {
    videoPacket(1, Streams.VP8_KEY, 0, 0);
    rtcp(
        TransportCcFeedback.fromArrivals(
            1, SUB_VIDEO, 0, List.of(new TransportCcFeedback.Arrival(0, 10_000))),
        10 * MS);
    sink.clear();
    subscriber.downlink().probe(20 * MS, 5_000_000, sink, SUB_RTX, Streams.SUB_RTX_PT, TWCC_SUB, 9);
    assertThat(sink.rtp).isNotEmpty();
    for (int i = 0; i < sink.rtp.size(); i++) {
      RtpPacket p = sink.rtp(i);
      assertThat(p.ssrc()).isEqualTo(SUB_RTX);
      assertThat(p.payloadType()).isEqualTo(Streams.SUB_RTX_PT);
      assertThat(p.hasPadding()).isTrue();
      assertThat(p.payloadLength()).isZero();
      assertThat(p.readExtension(TWCC_SUB)).isEqualTo(1 + i);
    }
    assertThat(subscriber.probesSent()).isEqualTo(sink.rtp.size());
  }

  /** A transport that refuses the packets whose call numbers (from 0) it is given. */
  static final class RefusingSink implements RtpSink {
    final RecordingSink accepted = new RecordingSink();
    final java.util.Set<Integer> refuse = new java.util.HashSet<>();
    int calls;

    @Override
    public boolean sendRtp(byte[] buf, int off, int len) {
      if (refuse.contains(calls++)) {
        return false;
      }
      return accepted.sendRtp(buf, off, len);
    }

    @Override
    public boolean sendRtcp(byte[] buf, int off, int len) {
      return true;
    }
  }

  /**
   * Packets the transport refuses (SRTP, a full socket) never leave: their transport-wide numbers
   * are taken back, so what reaches the subscriber is numbered without gaps and its feedback
   * reports no loss. Media and probes alike; a refused probe is not counted as sent.
   */
  @Test
  void packetsTheTransportRefusesLeaveNoGapInTransportWideNumbers() {
    RefusingSink transport = new RefusingSink();
    DownTrack v =
        new DownTrack("r/v", Streams.subscriberVideo(0x4000_0001, 0x4000_0002), transport);
    Subscriber s = new Subscriber("r", drops);
    s.addDownTrack(v);
    pub.video.addDownTrack(v, 0);
    transport.refuse.add(1); // the second media packet
    transport.refuse.add(3); // the first probe
    videoPacket(1, Streams.VP8_KEY, 0, 0);
    videoPacket(2, Streams.VP8_DELTA, 0, MS);
    videoPacket(3, Streams.VP8_DELTA, 0, 2 * MS);
    assertThat(transport.accepted.rtp).hasSize(2);
    assertThat(s.transportCcStamped()).isEqualTo(2);
    feedback(s, transport.accepted, 0, 10 * MS); // transport-cc feedback enables probing
    s.downlink().probe(20 * MS, 5_000_000, transport, 0x4000_0002, Streams.SUB_RTX_PT, TWCC_SUB, 9);
    assertThat(s.probesSent()).as("the refused probe is not counted").isZero();
    s.downlink().probe(25 * MS, 5_000_000, transport, 0x4000_0002, Streams.SUB_RTX_PT, TWCC_SUB, 9);
    assertThat(s.probesSent()).isPositive();
    assertThat(s.downlink().refused()).isEqualTo(2);
    for (int i = 0; i < transport.accepted.rtp.size(); i++) {
      assertThat(transport.accepted.rtp(i).readExtension(TWCC_SUB)).as("packet %d", i).isEqualTo(i);
    }
    FeedbackAdapter adapter = s.downlink().estimator().feedbackAdapter();
    int n = feedback(s, transport.accepted, 2, 30 * MS);
    assertThat(adapter.results().count()).isEqualTo(n);
    for (int i = 0; i < n; i++) {
      assertThat(adapter.results().lost(i)).as("probe result %d", i).isFalse();
    }
    assertThat(adapter.unknownPackets()).isZero();
  }

  /**
   * Feedback saying every packet of {@code sent} from {@code from} on arrived; returns how many.
   */
  private static int feedback(Subscriber s, RecordingSink sent, int from, long now) {
    List<TransportCcFeedback.Arrival> arrivals = new ArrayList<>();
    for (int i = from; i < sent.rtp.size(); i++) {
      int twcc = (int) sent.rtp(i).readExtension(TWCC_SUB);
      arrivals.add(new TransportCcFeedback.Arrival(twcc, 10_000 + i * 100L));
    }
    byte[] b = new byte[1500];
    int n = TransportCcFeedback.fromArrivals(1, 0x4000_0001, from, arrivals).write(b, 0);
    s.onRtcp(b, 0, n, now);
    return arrivals.size();
  }

  /**
   * A real transport encrypts the probe in place and appends the SRTP tag (WebRtcTransport): the
   * probe must leave it room, or SRTP refuses it after the prober numbered it, and every probe is
   * reported lost (the attempt fails, the loss-based estimate drops).
   */
  @Test
  void probesLeaveRoomForTheSrtpTagAndAreSent() {
    byte[] key = new byte[16];
    byte[] salt = new byte[12];
    SrtpSession srtp =
        new SrtpSession(
            new SrtpKeyingMaterial(SrtpProfile.AEAD_AES_128_GCM, key, salt, key, salt), false);
    List<byte[]> protectedProbes = new ArrayList<>();
    RtpSink transport =
        new RtpSink() {
          @Override
          public boolean sendRtp(byte[] buf, int off, int len) {
            int n = srtp.protectRtp(buf, off, len);
            if (n < 0) {
              return false;
            }
            protectedProbes.add(java.util.Arrays.copyOfRange(buf, off, off + n));
            return true;
          }

          @Override
          public boolean sendRtcp(byte[] buf, int off, int len) {
            return true;
          }
        };
    videoPacket(1, Streams.VP8_KEY, 0, 0);
    rtcp(
        TransportCcFeedback.fromArrivals(
            1, SUB_VIDEO, 0, List.of(new TransportCcFeedback.Arrival(0, 10_000))),
        10 * MS);
    subscriber
        .downlink()
        .probe(20 * MS, 5_000_000, transport, SUB_RTX, Streams.SUB_RTX_PT, TWCC_SUB, 9);
    assertThat(protectedProbes).as("probes SRTP accepted").isNotEmpty();
    assertThat(subscriber.probesSent()).isEqualTo(protectedProbes.size());
    assertThat(protectedProbes.getFirst())
        .hasSize(Downlink.MAX_PROBE + SrtpProfile.AEAD_AES_128_GCM.authTagLength);
  }
}
