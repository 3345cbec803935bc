package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}): a data message from one browser to another through
 * the server, livekit-client's {@code publishData} to its {@code DataReceived}, on loopback. The
 * sender stamps each message with its high-resolution clock and the receiver records arrival on its
 * own (both Chromiums share the machine's clock). Prints median and p90 per signalling path and
 * channel, and writes them to {@code server/target/data-latency.txt}. Issue 5 target: median ≤ 5
 * ms.
 */
@Tag("benchmark")
class DataLatencyBenchmark {
  static final int MESSAGES = Integer.getInteger("visio.bench.messages", 200);

  @Test
  void oneBrowserToAnother() throws Exception {
    StringBuilder report = new StringBuilder();
    try (VisioServer server = TestServers.withKeys();
        LiveKitPage sender = new LiveKitPage(server.httpPort(), "sender");
        LiveKitPage receiver = new LiveKitPage(server.httpPort(), "receiver")) {
      for (boolean singlePc : new boolean[] {true, false}) {
        String opts = "{singlePeerConnection: " + singlePc + "}";
        sender.connect(server.httpPort(), LiveKitBrowserTest.token("sender", "data"), opts);
        receiver.connect(server.httpPort(), LiveKitBrowserTest.token("receiver", "data"), opts);
        for (boolean reliable : new boolean[] {true, false}) {
          String topic = (singlePc ? "v1-" : "v0-") + (reliable ? "reliable" : "lossy");
          // Warm-up, then the measured run, 20 ms apart (a lively chat is far slower).
          sender.pingData(20, 20, reliable, "warm");
          sender.pingData(MESSAGES, 20, reliable, topic);
          List<Double> ms = latencies(receiver, topic);
          Collections.sort(ms);
          assertThat(ms).hasSizeGreaterThan(MESSAGES * 9 / 10);
          String line =
              "%s %s: %d messages, median %.2f ms, p90 %.2f ms, max %.2f ms%n"
                  .formatted(
                      singlePc ? "/rtc/v1" : "/rtc",
                      reliable ? "reliable" : "lossy",
                      ms.size(),
                      ms.get(ms.size() / 2),
                      ms.get((int) Math.ceil(ms.size() * 0.9) - 1),
                      ms.getLast());
          System.out.print(line);
          report.append(line);
        }
        sender.disconnect();
        receiver.disconnect();
      }
    }
    Files.writeString(Path.of("target", "data-latency.txt"), report);
  }

  private static List<Double> latencies(LiveKitPage receiver, String topic)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    List<Double> ms = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      ms.clear();
      for (Object o : (List<?>) receiver.state().get("data")) {
        Map<?, ?> d = (Map<?, ?>) o;
        if (topic.equals(d.get("topic"))) {
          double sent = Double.parseDouble((String) d.get("text"));
          ms.add(((Number) d.get("at")).doubleValue() - sent);
        }
      }
      if (ms.size() >= MESSAGES) {
        break;
      }
      Thread.sleep(50);
    }
    return ms;
  }
}
