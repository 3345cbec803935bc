package eu.visio.sfu.alloc;

import static eu.visio.sfu.alloc.FakeLayers.K;
import static eu.visio.sfu.alloc.StreamAllocator.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.sfu.alloc.StreamAllocator.Source;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Allocation on a virtual clock with rates set by hand. Simulcast rates used throughout (kbit/s,
 * cumulative over temporal layers): s0 60/90/150, s1 200/300/500, s2 700/1100/1700. Going above a
 * track's previous layer needs the layer's rate plus max(10%, 20 kbit/s).
 */
class StreamAllocatorTest {
  private static final long NOW = 5_000_000_000L;

  private final Events events = new Events();
  private final StreamAllocator alloc = new StreamAllocator("sub", events);

  /** Single-layer track (no simulcast, no temporal layers) at {@code kbps}. */
  private static FakeLayers single(long kbps) {
    return new FakeLayers(new long[][] {{kbps * K}});
  }

  private String layer(int handle) {
    int s = alloc.targetSpatial(handle);
    return s == NONE
        ? (alloc.paused(handle) ? "paused" : "none")
        : "s" + s + "t" + alloc.targetTemporal(handle);
  }

  @ParameterizedTest(name = "{0} kbit/s -> {1}")
  @CsvSource({
    "0, paused",
    "79, paused", // 60 + 20 margin
    "80, s0t0",
    "169, s0t1",
    "170, s0t2",
    "219, s0t2",
    "220, s1t0", // 200 + 20
    "330, s1t1", // 300 + 30
    "549, s1t1",
    "550, s1t2",
    "770, s1t2", // 720p only at full frame rate (LayerLadder): no s2t0, s2t1
    "1210, s1t2",
    "1869, s1t2",
    "1870, s2t2", // 1700 + 170
    "100000, s2t2",
  })
  void oneCameraGetsTheHighestLayerThatFitsWithItsMargin(long kbps, String expected) {
    int h = alloc.add("cam", Source.CAMERA, FakeLayers.simulcast());
    alloc.allocate(kbps * K, NOW);
    assertThat(layer(h)).isEqualTo(expected);
    assertThat(alloc.allocatedBps()).isLessThanOrEqualTo(kbps * K);
  }

  @ParameterizedTest(name = "{0} kbit/s -> screen {1}, speaker {2}, camA {3}, camB {4}")
  @CsvSource({
    "0, paused, paused, paused, paused",
    "119, paused, paused, paused, paused",
    "120, s0t0, paused, paused, paused",
    "219, s0t0, paused, paused, paused",
    "220, s0t0, s0t0, paused, paused", // screen charged 100, the speaker needs 100 + 20
    "319, s0t0, s0t0, paused, paused",
    "320, s0t0, s0t0, s0t0, paused",
    "419, s0t0, s0t0, s0t0, paused",
    "420, s0t0, s0t0, s0t0, s0t0",
  })
  void screenShareThenSpeakerThenCamerasInOrderOfArrival(
      long kbps, String screen, String speaker, String camA, String camB) {
    int a = alloc.add("camA", Source.CAMERA, single(100));
    int b = alloc.add("camB", Source.CAMERA, single(100));
    int sp = alloc.add("speaker", Source.CAMERA, single(100));
    int sc = alloc.add("screen", Source.SCREEN, single(100));
    alloc.setSpeaker(sp, true);
    alloc.allocate(kbps * K, NOW);
    assertThat(List.of(layer(sc), layer(sp), layer(a), layer(b)))
        .containsExactly(screen, speaker, camA, camB);
  }

