package eu.visio.sfu.alloc;

import static eu.visio.sfu.alloc.LayersNeeded.NONE;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Dynacast timing on a virtual clock, polled every 100 ms; times in reports are milliseconds from
 * the start, and changes are made just after a poll.
 */
class LayersNeededTest {
  private static final long MS = 1_000_000L;

  private final LayersNeeded needed = new LayersNeeded("v", 3);
  private final List<String> reports = new ArrayList<>();
  private long now = 123_456 * MS;

  /** Polls every 100 ms for {@code millis}, recording each reported change with its time. */
  private void run(long millis) {
    long end = now + millis * MS;
    while (now < end) {
      now += 100 * MS;
      if (needed.poll(now)) {
        reports.add(needed.maxSpatial() + "@" + (now / MS - 123_456));
      }
    }
  }

  @Test
  void startsWithEveryLayerAndStopsTheVideoWhenNobodyComes() {
    assertThat(needed.maxSpatial()).isEqualTo(2);
    run(2_900);
    assertThat(reports).isEmpty();
    run(200);
    assertThat(reports).containsExactly("-1@3100");
    assertThat(needed.maxSpatial()).isEqualTo(NONE);
  }

  @Test
  void aRiseIsReportedAtOnceAndOnlyOnce() {
    needed.set("a", 0);
    run(5_000);
    assertThat(reports).containsExactly("0@3100");
    reports.clear();
    needed.set("b", 2);
    assertThat(needed.poll(now)).as("at the very poll after set").isTrue();
    assertThat(needed.maxSpatial()).isEqualTo(2);
    assertThat(needed.poll(now + 100 * MS)).isFalse();
  }

  @Test
  void aFallWaitsThreeSecondsOfTheLowerValue() {
    needed.set("a", 2);
    run(10_000);
    assertThat(reports).isEmpty();
    needed.set("a", 1); // the window shrank, right after the poll at 10 s
    run(2_900);
    assertThat(reports).isEmpty();
    run(100);
    assertThat(reports).containsExactly("1@13000");
  }

  @Test
  void aSubscriberResizingBackAndForthChangesNothing() {
    needed.set("a", 2);
    run(1_000);
    for (int i = 0; i < 20; i++) {
      needed.set("a", i % 2 == 0 ? 0 : 2); // dragging a window edge
      run(1_000);
    }
    assertThat(reports).isEmpty();
    assertThat(needed.maxSpatial()).isEqualTo(2);
  }

  @Test
  void aFallGoesToTheHighestValueOfTheLastThreeSeconds() {
    needed.set("a", 2);
    run(1_000);
    needed.set("a", 1);
    run(1_000);
    needed.set("a", 0); // 1 for a second, then 0
    run(1_900);
    assertThat(reports).isEmpty();
    run(100); // 3 s at or under 1
    assertThat(reports).containsExactly("1@4000");
    run(900);
    assertThat(reports).hasSize(1);
    run(100); // 3 s at 0
    assertThat(reports).containsExactly("1@4000", "0@5000");
  }

  @Test
  void theMaximumOverSubscribersCountsAndLeavingLowersIt() {
    needed.set("a", 0);
    needed.set("b", 1);
    needed.set("c", NONE);
    assertThat(needed.wantedMax()).isEqualTo(1);
    needed.set("b", 0);
    assertThat(needed.wantedMax()).isZero();
    needed.set("b", 2);
    needed.remove("b");
    assertThat(needed.wantedMax()).isZero();
    needed.remove("a");
    assertThat(needed.wantedMax()).isEqualTo(NONE);
    needed.remove("never-there");
    needed.remove("c");
    assertThat(needed.wantedMax()).isEqualTo(NONE);
  }

  @ParameterizedTest(name = "{0} layers, wants {1} -> {2}")
  @CsvSource({"3, 5, 2", "3, -7, -1", "1, 1, 0", "1, 0, 0", "9, 9, 3", "0, 0, 0"})
  void valuesAreClampedToTheTrackLayers(int layers, int want, int expected) {
    LayersNeeded n = new LayersNeeded("v", layers);
    n.set(1, want);
    assertThat(n.wantedMax()).isEqualTo(expected);
    n.poll(0);
    n.poll(3_000 * MS);
    assertThat(n.maxSpatial()).isEqualTo(expected);
  }

  @Test
  void aLateJoinerRestartsAStoppedVideoAtOnce() {
    run(4_000);
    assertThat(needed.maxSpatial()).isEqualTo(NONE);
    needed.set(7, 1);
    assertThat(needed.poll(now)).isTrue();
    assertThat(needed.maxSpatial()).isEqualTo(1);
  }
}
