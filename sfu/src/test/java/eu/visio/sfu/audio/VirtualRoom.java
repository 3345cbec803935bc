package eu.visio.sfu.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drives a {@link SpeakerDetector} on a virtual clock: every participant sends a 20 ms Opus packet
 * (or nothing, as with DTX) as a script says, and the room ticks at a fixed period. Records every
 * reported change.
 */
final class VirtualRoom {
  /** Script value for "no packet this frame" (DTX, or not publishing). */
  static final int NO_PACKET = -100;

  static final long MS = 1_000_000L;

  /** The level participant {@code p} sends at {@code tMs}, or {@link #NO_PACKET}. */
  @FunctionalInterface
  interface Script {
    int level(int p, long tMs);
  }

  /** One change reported by a tick. */
  record Event(long tMs, int flags, List<Integer> speakers, int dominant) {}

  final SpeakerDetector detector;
  final int[] handles;
  final List<Event> events = new ArrayList<>();
  private final long tickMs;
  private long nowMs;

  VirtualRoom(int participants, long tickMs) {
    this.detector = new SpeakerDetector(Math.max(1, participants));
    this.tickMs = tickMs;
    handles = new int[participants];
    for (int i = 0; i < participants; i++) {
      handles[i] = detector.add();
    }
    detector.tick(0);
  }

  long now() {
    return nowMs;
  }

  /** Runs the script for {@code durationMs}, 1 ms steps of virtual time. */
  VirtualRoom run(long durationMs, Script script) {
    long end = nowMs + durationMs;
    while (nowMs < end) {
      nowMs++;
      if (nowMs % 20 == 0) {
        for (int p = 0; p < handles.length; p++) {
          int l = script.level(p, nowMs);
          if (l != NO_PACKET) {
            detector.onAudioLevel(handles[p], l, false, nowMs * MS);
          }
        }
      }
      if (nowMs % tickMs == 0) {
        int flags = detector.tick(nowMs * MS);
        if (flags != 0) {
          events.add(
              new Event(
                  nowMs, flags, Arrays.stream(speakers()).boxed().toList(), detector.dominant()));
        }
      }
    }
    return this;
  }

  int[] speakers() {
    int[] s = new int[detector.speakerCount()];
    detector.speakers(s);
    return s;
  }

  long count(int flag) {
    return events.stream().filter(e -> (e.flags() & flag) != 0).count();
  }

  /** A script where participant {@code who} speaks at {@code dbov} and the others are silent. */
  static Script only(int who, int dbov) {
    return (p, t) -> p == who ? dbov : NO_PACKET;
  }
}
