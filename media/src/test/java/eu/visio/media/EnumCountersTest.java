package eu.visio.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnumCountersTest {
  enum Color {
    RED,
    GREEN,
    BLUE
  }

  static Stream<Arguments> cases() {
    // increments, then the expected RED, GREEN, BLUE, total and toString
    return Stream.of(
        Arguments.of(List.of(), new long[] {0, 0, 0}, 0, "{}"),
        Arguments.of(List.of(Color.GREEN), new long[] {0, 1, 0}, 1, "{GREEN=1}"),
        Arguments.of(
            List.of(Color.BLUE, Color.RED, Color.BLUE), new long[] {1, 0, 2}, 3, "{RED=1, BLUE=2}"),
        Arguments.of(
            List.of(Color.RED, Color.GREEN, Color.BLUE, Color.GREEN),
            new long[] {1, 2, 1},
            4,
            "{RED=1, GREEN=2, BLUE=1}"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void countsEachKeyApart(List<Color> increments, long[] expected, long total, String text) {
    EnumCounters<Color> counters = new EnumCounters<>(Color.class);
    increments.forEach(counters::increment);
    assertThat(Color.values())
        .extracting(counters::get)
        .as("RED, GREEN, BLUE")
        .containsExactly(expected[0], expected[1], expected[2]);
    assertThat(counters.total()).isEqualTo(total);
    assertThat(counters).hasToString(text);
  }

  @Test
  void concurrentIncrementsLoseNothing() throws Exception {
    int threads = 4;
    int rounds = 50_000;
    EnumCounters<Color> counters = new EnumCounters<>(Color.class);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> started = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      started.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    try {
                      go.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      return;
                    }
                    for (int i = 0; i < rounds; i++) {
                      for (Color c : Color.values()) {
                        counters.increment(c);
                      }
                    }
                  }));
    }
    go.countDown();
    for (Thread t : started) {
      t.join();
    }
    for (Color c : Color.values()) {
      assertThat(counters.get(c)).as(c.name()).isEqualTo((long) threads * rounds);
    }
    assertThat(counters.total()).isEqualTo((long) threads * rounds * Color.values().length);
  }
}
