package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.rtcp.ReceiverEstimatedMaxBitrate;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.layer.ForwardDrops;
import eu.visio.sfu.layer.LayerDropReason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The downlink allocation as a room runs it, on a virtual clock: a subscriber whose estimate (its
 * REMB) cannot carry everything keeps the screen share and pauses the camera, with a stream-state
 * event each way; and a subscriber's preferred size reaches the publisher as dynacast.
 */
class RoomAllocationTest {
  static final long MS = 1_000_000L;
  static final int MID = 4;
  static final int RID = 10;
  static final Map<String, Integer> EXT =
      Map.of(RtpExtensions.MID, MID, RtpExtensions.RTP_STREAM_ID, RID);

  record StateEvent(String subscriber, String track, boolean active) {}

  final List<StateEvent> states = new ArrayList<>();
  final List<Integer> layersNeeded = new ArrayList<>();
  final ForwardDrops totals = new ForwardDrops();
  final Room room =
      new Room(
          "r",
          new RoomListener() {
            @Override
            public void onStreamStateChanged(Participant p, DownTrack d, boolean active) {
              states.add(new StateEvent(p.id(), d.id(), active));
            }

            @Override
            public void onLayersNeeded(PublishedTrack t, int maxSpatial) {
              layersNeeded.add(maxSpatial);
            }
          },
          new WorkerContext(new DropCounters(), totals, Streams.scratch()));
  final RecordingSink pubSink = new RecordingSink();
  final RecordingSink subSink = new RecordingSink();
  final Participant pub = room.addParticipant("pub", pubSink, pubSink, 5_000_000);
  final Participant sub = room.addParticipant("sub", subSink, subSink, 5_000_000);
  int seq;

  static TrackInfo vp8(int ssrc, String mid, List<String> rids) {
    return new TrackInfo(
        TrackKind.VIDEO, "VP8", 90_000, 96, -1, ssrc, 0, EXT, mid, rids, false, -1);
  }

  /** One VP8 packet of {@code bytes}, a keyframe every second, carrying its size. */
  void packet(int ssrc, String mid, String rid, int frame, int width, int bytes, long now) {
    boolean key = frame % 30 == 0;
    String tag =
        key
            ? "10 02 00 9d 01 2a %02x %02x %02x %02x"
                .formatted(width & 0xFF, width >> 8, (width * 9 / 16) & 0xFF, (width * 9 / 16) >> 8)
            : "11 02 00";
    byte[] head = RtpBuilder.hex("10" + tag);
    byte[] payload = java.util.Arrays.copyOf(head, bytes);
    RtpBuilder b =
        RtpBuilder.rtp(96, ++seq & 0xFFFF, frame * 3000, ssrc)
            .marker()
            .ext(MID, mid.getBytes(StandardCharsets.US_ASCII));
    if (rid != null) {
      b.ext(RID, rid.getBytes(StandardCharsets.US_ASCII));
    }
    byte[] p = b.payload(payload).build();
    pub.onRtp(p, 0, p.length, now);
  }

  void remb(long bps, long now) {
    byte[] b = new byte[64];
    int n = new ReceiverEstimatedMaxBitrate(1, bps, List.of()).write(b, 0);
    sub.onRtcp(b, 0, n, now);
  }

  /**
   * Camera and screen share at about 480 kbit/s each; the subscriber's REMB says 600 kbit/s, then 2
   * Mbit/s.
   */
  @Test
  void screenShareKeepsItsPlaceAndTheCameraPausesThenResumes() {
    PublishedTrack camera = room.publish(pub, "cam", vp8(0xC0, "1", List.of()), TrackSource.CAMERA);
    PublishedTrack screen =
        room.publish(pub, "scr", vp8(0x5C, "2", List.of()), TrackSource.SCREEN_SHARE);
    DownTrack cam = room.subscribe(sub, camera, Streams.subscriberVideo(0x1C0, 0), 0);
    DownTrack scr = room.subscribe(sub, screen, Streams.subscriberVideo(0x15C, 0), 0);
    remb(400_000, 0);
    long t = 0;
    for (int frame = 0; frame < 90; frame++, t += 33 * MS) { // 3 s at 30 fps, 1,000 B frames
      packet(0xC0, "1", null, frame, 640, 1000, t);
      packet(0x5C, "2", null, frame, 1280, 1000, t);
      room.tick(t);
    }
    assertThat(states).containsExactly(new StateEvent("sub", "r/sub/cam", false));
    assertThat(sub.subscriber().paused(cam)).isTrue();
    assertThat(sub.subscriber().paused(scr)).isFalse();
    long camBefore = cam.packetsSent();
    long scrBefore = scr.packetsSent();
    for (int frame = 90; frame < 120; frame++, t += 33 * MS) {
      packet(0xC0, "1", null, frame, 640, 1000, t);
      packet(0x5C, "2", null, frame, 1280, 1000, t);
      room.tick(t);
    }
    assertThat(cam.packetsSent()).isEqualTo(camBefore);
    assertThat(scr.packetsSent()).isGreaterThan(scrBefore);
    assertThat(totals.get(LayerDropReason.PAUSED)).isPositive();

    remb(2_000_000, t);
    for (int frame = 120; frame < 180; frame++, t += 33 * MS) {
      packet(0xC0, "1", null, frame, 640, 1000, t);
      packet(0x5C, "2", null, frame, 1280, 1000, t);
      room.tick(t);
    }
    assertThat(states)
        .containsExactly(
            new StateEvent("sub", "r/sub/cam", false), new StateEvent("sub", "r/sub/cam", true));
    assertThat(cam.packetsSent()).isGreaterThan(camBefore);
  }

  /**
   * A subscriber asking for 320x180 of a three-layer simulcast camera gets the lowest encoding, and
   * after 3 s the publisher is told nobody needs more than layer 0.
   */
  @Test
  void aSmallPreferenceSelectsTheLowEncodingAndReachesThePublisherAsDynacast() {
    PublishedTrack camera =
        room.publish(pub, "cam", vp8(0, "1", List.of("q", "h", "f")), TrackSource.CAMERA);
    DownTrack cam = room.subscribe(sub, camera, Streams.subscriberVideo(0x1C0, 0), 0);
    sub.subscriber().setPreferences(cam, 320, 180, 0, false);
    remb(5_000_000, 0);
    long t = 0;
    int[] widths = {320, 640, 1280};
    int[] sizes = {300, 700, 1400};
    for (int frame = 0; frame < 150; frame++, t += 33 * MS) {
      for (int e = 0; e < 3; e++) {
        packet(0xE0 + e, "1", new String[] {"q", "h", "f"}[e], frame, widths[e], sizes[e], t);
      }
      room.tick(t);
    }
    assertThat(cam.currentSpatial()).isZero();
    assertThat(layersNeeded).containsExactly(0);
    List<Integer> sent = new ArrayList<>();
    for (int i = subSink.rtp.size() - 10; i < subSink.rtp.size(); i++) {
      sent.add(subSink.rtp(i).length());
    }
    assertThat(sent).allSatisfy(len -> assertThat(len).isLessThan(400));
  }
}
