package eu.visio.sfu;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.sdp.RtpExtensions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A room of three participants on a virtual clock, each publishing audio (with RFC 6464 levels) and
 * video and receiving the two others: who gets what, the speaker list and its events, and what
 * leaving and unpublishing undo.
 */
class RoomTest {
  static final long MS = 1_000_000L;
  static final int LEVEL = 1;
  static final Map<String, Integer> EXT =
      Map.of(RtpExtensions.AUDIO_LEVEL, LEVEL, RtpExtensions.MID, 4);

  final DropCounters drops = new DropCounters();
  final eu.visio.sfu.layer.ForwardDrops totals = new eu.visio.sfu.layer.ForwardDrops();
  final List<List<Speaker>> speakerEvents = new ArrayList<>();
  final Room room =
      new Room(
          "r",
          new RoomListener() {
            @Override
            public void onSpeakersChanged(List<Speaker> speakers) {
              speakerEvents.add(speakers);
            }
          },
          new WorkerContext(drops, totals, Streams.scratch()));
  final RecordingSink[] sinks = new RecordingSink[3];
  final Participant[] people = new Participant[3];
  final PublishedTrack[] audio = new PublishedTrack[3];
  final PublishedTrack[] video = new PublishedTrack[3];

  static int audioSsrc(int i) {
    return 0x100 + i;
  }

  static int videoSsrc(int i) {
    return 0x200 + i;
  }

  @BeforeEach
  void join() {
    for (int i = 0; i < 3; i++) {
      sinks[i] = new RecordingSink();
      people[i] = room.addParticipant("p" + i, sinks[i], sinks[i], 2_000_000);
      audio[i] =
          room.publish(
              people[i],
              "a" + i,
              new TrackInfo(TrackKind.AUDIO, "opus", 48_000, 111, -1, audioSsrc(i), 0, EXT, "0"),
              TrackSource.MICROPHONE);
      video[i] =
          room.publish(
              people[i],
              "v" + i,
              new TrackInfo(TrackKind.VIDEO, "VP8", 90_000, 96, -1, videoSsrc(i), 0, EXT, "1"),
              TrackSource.CAMERA);
    }
    for (int s = 0; s < 3; s++) {
      for (int p = 0; p < 3; p++) {
        if (s != p) {
          room.subscribe(people[s], audio[p], Streams.subscriberAudio(0x1000 * (s + 1) + p), 0);
          room.subscribe(people[s], video[p], Streams.subscriberVideo(0x2000 * (s + 1) + p, 0), 0);
        }
      }
    }
  }

  void speak(int i, int seq, int dbov, long now) {
    byte[] b =
        RtpBuilder.rtp(111, seq, seq * 960, audioSsrc(i))
            .ext(LEVEL, new byte[] {(byte) (0x80 | dbov)})
            .payload(Streams.OPUS)
            .build();
    people[i].onRtp(b, 0, b.length, now);
  }

  void keyframe(int i, int seq, long now) {
    byte[] b = RtpBuilder.rtp(96, seq, seq * 3000, videoSsrc(i)).payload(Streams.VP8_KEY).build();
    people[i].onRtp(b, 0, b.length, now);
  }

  @Test
  void everyoneReceivesTheTwoOthers() {
    for (int i = 0; i < 3; i++) {
      speak(i, 1, 60, 0);
      keyframe(i, 1, 0);
    }
    for (int s = 0; s < 3; s++) {
      final int me = s;
      List<Integer> ssrcs = new ArrayList<>();
      for (int k = 0; k < sinks[s].rtp.size(); k++) {
        ssrcs.add(sinks[s].rtp(k).ssrc());
      }
      List<Integer> expected = new ArrayList<>();
      for (int p = 0; p < 3; p++) {
        if (p != me) {
          expected.add(0x1000 * (me + 1) + p);
          expected.add(0x2000 * (me + 1) + p);
        }
      }
      assertThat(ssrcs).as("participant %d", s).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void aSteadySpeakerIsListedAndACoughIsNot() {
    long t = 0;
    for (int k = 1; k <= 100; k++, t += 20 * MS) { // 2 s: p1 speaks, p2 coughs once
      speak(1, k, 20, t);
      speak(0, k, 127, t);
      speak(2, k, k == 40 || k == 41 ? 5 : 127, t);
      room.tick(t);
    }
    assertThat(speakerEvents).isNotEmpty();
    List<Speaker> last = speakerEvents.getLast();
    assertThat(last).extracting(Speaker::participantId).containsExactly("p1");
    assertThat(last.getFirst().trackId()).isEqualTo("a1");
    assertThat(last.getFirst().level()).isBetween(0.5, 1.0);
    assertThat(speakerEvents)
        .allSatisfy(e -> assertThat(e).extracting(Speaker::participantId).doesNotContain("p2"));
  }

  @Test
  void silenceEmptiesTheListWithOneEvent() {
    long t = 0;
    for (int k = 1; k <= 50; k++, t += 20 * MS) {
      speak(1, k, 20, t);
      room.tick(t);
    }
    int events = speakerEvents.size();
    for (int k = 51; k <= 300; k++, t += 20 * MS) {
      speak(1, k, 127, t);
      room.tick(t);
    }
    assertThat(speakerEvents.getLast()).isEmpty();
    assertThat(speakerEvents.size()).isEqualTo(events + 1);
  }

  @Test
  void unpublishStopsForwardingAndDropsItsPackets() {
    room.unpublish(video[0]);
    assertThat(video[0].downTrackCount()).isZero();
    for (RecordingSink s : sinks) {
      s.clear();
    }
    keyframe(0, 2, 0);
    assertThat(sinks[1].rtp).isEmpty();
    assertThat(drops.count(DropReason.UNKNOWN_SSRC)).isEqualTo(1);
    assertThat(people[1].subscriber().downTracksList()).hasSize(3);
  }

  @Test
  void leavingEndsPublicationsAndSubscriptions() {
    room.removeParticipant(people[2]);
    assertThat(room.participants()).extracting(Participant::id).containsExactly("p0", "p1");
    assertThat(people[0].subscriber().downTracksList()).hasSize(2);
    assertThat(audio[0].downTrackCount()).isEqualTo(1);
    speak(1, 1, 20, 0);
    assertThat(sinks[0].rtp).hasSize(1);
    assertThat(sinks[2].rtp).isEmpty();
  }

  @Test
  void rejoiningReplacesTheOldParticipant() {
    Participant again = room.addParticipant("p0", new RecordingSink(), new RecordingSink(), 1);
    assertThat(room.participant("p0")).isSameAs(again);
    assertThat(audio[0].downTrackCount()).isZero();
    assertThat(people[1].subscriber().downTracksList()).hasSize(2);
  }

  /** Down tracks' drops add up in the worker's totals, by reason. */
  @Test
  void dropsAreTotalledPerWorker() {
    byte[] delta = RtpBuilder.rtp(96, 1, 3000, videoSsrc(0)).payload(Streams.VP8_DELTA).build();
    people[0].onRtp(delta, 0, delta.length, 0);
    assertThat(totals.get(eu.visio.sfu.layer.LayerDropReason.NOT_KEYFRAME_YET)).isEqualTo(2);
  }
}
