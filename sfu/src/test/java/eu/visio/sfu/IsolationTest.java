package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.ForwardDrops;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A publisher that sends garbage, unknown SSRCs, bursts, huge sequence jumps and timestamps going
 * backwards, and a subscriber asking for keyframes without end, disturb nobody else: a well-behaved
 * publisher's stream reaches the same subscriber complete and gapless, and each case is counted.
 */
class IsolationTest {
  static final long MS = 1_000_000L;
  static final Map<String, Integer> EXT = Map.of(RtpExtensions.MID, 4);

  final DropCounters drops = new DropCounters();
  final Room room =
      new Room(
          "r",
          new RoomListener() {},
          new WorkerContext(drops, new ForwardDrops(), Streams.scratch()));
  final RecordingSink badSink = new RecordingSink();
  final RecordingSink goodSink = new RecordingSink();
  final RecordingSink viewerSink = new RecordingSink();
  final Participant bad = room.addParticipant("bad", badSink, badSink, 1_000_000);
  final Participant good = room.addParticipant("good", goodSink, goodSink, 1_000_000);
  final Participant viewer = room.addParticipant("viewer", viewerSink, viewerSink, 1_000_000);
  final PublishedTrack badVideo = room.publish(bad, "bv", info(0xBAD), TrackSource.CAMERA);
  final PublishedTrack goodVideo = room.publish(good, "gv", info(0x600D), TrackSource.CAMERA);
  final DownTrack fromBad = room.subscribe(viewer, badVideo, Streams.subscriberVideo(0x1, 0), 0);
  final DownTrack fromGood = room.subscribe(viewer, goodVideo, Streams.subscriberVideo(0x2, 0), 0);

  static TrackInfo info(int ssrc) {
    return new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, -1, ssrc, 0, EXT, "1");
  }

  void send(Participant p, byte[] b, long now) {
    p.onRtp(b, 0, b.length, now);
  }

  @Test
  void aMisbehavingPublisherAndSubscriberAffectOnlyTheirOwnStreams() {
    Random random = new Random(3);
    long t = 0;
    int badSeq = 1;
    int badTs = 0;
    for (int i = 0; i < 300; i++, t += 10 * MS) {
      send(
          good,
          RtpBuilder.rtp(96, 1000 + i, i * 3000, 0x600D)
              .payload(i == 0 ? Streams.VP8_KEY : Streams.VP8_DELTA)
              .build(),
          t);
      switch (i % 6) {
        case 0 -> { // garbage
          byte[] g = new byte[1 + random.nextInt(200)];
          random.nextBytes(g);
          send(bad, g, t);
        }
        case 1 -> // an SSRC nobody announced
            send(
                bad, RtpBuilder.rtp(96, i, i, 0x0BAD_0000 + i).payload(Streams.VP8_KEY).build(), t);
        case 2 -> { // a huge sequence jump
          badSeq = (badSeq + 30_000) & 0xFFFF;
          send(bad, RtpBuilder.rtp(96, badSeq, badTs, 0xBAD).payload(Streams.VP8_KEY).build(), t);
        }
        case 3 -> { // timestamps going backwards
          badTs -= 900_000;
          send(
              bad,
              RtpBuilder.rtp(96, ++badSeq & 0xFFFF, badTs, 0xBAD)
                  .payload(Streams.VP8_DELTA)
                  .build(),
              t);
        }
        case 4 -> { // a burst of 50 packets at once
          for (int k = 0; k < 50; k++) {
            send(
                bad,
                RtpBuilder.rtp(96, ++badSeq & 0xFFFF, badTs, 0xBAD)
                    .payload(Streams.VP8_DELTA)
                    .build(),
                t);
          }
        }
        default -> { // the viewer asks for keyframes of the bad one, again and again
          for (int k = 0; k < 20; k++) {
            byte[] b = new byte[64];
            int n = new PictureLossIndication(9, 0x1).write(b, 0);
            viewer.onRtcp(b, 0, n, t);
          }
        }
      }
      room.tick(t);
    }
    List<Integer> goodSeqs = new ArrayList<>();
    for (int i = 0; i < viewerSink.rtp.size(); i++) {
      RtpPacket p = viewerSink.rtp(i);
      if (p.ssrc() == 0x2) {
        goodSeqs.add(p.sequenceNumber());
      }
    }
    assertThat(goodSeqs).hasSize(300);
    for (int i = 1; i < goodSeqs.size(); i++) {
      assertThat(goodSeqs.get(i)).isEqualTo((goodSeqs.get(i - 1) + 1) & 0xFFFF);
    }
    assertThat(drops.count(DropReason.MALFORMED_RTP) + drops.count(DropReason.UNKNOWN_SSRC))
        .isGreaterThanOrEqualTo(100);
    assertThat(drops.count(DropReason.UNKNOWN_SSRC)).isGreaterThanOrEqualTo(50);
    long plisToBad =
        badSink.rtcpPackets().stream().filter(p -> p instanceof PictureLossIndication).count();
    assertThat(plisToBad).as("1,000 requests in 3 s, throttled to one per 300 ms").isLessThan(12);
    assertThat(goodSink.rtcpPackets().stream().filter(p -> p instanceof PictureLossIndication))
        .as("the good publisher is asked once, when the viewer subscribed")
        .hasSize(1);
  }
}
