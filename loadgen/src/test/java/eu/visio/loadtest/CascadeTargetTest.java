package eu.visio.loadtest;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.loadtest.target.CascadeTarget;
import eu.visio.loadtest.target.Target;
import eu.visio.loadtest.target.TargetSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny meeting cascaded over three server processes ({@code --target visio-cascade}): the bots
 * joined the three nodes in turn, every subscription delivers, and the run's report shows every
 * node both sending and receiving media over its cascade links.
 */
@Tag("redis")
class CascadeTargetTest {
  @TempDir Path dir;

  @Test
  void aMeetingOverThreeNodesDeliversEverySubscriptionAcrossTheLinks() throws Exception {
    Target target = new CascadeTarget(List.of("--media-workers", "1"), List.of());
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    Runner runner = new Runner(1, Duration.ofMillis(500), dir, new PrintStream(log, true, UTF_8));
    Scenario s =
        new Scenario(
            "meeting", 3, 3, Duration.ofSeconds(2), 3, 2, List.of(150_000, 500_000, 1_700_000));
    try (TargetSession session = target.start(dir)) {
      assertThat(session.pids()).hasSize(3).doesNotHaveDuplicates();
      RunResult r = runner.run(s, target, session);
      assertThat(r.target()).isEqualTo("visio-cascade");
      assertThat(r.missing()).as("subscriptions that delivered nothing").isEmpty();
      assertThat(r.receivedPackets()).as("media packets in the window").isPositive();
      // Two thirds of the video subscriptions cross a link: video must flow through the window.
      assertThat(r.videoPacketsPerS()).as("video packets per second in the window").isPositive();
    }
    // The runner reported each node's counters while the room was still open.
    String report = log.toString(UTF_8);
    for (int n = 1; n <= 3; n++) {
      for (String direction : List.of("sent", "received")) {
        String key =
            "node%d.visio_cluster_cascade_link_packets_total{direction=\"%s\"} = "
                .formatted(n, direction);
        int at = report.indexOf(key);
        assertThat(at).as(key + "in the report").isNotNegative();
        String value = report.substring(at + key.length()).lines().findFirst().orElseThrow();
        assertThat(Double.parseDouble(value)).as(key).isPositive();
      }
    }
  }
}
