package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.turn.TurnCounters;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}): the server CPU a media datagram costs when it
 * crosses our TURN server, against the same meeting straight over UDP. Two livekit-client
 * participants in headless Chromium (camera 640x360 simulcast and microphone each, two peer
 * connections) meet on loopback, first directly, then with {@code iceTransportPolicy: 'relay'}
 * through the embedded TURN over UDP; then the same again. Over a 20 s window after media settled,
 * it reads the CPU time of the media worker thread ({@code visio-udp-0}) and of the TURN loop
 * ({@code visio-turn-0}), the datagrams the media port received and sent, and the datagrams TURN
 * relayed each way. Writes {@code server/target/turn-relay-cpu.txt}.
 *
 * <p>Browsers rather than the load generator's bots: the bots speak to the media port only; the
 * browsers' TURN client is the one production meets.
 */
@Tag("benchmark")
class TurnRelayCpuBenchmark {
  private static final Duration SETTLE = Duration.ofSeconds(5);
  private static final Duration WINDOW = Duration.ofSeconds(20);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private record Sample(long workerCpu, long turnCpu, long datagrams, long relayed) {
    Sample minus(Sample o) {
      return new Sample(
          workerCpu - o.workerCpu,
          turnCpu - o.turnCpu,
          datagrams - o.datagrams,
          relayed - o.relayed);
    }
  }

  @Test
  void cpuPerDatagramDirectAndThroughTurn() throws Exception {
    StringBuilder report = new StringBuilder();
    report.append(
        "path | media datagrams/s | worker µs per datagram | TURN relayed/s | TURN loop µs per"
            + " relayed datagram | TURN loop CPU per media datagram\n");
    try (VisioServer server =
        VisioServer.start(
            TestServers.keyedConfig(1)
                .withTurn(ServerConfig.Turn.on(0).withListeners(0, -1, -1, false).toEveryone()))) {
      for (int round = 0; round < 2; round++) {
        report.append(measure(server, "direct UDP", false, "d" + round));
        report.append(measure(server, "TURN/UDP (relay policy)", true, "r" + round));
      }
    }
    System.out.print(report);
    Files.writeString(Path.of("target", "turn-relay-cpu.txt"), report);
  }

  private static String measure(VisioServer server, String name, boolean relay, String room)
      throws Exception {
    String origin = "http://127.0.0.1:" + server.httpPort();
    String media = "{camera: true, microphone: true, width: 640, height: 360, simulcast: true}";
    try (LiveKitPage ann = new LiveKitPage(origin, "ann", o -> {});
        LiveKitPage bob = new LiveKitPage(origin, "bob", o -> {})) {
      for (LiveKitPage p : List.of(ann, bob)) {
        if (relay) {
          p.forceRelay("return given;");
        }
        p.connect(server.httpPort(), LiveKitBrowserTest.token(p.identity, room), media);
      }
      bob.awaitState(s -> stat(s, "ann", "video", "framesDecoded") > 10, Duration.ofSeconds(30));
      ann.awaitState(s -> stat(s, "bob", "video", "framesDecoded") > 10, Duration.ofSeconds(30));
      Thread.sleep(SETTLE);
      Sample before = sample(server);
      Thread.sleep(WINDOW);
      Sample d = sample(server).minus(before);
      double seconds = WINDOW.toNanos() / 1e9;
      if (relay) {
        assertThat(d.relayed()).as("datagrams through TURN").isGreaterThan(1000);
      } else {
        assertThat(d.relayed()).as("nothing through TURN").isZero();
      }
      return "%s | %.0f | %.2f | %.0f | %s | %s%n"
          .formatted(
              name,
              d.datagrams() / seconds,
              d.workerCpu() / 1e3 / d.datagrams(),
              d.relayed() / seconds,
              d.relayed() == 0 ? "-" : "%.2f".formatted(d.turnCpu() / 1e3 / d.relayed()),
              "%.2f µs".formatted(d.turnCpu() / 1e3 / d.datagrams()));
    }
  }

  private static Sample sample(VisioServer server) throws Exception {
    TurnCounters c = server.turn().server().counters();
    return new Sample(
        threadCpu("visio-udp-0"),
        threadCpu("visio-turn-0"),
        metric(server, "visio_media_udp_received_datagrams_total")
            + metric(server, "visio_media_udp_sent_datagrams_total"),
        c.packetsToPeers() + c.packetsToClients());
  }

  private static long threadCpu(String name) {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals(name)) {
        return THREADS.getThreadCpuTime(t.threadId());
      }
    }
    throw new IllegalStateException("no thread " + name);
  }

  private static long metric(VisioServer server, String series) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      String body =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : body.split("\n")) {
        if (line.startsWith(series + " ")) {
          return (long) Double.parseDouble(line.substring(series.length() + 1).strip());
        }
      }
    }
    throw new IllegalStateException("no series " + series + " in /metrics");
  }
}