  @Test
  void audioIsReservedOffTheTopAndNeverPaused() {
    int audio = alloc.add("mic", Source.AUDIO, null);
    int measured = alloc.add("mic2", Source.AUDIO, single(32));
    int cam = alloc.add("cam", Source.CAMERA, single(100));

    alloc.allocate(0, NOW);
    assertThat(List.of(layer(audio), layer(measured), layer(cam)))
        .containsExactly("s0t0", "s0t0", "paused");
    assertThat(alloc.allocatedBps()).isEqualTo(StreamAllocator.DEFAULT_AUDIO_BPS + 32 * K);

    alloc.allocate((64 + 32 + 119) * K, NOW);
    assertThat(layer(cam)).isEqualTo("paused");
    alloc.allocate((64 + 32 + 120) * K, NOW);
    assertThat(layer(cam)).isEqualTo("s0t0");

    // A muted audio track is not charged: its share goes to video.
    alloc.setPreferences(audio, 0, 0, 0, true);
    alloc.allocate((32 + 100) * K, NOW);
    assertThat(List.of(layer(audio), layer(cam))).containsExactly("none", "s0t0");
  }

  @Test
  void stepsGoToEveryTrackBeforeAnyGoesHigher() {
    int a = alloc.add("camA", Source.CAMERA, FakeLayers.simulcast());
    int b = alloc.add("camB", Source.CAMERA, FakeLayers.simulcast());
    // Alone, camA would reach s2t0 (770); shared, both stay on s1 and camA is one step ahead.
    alloc.allocate(1000 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s1t2", "s1t1");
    assertThat(alloc.allocatedBps()).isEqualTo(800 * K);
  }

  @Test
  void pausesWhatNoLongerFitsAndResumesItOnlyPastTheMargin() {
    int a = alloc.add("camA", Source.CAMERA, single(100));
    int b = alloc.add("camB", Source.CAMERA, single(100));
    alloc.allocate(240 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t0", "s0t0");
    assertThat(events.states).isEmpty();
    events.clear();

    alloc.allocate(199 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t0", "paused");
    assertThat(events.states).containsExactly(new Events.State(b, false));
    assertThat(events.targets).containsExactly(new Events.Target(b, NONE, NONE));
    events.clear();

    alloc.allocate(219 * K, NOW); // 100 + 100 fits, but not the 20 kbit/s margin
    assertThat(alloc.paused(b)).isTrue();
    assertThat(events.states).isEmpty();

    alloc.allocate(220 * K, NOW);
    assertThat(layer(b)).isEqualTo("s0t0");
    assertThat(events.states).containsExactly(new Events.State(b, true));
    assertThat(events.targets).containsExactly(new Events.Target(b, 0, 0));
    events.clear();

    alloc.allocate(200 * K, NOW); // a running track keeps its layer without margin
    assertThat(layer(b)).isEqualTo("s0t0");
    assertThat(events.targets).isEmpty();
  }

  /** Cameras a then b at 315 kbit/s: a reaches s1t0 (200) while b stops at s0t1 (90). */
  private int[] aAtS1t0AndBAtS0t1() {
    int a = alloc.add("a", Source.CAMERA, FakeLayers.simulcast());
    int b = alloc.add("b", Source.CAMERA, FakeLayers.simulcast());
    alloc.allocate(315 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s1t0", "s0t1");
    events.clear();
    return new int[] {a, b};
  }

  @Test
  void anUpgradeNeverTakesTheRoomOfALayerAnotherTrackKeeps() {
    int[] ab = aAtS1t0AndBAtS0t1();
    // From scratch, 330 would serve b's s0t2 (60 + 20 margin) before a's s1t0 (+50), which would
    // then no longer fit: a would go down as the estimate went up, and back up at the next dip.
    alloc.allocate(330 * K, NOW);
    alloc.allocate(315 * K, NOW);
    alloc.allocate(330 * K, NOW);
    assertThat(List.of(layer(ab[0]), layer(ab[1]))).containsExactly("s1t0", "s0t1");
    assertThat(events.targets).isEmpty();
  }

  @Test
  void whenWhatIsKeptNoLongerFitsTheAllocationStartsAfresh() {
    int[] ab = aAtS1t0AndBAtS0t1();
    alloc.allocate(250 * K, NOW); // 290 kept: too much; afresh, both step down evenly
    assertThat(List.of(layer(ab[0]), layer(ab[1]))).containsExactly("s0t2", "s0t1");
    assertThat(alloc.allocatedBps()).isEqualTo(240 * K);
  }

  @Test
  void aNewSpeakerIsServedFirstAtOnceNotWhenBandwidthNextDrops() {
    int[] ab = aAtS1t0AndBAtS0t1();
    alloc.setSpeaker(ab[1], true);
    alloc.allocate(330 * K, NOW); // what is kept would fit, but the order changed
    assertThat(List.of(layer(ab[0]), layer(ab[1]))).containsExactly("s0t2", "s0t2");
    alloc.setSpeaker(ab[1], true); // no change: the next allocation keeps
    alloc.allocate(380 * K, NOW);
    assertThat(layer(ab[1])).isEqualTo("s1t0");
    assertThat(layer(ab[0])).isEqualTo("s0t2");
  }

  @Test
  void aClimbLeavesAFewPercentOfTheEstimateSoThatJitterDoesNotUndoIt() {
    // Twenty cameras, each s0 10/15/25 kbit/s: 3% of the estimate outweighs each step's margin.
    int[] h = new int[20];
    FakeLayers[] layers = new FakeLayers[h.length];
    for (int i = 0; i < h.length; i++) {
      layers[i] =
          new FakeLayers(new long[][] {{10 * K, 15 * K, 25 * K}, {100 * K, 150 * K, 250 * K}});
      h[i] = alloc.add("cam" + i, Source.CAMERA, layers[i]);
    }
    for (long kbps = 400; kbps <= 3_000; kbps += kbps / 50) {
      alloc.allocate(kbps * K, NOW);
      assertThat(alloc.allocatedBps())
          .as("at %d kbit/s", kbps)
          .isLessThanOrEqualTo(kbps * K - kbps * K / 100 * 3 + 20 * K);
    }
    events.clear();
    long last = 0;
    for (long kbps = 400; kbps <= 3_000; kbps += kbps / 50) {
      last = kbps;
    }
    assertThat(alloc.allocatedBps()).as("not all at the top").isLessThan(20 * 250 * K);
    // Every rate 2% up and down, the estimate steady: nothing moves.
    for (int round = 0; round < 50; round++) {
      for (FakeLayers l : layers) {
        for (long[] row : l.rates) {
          for (int t = 0; t < row.length; t++) {
            row[t] = round % 2 == 0 ? row[t] * 102 / 100 : row[t] * 100 / 102;
          }
        }
      }
      alloc.allocate(last * K, NOW);
    }
    assertThat(events.targets).isEmpty();
  }

  @Test
  void above360pACameraGetsFullFrameRateOnlyAndAScreenShareEveryTemporalLayer() {
    int cam = alloc.add("cam", Source.CAMERA, FakeLayers.simulcast());
    StreamAllocator screens = new StreamAllocator("sub2", null);
    int screen = screens.add("screen", Source.SCREEN, FakeLayers.simulcast());
    alloc.allocate(800 * K, NOW);
    screens.allocate(800 * K, NOW);
    assertThat(layer(cam)).as("720p at 7.5 fps is no step up from 360p at 30").isEqualTo("s1t2");
    assertThat(screens.targetSpatial(screen)).as("a screen: size first").isEqualTo(2);
    assertThat(screens.targetTemporal(screen)).isZero();

    alloc.setPreferences(cam, 0, 0, 15, false); // 15 fps asked: t1 is the camera's full rate
    alloc.allocate(1300 * K, NOW); // s2t1 is 1100 + 110
    assertThat(layer(cam)).isEqualTo("s2t1");

    int small = alloc.add("small", Source.CAMERA, FakeLayers.simulcast().sizes(640, 360));
    alloc.allocate(1300 * K + 770 * K, NOW);
    assertThat(layer(small)).as("360p on top: every rung").isEqualTo("s2t0");
  }

  @Test
  void anEstimateJitteringAroundAThresholdMovesATrackOnce() {
    int cam = alloc.add("cam", Source.CAMERA, FakeLayers.simulcast());
    alloc.allocate(1870 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s2t2");
    events.clear();
    // s2t2 needs 1700 to keep and 1870 to regain: +-5% around 1700 changes it once.
    for (int i = 0; i < 100; i++) {
      alloc.allocate((i % 2 == 0 ? 1615 : 1785) * K, NOW + i * 100_000_000L);
    }
    assertThat(events.targets).containsExactly(new Events.Target(cam, 1, 2));

    // The same around the lowest layer: paused once, not resumed inside the band.
    events.clear();
    for (int i = 0; i < 100; i++) {
      alloc.allocate((i % 2 == 0 ? 57 : 75) * K, NOW);
    }
    assertThat(events.states).containsExactly(new Events.State(cam, false));
    assertThat(alloc.paused(cam)).isTrue();
  }

  @Test
  void aMeasuredRateJitteringAroundTheBudgetMovesATrackOnce() {
    FakeLayers layers = FakeLayers.simulcast();
    int cam = alloc.add("cam", Source.CAMERA, layers);
    alloc.allocate(1900 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s2t2");
    events.clear();
    for (int i = 0; i < 100; i++) {
      layers.rates[2][2] = (i % 2 == 0 ? 1750 : 1600) * K; // the top layer's rate wobbles
      alloc.allocate(1700 * K, NOW);
    }
    assertThat(events.targets).containsExactly(new Events.Target(cam, 1, 2));
  }

  @ParameterizedTest(name = "{0} kbit/s: old {1}, new speaker {2}")
  @CsvSource({
    "150, paused, s0t0", // room for the new speaker's 100 + 20: it takes the place
    "110, s0t0, paused", // inside the margin band the running track stays (documented)
  })
  void aNewSpeakerTakesThePlaceOfAPausedOneOutsideTheMarginBand(
      long kbps, String old, String speaker) {
    int a = alloc.add("camA", Source.CAMERA, single(100));
    int b = alloc.add("camB", Source.CAMERA, single(100));
    alloc.allocate(150 * K, NOW);
    alloc.allocate(kbps * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t0", "paused");
    alloc.setSpeaker(b, true);
    alloc.allocate(kbps * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly(old, speaker);
  }

  @Test
  void aPausedTrackWhosePublisherStopsStaysPaused() {
    FakeLayers bLayers = single(100);
    int a = alloc.add("camA", Source.CAMERA, single(100));
    int b = alloc.add("camB", Source.CAMERA, bLayers);
    alloc.allocate(150 * K, NOW);
    assertThat(alloc.paused(b)).isTrue();
    bLayers.silent();
    alloc.allocate(150 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t0", "paused");
    assertThat(alloc.allocatedBps()).isEqualTo(100 * K);
  }

  @Test
  void eventsOnlyOnChange() {
    int a = alloc.add("camA", Source.CAMERA, FakeLayers.simulcast());
    int b = alloc.add("camB", Source.CAMERA, single(100));
    alloc.allocate(700 * K, NOW);
    assertThat(events.targets).hasSize(2);
    assertThat(events.states).isEmpty(); // tracks start active: nothing to report
    events.clear();
    for (int i = 0; i < 20; i++) {
      alloc.allocate(700 * K, NOW + i);
    }
    assertThat(events.targets).isEmpty();
    assertThat(alloc.targetSpatial(a)).isNotEqualTo(NONE);
    assertThat(alloc.targetSpatial(b)).isNotEqualTo(NONE);
  }

  @ParameterizedTest(name = "request {0}x{1} -> s{2}")
  @CsvSource({
    "0, 0, 2",
    "320, 180, 0",
    "321, 180, 1",
    "320, 181, 1",
    "0, 180, 0",
    "200, 0, 0",
    "640, 360, 1",
    "640, 480, 2", // a 4:3 tile needs 480 lines
    "1280, 720, 2",
    "1920, 1080, 2", // nothing covers it: the top
  })
  void requestedSizePicksTheSmallestCoveringLayer(int w, int h, int expected) {
    int known = alloc.add("known", Source.CAMERA, FakeLayers.simulcast());
    int unknown = alloc.add("unknown", Source.CAMERA, FakeLayers.simulcast().unknownSizes());
    alloc.setPreferences(known, w, h, 0, false);
    alloc.setPreferences(unknown, w, h, 0, false);
    alloc.allocate(100_000 * K, NOW);
    assertThat(alloc.preferredSpatial(known)).isEqualTo(expected);
    assertThat(alloc.targetSpatial(known)).isEqualTo(expected);
    assertThat(alloc.targetTemporal(known)).isEqualTo(2);
    // Unknown sizes are taken as 1280x720 halving down: the same answers here.
    assertThat(alloc.preferredSpatial(unknown)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "top {0}x{1}, request {2}x{3} -> s{4}")
  @CsvSource({
    "960, 540, 320, 180, 1", // 240x135 is too small
    "960, 540, 240, 0, 0",
    "360, 640, 180, 320, 1", // portrait: 90x160, 180x320, 360x640
    "360, 640, 320, 180, 2", // a landscape request on a portrait track: the width decides
  })
  void onlyTheTopSizeKnownScalesDown(int topW, int topH, int w, int h, int expected) {
    FakeLayers layers = FakeLayers.simulcast().unknownSizes();
    layers.widths[2] = topW;
    layers.heights[2] = topH;
    int cam = alloc.add("cam", Source.CAMERA, layers);
    alloc.setPreferences(cam, w, h, 0, false);
    assertThat(alloc.preferredSpatial(cam)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} temporal layers, max {1} fps -> t{2}")
  @CsvSource({
    "3, 0, 2",
    "3, 60, 2",
    "3, 30, 2",
    "3, 20, 2",
    "3, 15, 1",
    "3, 10, 1",
    "3, 8, 1",
    "3, 7, 0",
    "3, 1, 0",
    "2, 15, 0",
    "2, 16, 1",
    "1, 5, 0",
    "4, 4, 1", // 3.75 / 7.5 / 15 / 30
  })
  void requestedFrameRatePicksTheTemporalLayer(int layers, int fps, int expected) {
    long[] rates = new long[layers];
    for (int t = 0; t < layers; t++) {
      rates[t] = (t + 1) * 100 * K;
    }
    int cam = alloc.add("cam", Source.CAMERA, new FakeLayers(new long[][] {rates}));
    alloc.setPreferences(cam, 0, 0, fps, false);
    alloc.allocate(100_000 * K, NOW);
    assertThat(alloc.targetTemporal(cam)).isEqualTo(expected);
    assertThat(StreamAllocator.preferredTemporal(fps, layers)).isEqualTo(expected);
  }

  @Test
  void preferencesCapTheLayerAndFreeBandwidthForOthers() {
    int a = alloc.add("camA", Source.CAMERA, FakeLayers.simulcast());
    int b = alloc.add("camB", Source.CAMERA, FakeLayers.simulcast());
    alloc.setPreferences(a, 320, 180, 15, false); // a thumbnail: s0t1, 90
    alloc.allocate(2000 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t1", "s2t2");
    assertThat(alloc.allocatedBps()).isEqualTo(1790 * K);
  }

  @Test
  void disabledIsNeitherPausedNorReportedAsSuch() {
    int b = alloc.add("camB", Source.CAMERA, single(100));
    int a = alloc.add("camA", Source.CAMERA, single(100)); // after camB: lower priority
    alloc.setPreferences(a, 0, 0, 0, true);
    alloc.allocate(120 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("none", "s0t0");
    assertThat(alloc.paused(a)).isFalse();
    assertThat(alloc.preferredSpatial(a)).isEqualTo(NONE);
    assertThat(events.states).isEmpty();

    // Enabled again with no room: paused (reported); disabled again: silent; enabled with room:
    // active (reported, since the last report said paused).
    alloc.setPreferences(a, 0, 0, 0, false);
    alloc.allocate(120 * K, NOW);
    assertThat(layer(a)).isEqualTo("paused");
    assertThat(events.states).containsExactly(new Events.State(a, false));
    alloc.setPreferences(a, 0, 0, 0, true);
    alloc.allocate(120 * K, NOW);
    assertThat(layer(a)).isEqualTo("none");
    alloc.setPreferences(a, 0, 0, 0, false);
    alloc.allocate(240 * K, NOW);
    assertThat(layer(a)).isEqualTo("s0t0");
    assertThat(events.states)
        .containsExactly(new Events.State(a, false), new Events.State(a, true));

    // Disabling and enabling a track that was never paused reports nothing.
    events.clear();
    alloc.setPreferences(b, 0, 0, 0, true);
    alloc.allocate(240 * K, NOW);
    alloc.setPreferences(b, 0, 0, 0, false);
    alloc.allocate(240 * K, NOW);
    assertThat(layer(b)).isEqualTo("s0t0");
    assertThat(events.states).isEmpty();
    assertThat(events.targets)
        .containsExactly(new Events.Target(b, NONE, NONE), new Events.Target(b, 0, 0));
  }

  @Test
  void layersThePublisherDoesNotSendAreSkipped() {
    FakeLayers layers = FakeLayers.simulcast();
    int cam = alloc.add("cam", Source.CAMERA, layers);
    alloc.allocate(100_000 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s2t2");

    layers.off[2] = true; // the publisher dropped its top encoding
    alloc.allocate(100_000 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s1t2");

    layers.off[2] = false;
    layers.off[0] = true;
    alloc.setPreferences(cam, 320, 180, 0, false); // wants s0, which is not sent
    alloc.allocate(100_000 * K, NOW);
    assertThat(layer(cam)).as("the smallest layer that is sent").isEqualTo("s1t2");
    assertThat(alloc.preferredSpatial(cam)).as("what dynacast hears").isZero();

    layers.off[1] = true; // only s2 left, over the cap: still better than nothing
    alloc.allocate(100_000 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s2t2");
  }

  @Test
  void nonMonotonicRatesAreCostedAsARunningMaximum() {
    // A keyframe made s0t2 look dearer than s1t0.
    int cam =
        alloc.add(
            "cam",
            Source.CAMERA,
            new FakeLayers(new long[][] {{60 * K, 90 * K, 400 * K}, {200 * K}}));
    alloc.allocate(10_000 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s1t2"); // s1 has no temporal layers: t2 is all of it
    assertThat(alloc.allocatedBps()).as("charged at least what s0t2 was").isEqualTo(400 * K);
    alloc.allocate(399 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s0t1");
  }

  @Test
  void aNewTrackStartsAtOnceAtItsPreferredLayerChargedANominalRate() {
    FakeLayers screenLayers = FakeLayers.simulcast().silent();
    int cam = alloc.add("cam", Source.CAMERA, single(100));
    alloc.allocate(1000 * K, NOW);
    assertThat(layer(cam)).isEqualTo("s0t0");

    int screen = alloc.add("screen", Source.SCREEN, screenLayers);
    alloc.setPreferences(screen, 640, 360, 0, false);
    alloc.allocate(1000 * K, NOW);
    // Not measured yet: s1 at once; nominal 640 x 360 x 30 fps x 0.06 = 414,720 bit/s.
    assertThat(layer(screen)).isEqualTo("s1t2");
    assertThat(alloc.allocatedBps()).isEqualTo(414_720 + 100 * K);
    assertThat(alloc.desiredBps(NOW)).isEqualTo(414_720 + 100 * K);

    // With a budget below the nominal rate it still starts, and the camera makes way.
    alloc.allocate(300 * K, NOW);
    assertThat(List.of(layer(screen), layer(cam))).containsExactly("s1t2", "paused");

    // Once measured, it competes like any other track: s0t0 (60), then the camera resumes (100
    // + 20), then the screen's steps up to s1t0 (200) use the rest.
    Arrays.fill(screenLayers.off, false);
    alloc.allocate(300 * K, NOW);
    assertThat(List.of(layer(screen), layer(cam))).containsExactly("s1t0", "s0t0");
    assertThat(alloc.allocatedBps()).isEqualTo(300 * K);
  }

  @Test
  void aTrackWhosePublisherStoppedSendingKeepsItsLayerAndCostsNothing() {
    FakeLayers aLayers = single(100);
    int a = alloc.add("camA", Source.CAMERA, aLayers);
    int b = alloc.add("camB", Source.CAMERA, single(100));
    alloc.allocate(240 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t0", "s0t0");

    aLayers.silent(); // camA's publisher muted: nothing arrives
    events.clear();
    alloc.allocate(130 * K, NOW);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t0", "s0t0");
    assertThat(alloc.allocatedBps()).isEqualTo(100 * K);
    assertThat(events.targets).isEmpty();
  }

  @Test
  void desiredIsWhatThePreferredLayersNeed() {
    int audio = alloc.add("mic", Source.AUDIO, null);
    int a = alloc.add("camA", Source.CAMERA, FakeLayers.simulcast());
    int b = alloc.add("camB", Source.CAMERA, FakeLayers.simulcast());
    int c = alloc.add("camC", Source.CAMERA, FakeLayers.simulcast());
    alloc.setPreferences(a, 640, 360, 15, false); // s1t1: 300
    alloc.setPreferences(c, 0, 0, 0, true);
    assertThat(alloc.desiredBps(NOW)).isEqualTo(64 * K + 300 * K + 1700 * K);
    alloc.allocate(0, NOW);
    assertThat(alloc.desiredBps(NOW)).as("whatever the allocation").isEqualTo(2064 * K);
    assertThat(List.of(layer(audio), layer(a), layer(b), layer(c)))
        .containsExactly("s0t0", "paused", "paused", "none");
  }

  @Test
  void removedTracksFreeTheirShareAndHandlesAreReused() {
    int a = alloc.add("camA", Source.CAMERA, single(100));
    int b = alloc.add("camB", Source.CAMERA, single(100));
    alloc.allocate(150 * K, NOW);
    assertThat(alloc.paused(b)).isTrue();
    alloc.remove(a);
    assertThatThrownBy(() -> alloc.targetSpatial(a)).isInstanceOf(IllegalArgumentException.class);
    alloc.allocate(150 * K, NOW);
    assertThat(layer(b)).isEqualTo("s0t0");
    assertThat(alloc.add("camC", Source.CAMERA, single(100))).isEqualTo(a);
    assertThatThrownBy(() -> alloc.remove(42)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manyTracksGrowTheTables() {
    int[] handles = new int[20];
    for (int i = 0; i < handles.length; i++) {
      handles[i] = alloc.add("cam" + i, Source.CAMERA, single(100));
    }
    alloc.allocate(20 * 120 * K, NOW);
    for (int h : handles) {
      assertThat(layer(h)).isEqualTo("s0t0");
    }
    alloc.allocate(10 * 100 * K, NOW);
    for (int i = 0; i < handles.length; i++) {
      assertThat(alloc.paused(handles[i])).as("track %d", i).isEqualTo(i >= 10);
    }
  }

  @Test
  void videoWithoutLayersIsRefused() {
    assertThatThrownBy(() -> alloc.add("cam", Source.CAMERA, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
