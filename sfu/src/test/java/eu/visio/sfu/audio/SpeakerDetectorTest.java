package eu.visio.sfu.audio;

import static eu.visio.sfu.audio.SpeakerDetector.DOMINANT_CHANGED;
import static eu.visio.sfu.audio.SpeakerDetector.NONE;
import static eu.visio.sfu.audio.SpeakerDetector.SPEAKERS_CHANGED;
import static eu.visio.sfu.audio.VirtualRoom.MS;
import static eu.visio.sfu.audio.VirtualRoom.NO_PACKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpeakerDetectorTest {
  private static final int A = 0;
  private static final int B = 1;
  private static final int C = 2;

  @ParameterizedTest(name = "tick every {0} ms")
  @ValueSource(longs = {100, 200, 300})
  void singleSpeakerBecomesDominant(long tickMs) {
    VirtualRoom room = new VirtualRoom(3, tickMs);
    room.run(280, VirtualRoom.only(A, 30));
    assertThat(room.detector.dominant()).as("not before 300 ms of speech").isEqualTo(NONE);
    room.run(tickMs + 20, VirtualRoom.only(A, 30));
    assertThat(room.detector.dominant()).isEqualTo(A);
    assertThat(room.speakers()).containsExactly(A);
    assertThat(room.detector.speakerLevel(0)).isBetween(0.4, 0.7);
    assertThat(room.events).hasSize(1);
    assertThat(room.events.getFirst().flags()).isEqualTo(SPEAKERS_CHANGED | DOMINANT_CHANGED);
  }

  @Test
  void coughWhileASpeaksDoesNotSwitch() {
    VirtualRoom room = new VirtualRoom(3, 100);
    room.run(1500, VirtualRoom.only(A, 30));
    int before = room.events.size();
    // B coughs at the loudest level for 200 ms, and sends silence (not DTX) around it.
    room.run(3000, (p, t) -> p == A ? 30 : p == B ? (t >= 1600 && t < 1800 ? 0 : 127) : NO_PACKET);
    assertThat(room.events).hasSize(before);
    assertThat(room.detector.dominant()).isEqualTo(A);
    assertThat(room.detector.isActive(room.handles[B])).isFalse();
  }

  @Test
  void repeatedCoughsAcrossTicksDoNotSwitch() {
    VirtualRoom room = new VirtualRoom(2, 300);
    room.run(2000, VirtualRoom.only(A, 35));
    // Four 250 ms coughs, 1 s apart: each is its own burst.
    room.run(4000, (p, t) -> p == A ? 35 : (t - 2000) % 1000 < 250 ? 0 : NO_PACKET);
    assertThat(room.detector.dominant()).isEqualTo(A);
    assertThat(room.count(DOMINANT_CHANGED)).isEqualTo(1);
  }

  @ParameterizedTest(name = "tick every {0} ms")
  @ValueSource(longs = {100, 200})
  void steadilyLouderSpeakerTakesOverWithinASecond(long tickMs) {
    VirtualRoom room = new VirtualRoom(3, tickMs);
    room.run(2000, VirtualRoom.only(A, 30));
    assertThat(room.detector.dominant()).isEqualTo(A);
    VirtualRoom.Script both = (p, t) -> p == A ? 30 : p == B ? 10 : NO_PACKET;
    room.run(400, both);
    assertThat(room.detector.dominant()).as("not before 400 ms").isEqualTo(A);
    room.run(600, both);
    assertThat(room.detector.dominant()).isEqualTo(B);
    assertThat(room.speakers()).containsExactly(B, A);
  }

  @Test
  void equallyLoudSecondSpeakerDoesNotTakeOver() {
    VirtualRoom room = new VirtualRoom(2, 100);
    room.run(2000, VirtualRoom.only(A, 30));
    room.run(5000, (p, t) -> p == A ? 30 : 28);
    assertThat(room.detector.dominant()).isEqualTo(A);
    assertThat(room.speakers()).containsExactly(A, B);
    assertThat(room.count(DOMINANT_CHANGED)).isEqualTo(1);
  }

  @ParameterizedTest(name = "pause as {0}")
  @ValueSource(ints = {NO_PACKET, 127, 80})
  void pauseBetweenWordsKeepsTheStage(int pause) {
    VirtualRoom room = new VirtualRoom(2, 100);
    room.run(2000, VirtualRoom.only(A, 30));
    int before = room.events.size();
    room.run(600, (p, t) -> p == A ? pause : NO_PACKET);
    assertThat(room.detector.dominant()).isEqualTo(A);
    assertThat(room.speakers()).containsExactly(A);
    room.run(2000, VirtualRoom.only(A, 30));
    assertThat(room.events).hasSize(before);
  }

  @Test
  void pauseLetsAnActiveChallengerTakeOverOnlyIfLouder() {
    VirtualRoom room = new VirtualRoom(2, 100);
    // B murmurs continuously, quieter than A.
    room.run(2000, (p, t) -> p == A ? 20 : 44);
    assertThat(room.detector.dominant()).isEqualTo(A);
    room.run(600, (p, t) -> p == A ? NO_PACKET : 44);
    room.run(2000, (p, t) -> p == A ? 20 : 44);
    assertThat(room.detector.dominant()).isEqualTo(A);
  }

  @Test
  void dtxSilenceDecaysToNoSpeaker() {
    VirtualRoom room = new VirtualRoom(2, 100);
    room.run(2000, VirtualRoom.only(A, 25));
    double speaking = room.detector.level(room.handles[A]);
    room.run(500, (p, t) -> NO_PACKET);
    assertThat(room.detector.level(room.handles[A])).isLessThan(speaking / 2);
    assertThat(room.detector.dominant()).isEqualTo(A);
    room.run(600, (p, t) -> NO_PACKET);
    assertThat(room.detector.dominant()).isEqualTo(NONE);
    assertThat(room.speakers()).isEmpty();
    room.run(5000, (p, t) -> NO_PACKET);
    assertThat(room.detector.level(room.handles[A])).isLessThan(0.001);
    assertThat(room.events).hasSize(2);
    assertThat(room.events.get(1).flags()).isEqualTo(SPEAKERS_CHANGED | DOMINANT_CHANGED);
  }

  @Test
  void opusDtxComfortNoiseEvery400MsIsSilence() {
    VirtualRoom room = new VirtualRoom(1, 100);
    room.run(2000, VirtualRoom.only(A, 25));
    room.run(3000, (p, t) -> t % 400 == 0 ? 127 : NO_PACKET);
    assertThat(room.detector.dominant()).isEqualTo(NONE);
    assertThat(room.detector.level(room.handles[A])).isLessThan(0.01);
  }

  @Test
  void ranksByLevel() {
    VirtualRoom room = new VirtualRoom(4, 100);
    room.run(2000, (p, t) -> p == A ? 40 : p == B ? 10 : p == C ? 25 : 127);
    assertThat(room.speakers()).containsExactly(B, C, A);
    double previous = 1;
    for (int i = 0; i < room.detector.speakerCount(); i++) {
      assertThat(room.detector.speakerLevel(i)).isBetween(0.0, previous);
      previous = room.detector.speakerLevel(i);
    }
    assertThat(room.detector.dominant()).isEqualTo(B);
  }

  @Test
  void reportsOnlyChanges() {
    VirtualRoom room = new VirtualRoom(3, 100);
    // Two speakers within the ranking margin of each other, with a little jitter each frame.
    room.run(
        10_000,
        (p, t) -> p == A ? 30 + (int) (t / 20 % 3) : p == B ? 31 - (int) (t / 20 % 2) : 127);
    // A and B enter, in the same tick or one after the other; then nothing.
    assertThat(room.events).hasSizeBetween(1, 2);
    assertThat(room.events.getLast().tMs()).isLessThan(1000);
  }

  @Test
  void voiceActivityBitIsTrustedOnceSeen() {
    SpeakerDetector d = new SpeakerDetector(2);
    int a = d.add();
    int b = d.add();
    d.tick(0);
    for (long t = 20; t <= 2000; t += 20) {
      d.onAudioLevel(a, 20, t < 40, t * MS); // says "voice" once, then "no voice": loud noise
      d.onAudioLevel(b, 20, false, t * MS); // never sets V: judged on level alone
      if (t % 100 == 0) {
        d.tick(t * MS);
      }
    }
    assertThat(d.isActive(a)).isFalse();
    assertThat(d.isActive(b)).isTrue();
    assertThat(d.dominant()).isEqualTo(b);
  }

  @Test
  void removeReportsAndFreesTheHandle() {
    VirtualRoom room = new VirtualRoom(2, 100);
    room.run(2000, (p, t) -> p == A ? 20 : 35);
    assertThat(room.speakers()).containsExactly(A, B);
    room.detector.remove(room.handles[A]);
    room.detector.remove(room.handles[A]); // twice is harmless
    assertThat(room.detector.dominant()).isEqualTo(NONE);
    int flags = room.detector.tick(2001 * MS);
    assertThat(flags).isEqualTo(SPEAKERS_CHANGED | DOMINANT_CHANGED);
    assertThat(room.speakers()).containsExactly(room.handles[B]);
    assertThat(room.detector.dominant()).isEqualTo(room.handles[B]);

    int again = room.detector.add();
    assertThat(again).isEqualTo(room.handles[A]);
    assertThat(room.detector.level(again)).isZero();
    assertThat(room.detector.add()).isEqualTo(NONE);
  }

  @Test
  void ignoresUnknownHandlesAndAbsentLevels() {
    SpeakerDetector d = new SpeakerDetector(4);
    int a = d.add();
    d.onAudioLevel(-1, 10, true, 0);
    d.onAudioLevel(3, 10, true, 0);
    d.onAudioLevel(99, 10, true, 0);
    d.onAudioLevel(a, AudioLevel.ABSENT, true, 0);
    assertThat(d.ignoredPackets()).isEqualTo(4);
    assertThat(d.level(99)).isZero();
    assertThat(d.isActive(-5)).isFalse();
  }

  @Test
  void rejectsBadConfig() {
    SpeakerDetector.Config c = SpeakerDetector.Config.DEFAULT;
    assertThatThrownBy(() -> new SpeakerDetector(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new SpeakerDetector.Config(
                    c.voicedDbov(),
                    c.silentDbov(),
                    c.snrDb(),
                    c.minSpeechNanos(),
                    c.gapNanos(),
                    c.hangoverNanos(),
                    c.takeoverNanos(),
                    0.5,
                    c.rankMargin(),
                    c.attackNanos(),
                    c.releaseNanos(),
                    c.maxSpeakers()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constantHumDropsOutAsItsNoiseFloorIsLearnt() {
    VirtualRoom room = new VirtualRoom(2, 100);
    // A sits next to a fan at 38 dBov and never sets the V bit; B talks, with pauses between words.
    VirtualRoom.Script script = (p, t) -> p == A ? 38 : t % 340 < 240 ? 25 : 90;
    room.run(20_000, script);
    assertThat(room.speakers()).containsExactly(B);
    assertThat(room.detector.dominant()).isEqualTo(B);
    int before = room.events.size();
    room.run(60_000, script);
    assertThat(room.events).hasSize(before);
  }

  /**
   * 150 participants, each with their own background noise (some noisy, near the voice threshold),
   * while four of them take turns speaking with syllables and gaps. The output must be the same on
   * every run, follow the turns, and not flap.
   */
  @Test
  void largeNoisyRoomIsDeterministicAndStable() {
    VirtualRoom first = noisyRoom(42);
    VirtualRoom second = noisyRoom(42);
    assertThat(second.events).isEqualTo(first.events);

    // 60 s, 6 turns of 10 s: one dominant change per turn, plus a little slack.
    assertThat(first.count(DOMINANT_CHANGED)).isBetween(6L, 8L);
    assertThat(first.count(SPEAKERS_CHANGED)).isLessThanOrEqualTo(40);
    for (VirtualRoom.Event e : first.events) {
      assertThat(e.speakers().size())
          .isLessThanOrEqualTo(SpeakerDetector.Config.DEFAULT.maxSpeakers());
    }
    for (int seed = 1; seed <= 5; seed++) {
      VirtualRoom r = noisyRoom(seed);
      assertThat(r.count(DOMINANT_CHANGED)).as("seed %d", seed).isLessThanOrEqualTo(10);
      assertThat(r.count(SPEAKERS_CHANGED)).as("seed %d", seed).isLessThanOrEqualTo(60);
    }
  }

  private static VirtualRoom noisyRoom(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 150;
    int[] floor = new int[n];
    for (int p = 0; p < n; p++) {
      floor[p] = 50 + random.nextInt(72); // 50..121 dBov of background
    }
    int[] turns = {7, 42, 99, 7, 130, 42};
    SplittableRandom jitter = random.split();
    VirtualRoom room = new VirtualRoom(n, 200);
    for (int turn = 0; turn < turns.length; turn++) {
      int speaker = turns[turn];
      long start = turn * 10_000L;
      room.run(
          10_000,
          (p, t) -> {
            int noise = Math.min(127, floor[p] + jitter.nextInt(-6, 7));
            if (p != speaker) {
              return noise;
            }
            // Syllables: 240 ms voiced, 100 ms gap; a 600 ms breath every 4 s.
            long at = t - start;
            boolean breath = at % 4000 >= 3400;
            boolean gap = at % 340 >= 240;
            return breath || gap ? noise : 18 + jitter.nextInt(0, 15);
          });
      assertThat(room.detector.dominant()).as("turn %d", turn).isEqualTo(speaker);
    }
    return room;
  }
}
