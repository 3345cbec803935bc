package eu.visio.sfu.alloc;

import static eu.visio.sfu.alloc.StreamAllocator.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.alloc.StreamAllocator.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Invariants of allocation over random tracks, rates (not necessarily monotonic), preferences and
 * sequences of estimates.
 */
class StreamAllocatorPropertiesTest {
  private static final long NOW = 1_000_000_000L;

  /** A track: its source, speaker flag, rates[s][t], encodings not sent, and preferences. */
  record Spec(
      Source source,
      boolean speaker,
      long[][] rates,
      boolean[] off,
      int maxWidth,
      int maxHeight,
      int maxFps,
      boolean disabled) {

    /** Layers with at least one encoding sent: every video track here is measured. */
    FakeLayers layers() {
      FakeLayers l = new FakeLayers(rates).sizes(1280, 720);
      for (int s = 0; s < rates.length; s++) {
        l.off[s] = off[s];
      }
      l.off[0] &= !allOff();
      return l;
    }

    private boolean allOff() {
      for (int s = 0; s < rates.length; s++) {
        if (!off[s]) {
          return false;
        }
      }
      return true;
    }
  }

  @Provide
  Arbitrary<long[][]> rates() {
    return Arbitraries.integers()
        .between(1, 3)
        .flatMap(
            tc ->
                Arbitraries.longs()
                    .between(0, 2_000_000)
                    .array(long[].class)
                    .ofSize(tc)
                    .array(long[][].class)
                    .ofMinSize(1)
                    .ofMaxSize(3));
  }

  @Provide
  Arbitrary<Spec> specs() {
    return Combinators.combine(
            Arbitraries.of(Source.SCREEN, Source.CAMERA, Source.CAMERA, Source.AUDIO),
            Arbitraries.of(true, false),
            rates(),
            Arbitraries.of(true, false, false).array(boolean[].class).ofSize(3),
            Arbitraries.of(0, 160, 320, 640, 1280, 1920),
            Arbitraries.of(0, 90, 180, 360, 720, 1080),
            Arbitraries.of(0, 5, 10, 15, 30),
            Arbitraries.of(false, false, false, true))
        .as(Spec::new);
  }

  @Provide
  Arbitrary<List<Long>> estimates() {
    return Arbitraries.oneOf(
            Arbitraries.longs().between(0, 6_000_000), Arbitraries.longs().between(-1_000, 300_000))
        .list()
        .ofMinSize(1)
        .ofMaxSize(15);
  }

  @Property(tries = 1000)
  void neverMoreThanTheEstimateBeyondAudioAndTargetsStayInBounds(
      @ForAll @Size(min = 1, max = 8) List<@net.jqwik.api.From("specs") Spec> specs,
      @ForAll("estimates") List<Long> estimates) {
    Events events = new Events();
    StreamAllocator alloc = new StreamAllocator("sub", events);
    List<Integer> handles = new ArrayList<>();
    List<FakeLayers> layers = new ArrayList<>();
    for (Spec spec : specs) {
      FakeLayers l = spec.layers();
      int h = alloc.add("t" + handles.size(), spec.source(), l);
      alloc.setPreferences(h, spec.maxWidth(), spec.maxHeight(), spec.maxFps(), spec.disabled());
      alloc.setSpeaker(h, spec.speaker());
      handles.add(h);
      layers.add(l);
    }
    Map<Integer, Events.Target> lastTarget = new HashMap<>();
    Map<Integer, Boolean> lastActive = new HashMap<>();
    for (long estimate : estimates) {
      events.clear();
      alloc.allocate(estimate, NOW);
      long audio = 0;
      long charged = 0;
      long received = 0;
      for (int i = 0; i < specs.size(); i++) {
        Spec spec = specs.get(i);
        int h = handles.get(i);
        FakeLayers l = layers.get(i);
        int s = alloc.targetSpatial(h);
        int t = alloc.targetTemporal(h);
        if (spec.source() == Source.AUDIO) {
          assertThat(alloc.paused(h)).isFalse();
          assertThat(s).isEqualTo(spec.disabled() ? NONE : 0);
          if (!spec.disabled()) {
            audio += l.available(0, NOW) ? l.bitrate(0, 3, NOW) : StreamAllocator.DEFAULT_AUDIO_BPS;
          }
          continue;
        }
        assertThat(alloc.paused(h)).isEqualTo(!spec.disabled() && s == NONE);
        if (spec.disabled()) {
          assertThat(s).isEqualTo(NONE);
          continue;
        }
        if (s == NONE) {
          assertThat(t).isEqualTo(NONE);
          continue;
        }
        assertThat(l.available(s, NOW)).as("only layers that are sent").isTrue();
        assertThat(t)
            .isBetween(0, StreamAllocator.preferredTemporal(spec.maxFps(), l.temporalCount()));
        int lowestSent = 0;
        while (!l.available(lowestSent, NOW)) {
          lowestSent++;
        }
        assertThat(s).isLessThanOrEqualTo(Math.max(alloc.preferredSpatial(h), lowestSent));
        received += l.bitrate(s, t, NOW);
        charged += maxCostUpTo(l, s, t, spec.source(), spec.maxFps());
      }
      assertThat(alloc.allocatedBps()).isEqualTo(audio + charged);
      assertThat(received).isLessThanOrEqualTo(charged);
      assertThat(charged)
          .as("video within what audio leaves of %d", estimate)
          .isLessThanOrEqualTo(Math.max(0, estimate - audio));
      for (Events.Target e : events.targets) {
        lastTarget.put(e.handle(), e);
      }
      for (Events.State e : events.states) {
        assertThat(lastActive.getOrDefault(e.handle(), true))
            .as("a state event is a change")
            .isNotEqualTo(e.active());
        lastActive.put(e.handle(), e.active());
      }
      for (int h : handles) {
        Events.Target e = lastTarget.getOrDefault(h, new Events.Target(h, NONE, NONE));
        assertThat(e)
            .isEqualTo(new Events.Target(h, alloc.targetSpatial(h), alloc.targetTemporal(h)));
        if (alloc.paused(h)) {
          assertThat(lastActive.get(h)).as("paused was reported").isFalse();
        } else if (alloc.targetSpatial(h) != NONE) {
          assertThat(lastActive.getOrDefault(h, true)).as("active was reported").isTrue();
        }
      }
    }
  }

