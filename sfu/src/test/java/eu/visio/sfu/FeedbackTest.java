package eu.visio.sfu;

import static eu.visio.sfu.Streams.MS;
import static eu.visio.sfu.Streams.PUB_VIDEO_SSRC;
import static eu.visio.sfu.Streams.VP8_DELTA;
import static eu.visio.sfu.Streams.VP8_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.RtcpCompound;
import eu.visio.media.rtcp.RtcpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subscriber feedback (PLI, FIR, NACK) reaching the publisher: throttled and renumbered. */
class FeedbackTest {
  private static final int VIEWERS = 5;
  private static final long INTERVAL = PublishedTrack.KEYFRAME_REQUEST_INTERVAL_NANOS;

  private final DropCounters drops = new DropCounters();
  private final byte[] scratch = Streams.scratch();
  private final Broadcast broadcast = new Broadcast("s");
  private final Streams.Pub pub = new Streams.Pub("p", drops, scratch);
  private final List<Viewer> viewers = new ArrayList<>();

  /** One subscribing peer with one video down track. */
  private final class Viewer {
    final int ssrc;
    final RecordingSink sink = new RecordingSink();
    final Subscriber subscriber;
    final DownTrack down;

    Viewer(int i) {
      ssrc = 0x5000_0000 + i;
      subscriber = new Subscriber("viewer" + i, drops);
      down = new DownTrack("viewer" + i + "/v", Streams.subscriberVideo(ssrc, 0), sink);
      subscriber.addDownTrack(down);
    }

    /** Sends a compound as a browser does: an empty RR first, then the feedback. */
    void send(RtcpPacket feedback, long nowNanos) {
      List<RtcpPacket> compound = List.of(new ReceiverReport(ssrc + 0x100, List.of()), feedback);
      byte[] b = new byte[RtcpCompound.length(compound)];
      RtcpCompound.write(b, 0, compound);
      subscriber.onRtcp(b, 0, b.length, nowNanos);
    }

    void pli(long nowNanos) {
      send(new PictureLossIndication(ssrc + 0x100, ssrc), nowNanos);
    }
  }

  FeedbackTest() {
    broadcast.setPublisher(pub.publisher, 0);
    for (int i = 0; i < VIEWERS; i++) {
      viewers.add(new Viewer(i));
    }
  }

  private void addAll(long nowNanos) {
    for (Viewer v : viewers) {
      broadcast.addDownTrack(v.down, nowNanos);
    }
  }

  private List<RtcpPacket> upstream() {
    List<RtcpPacket> all = pub.sink.rtcpPackets();
    pub.sink.clear();
    return all;
  }

  private PictureLossIndication pli() {
    return new PictureLossIndication(pub.publisher.rtcpSsrc(), PUB_VIDEO_SSRC);
  }

  @Test
  void aNewDownTrackAsksForAKeyframe() {
    broadcast.addDownTrack(viewers.get(0).down, 5 * MS);
    assertThat(upstream()).containsExactly(pli());
    broadcast.addDownTrack(viewers.get(1).down, 5 * MS + INTERVAL);
    assertThat(upstream()).containsExactly(pli());
    assertThat(pub.video.counters().keyframeRequests()).isEqualTo(2);
  }

  @Test
  void pliFromManyViewersWithinTheIntervalCostsThePublisherOne() {
    addAll(0);
    upstream();
    long t = 1000 * MS;
    for (int i = 0; i < VIEWERS; i++) {
      viewers.get(i).pli(t + i * 60 * MS); // 0 .. 240 ms
    }
    assertThat(upstream()).containsExactly(pli());

    viewers.get(0).pli(t + INTERVAL - 1);
    assertThat(upstream()).isEmpty();
    viewers.get(1).pli(t + INTERVAL);
    assertThat(upstream()).containsExactly(pli());
    viewers.get(2).pli(t + 2 * INTERVAL - 1);
    assertThat(upstream()).isEmpty();
    viewers.get(3).pli(t + 2 * INTERVAL);
    assertThat(upstream()).containsExactly(pli());
  }

  @Test
  void firAsksForAKeyframeToo() {
    addAll(0);
    upstream();
    Viewer v = viewers.get(2);
    v.send(
        new FullIntraRequest(v.ssrc + 0x100, List.of(new FullIntraRequest.Entry(v.ssrc, 1))),
        1000 * MS);
    assertThat(upstream()).containsExactly(pli());
  }

  @Test
  void feedbackForAnotherSsrcOrAudioIsIgnored() {
    addAll(0);
    upstream();
    Viewer v = viewers.get(0);
    v.send(new PictureLossIndication(1, 0x7777_7777), 1000 * MS);
    RecordingSink audioSink = new RecordingSink();
    DownTrack audio = new DownTrack("a", Streams.subscriberAudio(0x6000_0000), audioSink);
    v.subscriber.addDownTrack(audio);
    broadcast.addDownTrack(audio, 1000 * MS);
    v.send(new PictureLossIndication(1, 0x6000_0000), 1000 * MS);
    assertThat(upstream()).isEmpty();
  }

