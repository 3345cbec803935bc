package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}, run by {@code scripts/bench-join}): from {@code
 * room.connect()} in livekit-client to the first remote video frame decoded, in headless Chromium
 * on loopback, while another participant publishes its camera. Each round joins afresh (a new Room,
 * the same page). Prints median and 90th percentile per signalling path and writes them to {@code
 * server/target/join-latency.txt}.
 */
@Tag("benchmark")
class JoinLatencyBenchmark {
  static final int JOINS = Integer.getInteger("visio.bench.joins", 20);

  @Test
  void connectToFirstFrame() throws Exception {
    StringBuilder report = new StringBuilder();
    try (VisioServer server = TestServers.withKeys();
        LiveKitPage publisher = new LiveKitPage(server.httpPort(), "publisher");
        LiveKitPage viewer = new LiveKitPage(server.httpPort(), "viewer")) {
      publisher.connect(
          server.httpPort(),
          LiveKitBrowserTest.token("publisher", "bench"),
          "{camera: true, microphone: true, width: 640, height: 360, simulcast: "
              + Boolean.parseBoolean(System.getProperty("visio.bench.simulcast", "true"))
              + "}");
      for (boolean singlePc : new boolean[] {true, false}) {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < JOINS + 2; i++) {
          double first =
              timeJoin(
                  viewer,
                  "ws://127.0.0.1:" + server.httpPort(),
                  LiveKitBrowserTest.token("viewer", "bench"),
                  "{singlePeerConnection: " + singlePc + "}");
          if (i >= 2 && first > 0) { // two warm-up rounds
            ms.add(first);
          }
        }
        String line = summary(singlePc ? "/rtc/v1" : "/rtc", ms);
        System.out.print(line);
        report.append(line);
      }
    }
    Files.writeString(Path.of("target", "join-latency.txt"), report);
  }

  /**
   * One join of {@code viewer}: {@code room.connect()} to its first remote video frame decoded, in
   * milliseconds (0: none within 10 s); then it leaves and a second passes. Joins come a second
   * apart, as people arrive: the publisher's encoder spaces keyframes (libwebrtc ignores requests
   * close to the last one), so back-to-back joins would measure that spacing rather than a join.
   */
  static double timeJoin(LiveKitPage viewer, String url, String token, String options)
      throws InterruptedException {
    viewer.connect(url, token, options);
    double first = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (first == 0 && System.nanoTime() < deadline) {
      Thread.sleep(5);
      first = viewer.firstFrameMs();
    }
    if (Boolean.getBoolean("visio.bench.verbose")) {
      System.out.println(viewer.marks());
    }
    viewer.disconnect();
    Thread.sleep(1000);
    return first;
  }

  /** One report line for the join times {@code ms} of {@code path}; at least half must be there. */
  static String summary(String path, List<Double> ms) {
    List<Double> sorted = ms.stream().sorted().toList();
    assertThat(sorted).as(path).hasSizeGreaterThan(JOINS / 2);
    return "%s: %d joins, connect → first frame median %.0f ms, p90 %.0f ms, min %.0f ms%n"
        .formatted(
            path,
            sorted.size(),
            sorted.get(sorted.size() / 2),
            sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(sorted.size() * 0.9) - 1)),
            sorted.getFirst());
  }
}