  /**
   * A track's charge at (s, t): the highest rate among its candidate layers up to there, as the
   * allocator costs them (sent encodings from the lowest sent up, temporal layers up to the cap;
   * for a camera, layers above 360p above the lowest sent at the cap's frame rate only).
   */
  private static long maxCostUpTo(FakeLayers l, int s, int t, Source source, int maxFps) {
    int maxT = StreamAllocator.preferredTemporal(maxFps, l.temporalCount());
    int sc = Math.clamp(l.spatialCount(), 1, LayerBitrates.MAX_LAYERS);
    long max = 0;
    int lowest = NONE;
    for (int spatial = 0; spatial <= s; spatial++) {
      if (!l.available(spatial, NOW)) {
        continue;
      }
      if (lowest == NONE) {
        lowest = spatial;
      }
      boolean fullRateOnly =
          source == Source.CAMERA
              && spatial > lowest
              && LayerPreference.height(l, spatial, sc) > LayerLadder.FULL_RATE_ABOVE_HEIGHT;
      int top = spatial == s ? t : maxT;
      for (int temporal = fullRateOnly ? top : 0; temporal <= top; temporal++) {
        max = Math.max(max, l.bitrate(spatial, temporal, NOW));
      }
    }
    return max;
  }

  /**
   * Copies of one track (same layers object, same preferences) under different priorities, through
   * a sequence of estimates with the rates changing between allocations: a copy earlier in priority
   * order (screen, then speaker cameras, then cameras; then order of arrival) never has a lower
   * layer than a later one of its kind (a screen share and a camera climb different ladders).
   */
  @Property(tries = 1000)
  void aHigherPriorityTrackIsNeverWorseOffThanALowerOneWithTheSameRequest(
      @ForAll("specs") Spec template,
      @ForAll @Size(min = 2, max = 6) List<@net.jqwik.api.From("priorities") Integer> priorities,
      @ForAll("estimates") List<Long> estimates,
      @ForAll @IntRange(min = 0, max = 3) int jitterSeed) {
    StreamAllocator alloc = new StreamAllocator("sub", null);
    FakeLayers shared = template.layers();
    int[] handles = new int[priorities.size()];
    for (int i = 0; i < handles.length; i++) {
      int p = priorities.get(i);
      handles[i] = alloc.add("t" + i, p == 0 ? Source.SCREEN : Source.CAMERA, shared);
      alloc.setSpeaker(handles[i], p == 1);
      alloc.setPreferences(
          handles[i], template.maxWidth(), template.maxHeight(), template.maxFps(), false);
    }
    int round = 0;
    for (long estimate : estimates) {
      alloc.allocate(estimate, NOW);
      for (int i = 0; i < handles.length; i++) {
        for (int j = 0; j < handles.length; j++) {
          boolean iFirst =
              priorities.get(i) < priorities.get(j)
                  || (priorities.get(i).equals(priorities.get(j)) && i < j);
          // A screen share's ladder differs from a camera's (every temporal layer above 360p):
          // only tracks of one kind compare layer for layer.
          boolean sameKind = (priorities.get(i) == 0) == (priorities.get(j) == 0);
          if (iFirst && sameKind) {
            assertThat(rank(alloc, handles[i]))
                .as(
                    "track %d (priority %d) vs %d (priority %d)",
                    i, priorities.get(i), j, priorities.get(j))
                .isGreaterThanOrEqualTo(rank(alloc, handles[j]));
          }
        }
      }
      // Rates move between allocations (the same for every copy: they share the layers).
      round++;
      for (long[] row : shared.rates) {
        for (int t = 0; t < row.length; t++) {
          row[t] = row[t] * (90 + (round * 7 + t + jitterSeed) % 21) / 100;
        }
      }
    }
  }

  @Provide
  Arbitrary<Integer> priorities() {
    return Arbitraries.integers().between(0, 2); // 0 screen, 1 speaker camera, 2 camera
  }

  private static int rank(StreamAllocator alloc, int h) {
    int s = alloc.targetSpatial(h);
    return s == NONE ? -1 : s * 8 + alloc.targetTemporal(h);
  }
}
