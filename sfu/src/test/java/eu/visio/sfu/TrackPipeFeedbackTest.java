package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtcp.PictureLossIndication;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Two tracks of one publisher piped into the same shard share one relay participant there; each
 * mirror's feedback must still reach its own source. (The relay's transport used to be the first
 * pipe's, so the second track's keyframe requests and NACKs went to the first track, which ignored
 * an SSRC it did not know: a shard's viewers of a screen share next to a camera never got a
 * keyframe.)
 */
class TrackPipeFeedbackTest {
  static final int CAM = 0x200;
  static final int SCREEN = 0x300;
  static final long MS = 1_000_000L;

  final TrackPipeTest.Queue workerA = new TrackPipeTest.Queue();
  final TrackPipeTest.Queue workerB = new TrackPipeTest.Queue();
  final Room shardA = TrackPipeTest.room("r", null);
  final Room shardB = TrackPipeTest.room("r", null);
  final RecordingSink pubSink = new RecordingSink();
  final Participant alice = shardA.addParticipant("alice", pubSink, pubSink, 2_000_000);
  final RecordingSink subSink = new RecordingSink();
  final Participant bob = shardB.addParticipant("bob", subSink, subSink, 2_000_000);
  long now = 1_000 * MS;

  PublishedTrack video(String id, int ssrc, String mid) {
    return shardA.publish(
        alice,
        id,
        new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, -1, ssrc, 0, TrackPipeTest.EXT, mid),
        TrackSource.CAMERA);
  }

  PublishedTrack pipe(PublishedTrack t) {
    TrackPipe p = TrackPipe.open(t, workerA, shardB, workerB, () -> now);
    workerB.runAll();
    workerA.runAll();
    return p.mirror();
  }

  @Test
  void theSecondTracksKeyframeRequestReachesItsOwnSource() {
    PublishedTrack cam = video("cam", CAM, "1");
    PublishedTrack screen = video("screen", SCREEN, "2");
    pipe(cam);
    PublishedTrack screenMirror = pipe(screen);
    byte[] b = RtpBuilder.rtp(96, 1, 0, SCREEN).payload(Streams.VP8_DELTA).build();
    alice.onRtp(b, 0, b.length, now);
    workerB.runAll(); // the mirror learns the screen's SSRC
    shardB.subscribe(bob, screenMirror, Streams.subscriberVideo(0x5000, 0), now);
    pubSink.clear();
    byte[] pli = new byte[PictureLossIndication.LENGTH];
    new PictureLossIndication(0x7777, 0x5000).write(pli, 0);
    now += 400 * MS;
    bob.onRtcp(pli, 0, pli.length, now);
    workerA.runAll();
    List<Integer> plis =
        pubSink.rtcpPackets().stream()
            .filter(p -> p instanceof PictureLossIndication)
            .map(p -> ((PictureLossIndication) p).mediaSsrc())
            .toList();
    assertThat(plis).containsExactly(SCREEN);
  }
}