  /**
   * A viewer waiting for its first keyframe asks again every 500 ms (its layer selector's retry,
   * counted from its first packet at 100 ms, whose request the 300 ms throttle absorbed), and stops
   * once the keyframe came.
   */
  @Test
  void keyframeIsAskedAgainWhileNoneArrives() {
    broadcast.addDownTrack(viewers.get(0).down, 0);
    assertThat(upstream()).containsExactly(pli());
    for (int i = 1; i <= 5; i++) {
      pub.video(i, i * 3000, VP8_DELTA, i * 100 * MS); // 100 .. 500 ms: within the retry interval
    }
    assertThat(upstream()).isEmpty();
    pub.video(6, 18_000, VP8_DELTA, 600 * MS);
    assertThat(upstream()).containsExactly(pli());
    pub.video(7, 21_000, VP8_DELTA, 700 * MS);
    assertThat(upstream()).as("throttled").isEmpty();

    pub.video(11, 33_000, VP8_KEY, 1100 * MS);
    for (int i = 12; i <= 40; i++) {
      pub.video(i, i * 3000, VP8_DELTA, i * 100 * MS);
    }
    assertThat(upstream()).as("no more requests once a keyframe came").isEmpty();
  }

  // ---- NACK

  /**
   * The viewer's sequence numbers are the publisher's shifted by the switch (and wrapped): the NACK
   * is answered from the new publisher's history in the viewer's numbering, and a number the viewer
   * was never sent is not answered. Nothing goes upstream: the SFU has the packets.
   */
  @Test
  void nackIsAnsweredFromTheHistoryInTheViewersNumbering() {
    Viewer v = viewers.get(0);
    broadcast.addDownTrack(v.down, 0);
    pub.video(65_530, 0, VP8_KEY, 0);
    Streams.Pub next = new Streams.Pub("p2", drops, scratch);
    broadcast.setPublisher(next.publisher, 100 * MS);
    for (int seq = 10; seq <= 20; seq++) {
      next.video(seq, 3000 + seq, seq == 10 ? VP8_KEY : VP8_DELTA, 100 * MS);
    }
    assertThat(v.sink.lastRtp().sequenceNumber()).isEqualTo(65_531 + 10 & 0xFFFF);
    next.sink.clear();
    pub.sink.clear();
    v.sink.clear();

    v.send(
        GenericNack.fromLost(v.ssrc + 0x100, v.ssrc, List.of(65_534, 65_535, 0, 1, 6)), 200 * MS);

    // output 65531 was source 10 (timestamp 3010): 65534 is source 13, and so on.
    assertThat(v.sink.rtp).hasSize(4);
    for (int i = 0; i < 4; i++) {
      assertThat(v.sink.rtp(i).ssrc()).isEqualTo(v.ssrc);
      assertThat(v.sink.rtp(i).sequenceNumber()).isEqualTo(65_534 + i & 0xFFFF);
      assertThat(v.sink.rtp(i).timestamp() - v.sink.rtp(0).timestamp()).isEqualTo(i);
    }
    assertThat(v.down.nacksServed()).isEqualTo(4);
    assertThat(v.down.nacksUnmapped()).as("6 was never sent to the viewer").isEqualTo(1);
    assertThat(next.sink.rtcp).as("served by the SFU, not the publisher").isEmpty();
    assertThat(pub.sink.rtcp).as("the replaced publisher hears nothing").isEmpty();
  }

  /** A number sent by the replaced publisher cannot be served by the new one's history. */
  @Test
  void nackForAPacketOfTheReplacedPublisherIsNotServed() {
    Viewer v = viewers.get(0);
    broadcast.addDownTrack(v.down, 0);
    pub.video(500, 0, VP8_KEY, 0);
    pub.video(501, 0, VP8_DELTA, 0);
    Streams.Pub next = new Streams.Pub("p2", drops, scratch);
    broadcast.setPublisher(next.publisher, 100 * MS);
    next.video(10, 3000, VP8_KEY, 100 * MS); // output 502
    v.sink.clear();

    v.send(GenericNack.fromLost(1, v.ssrc, List.of(501)), 200 * MS);

    assertThat(v.sink.rtp).isEmpty();
    assertThat(v.down.nacksUnmapped()).isEqualTo(1);
  }

  @Test
  void nackForADetachedDownTrackGoesNowhere() {
    Viewer v = viewers.get(0);
    broadcast.addDownTrack(v.down, 0);
    broadcast.removeDownTrack(v.down);
    upstream();
    v.send(GenericNack.fromLost(1, v.ssrc, List.of(5)), 0);
    assertThat(upstream()).isEmpty();
  }
}
