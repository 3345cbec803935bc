package eu.visio.sfu.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Levels come from publishers: whatever they send (and however the caller's clock and calls are
 * ordered), the detector never throws and its outputs stay in range.
 */
class SpeakerDetectorFuzzTest {
  /** One call: a packet (handle, level, V, time step) or, with op 0, a tick, add or remove. */
  record Step(int op, int handle, int level, boolean vad, long stepNanos) {}

  @Provide
  Arbitrary<Step> steps() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 20),
            Arbitraries.integers().between(-2, 9),
            Arbitraries.oneOf(Arbitraries.integers().between(-3, 260), Arbitraries.integers()),
            Arbitraries.of(true, false),
            Arbitraries.oneOf(
                Arbitraries.longs().between(0, 400_000_000L),
                Arbitraries.longs().between(-50_000_000L, 0),
                Arbitraries.longs()))
        .as(Step::new);
  }

  @Provide
  Arbitrary<List<Step>> stepLists() {
    return steps().list().ofMaxSize(600);
  }

  @Property(tries = 500)
  void arbitraryLevelSequencesStayInRange(
      @ForAll("stepLists") List<Step> steps, @ForAll @IntRange(min = 1, max = 8) int capacity) {
    SpeakerDetector d = new SpeakerDetector(capacity);
    for (int i = 0; i < capacity / 2 + 1; i++) {
      d.add();
    }
    long now = 0;
    for (Step s : steps) {
      now += s.stepNanos();
      switch (s.op()) {
        case 0 -> check(d, d.tick(now));
        case 1 -> d.remove(s.handle());
        case 2 -> d.add();
        default -> d.onAudioLevel(s.handle(), s.level(), s.vad(), now);
      }
    }
    check(d, d.tick(now + 100_000_000L));
  }

  @Property(tries = 300)
  void regularPacketsAndTicksStayInRange(
      @ForAll @Size(min = 1, max = 400) int[] levels,
      @ForAll @IntRange(min = 1, max = 30) int tickEvery) {
    SpeakerDetector d = new SpeakerDetector(3);
    d.add();
    d.add();
    d.tick(0);
    for (int i = 0; i < levels.length; i++) {
      long now = (i + 1) * 20_000_000L;
      d.onAudioLevel(i % 2, levels[i], (levels[i] & 1) == 0, now);
      if (i % tickEvery == 0) {
        check(d, d.tick(now));
      }
    }
  }

  private static void check(SpeakerDetector d, int flags) {
    assertThat(flags & ~(SpeakerDetector.SPEAKERS_CHANGED | SpeakerDetector.DOMINANT_CHANGED))
        .isZero();
    assertThat(d.speakerCount()).isBetween(0, Math.min(d.capacity(), 16));
    for (int i = 0; i < d.speakerCount(); i++) {
      assertThat(d.speakerLevel(i)).isBetween(0.0, 1.0);
      assertThat(d.isActive(d.speaker(i))).isTrue();
      for (int j = 0; j < i; j++) {
        assertThat(d.speaker(j)).isNotEqualTo(d.speaker(i));
      }
    }
    for (int h = -1; h <= d.capacity(); h++) {
      assertThat(d.level(h)).isBetween(0.0, 1.0);
    }
    assertThat(d.dominant() == SpeakerDetector.NONE || d.isActive(d.dominant())).isTrue();
  }
}
