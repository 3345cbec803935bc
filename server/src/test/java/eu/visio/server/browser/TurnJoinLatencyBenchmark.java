package eu.visio.server.browser;

import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}): {@link JoinLatencyBenchmark}'s measure, {@code
 * room.connect()} to the first remote video frame decoded on {@code /rtc/v1}, for a viewer reaching
 * the SFU straight over UDP, and for viewers with relay policy through the embedded TURN server
 * over UDP and over TLS on the TLS port (self-signed certificate, hence {@code
 * --ignore-certificate-errors}). Each join allocates afresh (the peer connection's allocation goes
 * with it). Writes {@code server/target/turn-join-latency.txt}.
 */
@Tag("benchmark")
class TurnJoinLatencyBenchmark {
  @Test
  void connectToFirstFrameDirectAndRelayed() throws Exception {
    StringBuilder report = new StringBuilder();
    ServerConfig config =
        TestServers.keyedConfig(1)
            .withTls(ServerConfig.Tls.selfSigned(0))
            .withTurn(ServerConfig.Turn.on(0).toEveryone());
    record Path_(String name, String pick) {}
    List<Path_> paths =
        List.of(
            new Path_("direct UDP", null),
            new Path_("TURN/UDP (relay policy)", only("turn:", "transport=udp")),
            new Path_("TURN/TLS on the TLS port (relay policy)", only("turns:", "")));
    try (VisioServer server = VisioServer.start(config);
        LiveKitPage publisher = new LiveKitPage(server.httpPort(), "publisher")) {
      publisher.connect(
          server.httpPort(),
          LiveKitBrowserTest.token("publisher", "bench"),
          "{camera: true, microphone: true, width: 640, height: 360, simulcast: true}");
      for (Path_ path : paths) {
        List<Double> ms = new ArrayList<>();
        try (LiveKitPage viewer =
            new LiveKitPage(
                "http://127.0.0.1:" + server.httpPort(),
                "viewer",
                o -> o.addArguments("--ignore-certificate-errors"))) {
          if (path.pick() != null) {
            viewer.forceRelay(path.pick());
          }
          for (int i = 0; i < JoinLatencyBenchmark.JOINS + 2; i++) {
            double first =
                JoinLatencyBenchmark.timeJoin(
                    viewer,
                    "ws://127.0.0.1:" + server.httpPort(),
                    LiveKitBrowserTest.token("viewer", "bench"),
                    "{singlePeerConnection: true}");
            if (i >= 2 && first > 0) {
              ms.add(first);
            }
          }
        }
        String line = JoinLatencyBenchmark.summary(path.name(), ms);
        System.out.print(line);
        report.append(line);
      }
      report.append(
          "TURN allocations made: %d%n"
              .formatted(server.turn().server().counters().allocationsCreated()));
    }
    Files.writeString(Path.of("target", "turn-join-latency.txt"), report);
  }

  /**
   * A forceRelay picker keeping the URLs that start with {@code scheme} and contain {@code has}.
   */
  private static String only(String scheme, String has) {
    return ("return given.map(s => ({...s, urls: [].concat(s.urls).filter(u =>"
            + " u.startsWith('%s') && u.includes('%s'))})).filter(s => s.urls.length > 0);")
        .formatted(scheme, has);
  }
}
