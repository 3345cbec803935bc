package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import eu.visio.server.cluster.ClusterNodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}): {@link JoinLatencyBenchmark}'s measure, {@code
 * room.connect()} to the first remote video frame decoded on {@code /rtc/v1}, for a viewer whose
 * WebSocket opens on the room's home node, and for one whose WebSocket opens on another node of a
 * three-node cluster (in this JVM, on a real Redis), which looks up the room's lease and relays the
 * signalling to the home ({@code SignalRelay}). Media goes straight to the home either way; the
 * difference is the extra signalling hop (a WebSocket the relaying node opens per join) and the
 * lease lookup. Joins through the two nodes alternate, so drift hits both alike. Writes {@code
 * server/target/cluster-join-latency.txt}.
 */
@Tag("benchmark")
@Tag("redis")
class ClusterJoinLatencyBenchmark {
  @Test
  void connectToFirstFrameThroughTheHomeAndThroughAnotherNode() throws Exception {
    try (ClusterNodes cluster = ClusterNodes.start(3);
        LiveKitPage publisher = new LiveKitPage(cluster.node(1).httpPort(), "publisher")) {
      publisher.connect(
          cluster.node(1).httpPort(),
          LiveKitBrowserTest.token("publisher", "bench"),
          "{camera: true, microphone: true, width: 640, height: 360, simulcast: true}");
      VisioServer home =
          cluster.all().stream().filter(n -> n.rooms().hosts("bench")).findFirst().orElseThrow();
      VisioServer other = cluster.all().stream().filter(n -> n != home).findFirst().orElseThrow();
      long relayedBefore = other.cluster().relayedSessions();
      List<Double> direct = new ArrayList<>();
      List<Double> relayed = new ArrayList<>();
      // Each viewer's page comes from the node it joins through (the page's CSP allows its own
      // origin only).
      try (LiveKitPage atHome = new LiveKitPage(home.httpPort(), "viewer-home");
          LiveKitPage atOther = new LiveKitPage(other.httpPort(), "viewer-other")) {
        for (int i = 0; i < JoinLatencyBenchmark.JOINS + 2; i++) {
          for (LiveKitPage viewer : List.of(atHome, atOther)) {
            VisioServer via = viewer == atHome ? home : other;
            double first =
                JoinLatencyBenchmark.timeJoin(
                    viewer,
                    "ws://127.0.0.1:" + via.httpPort(),
                    LiveKitBrowserTest.token(viewer.identity, "bench"),
                    "{singlePeerConnection: true}");
            if (i >= 2 && first > 0) {
              (via == home ? direct : relayed).add(first);
            }
          }
        }
      }
      // Every join through the other node was relayed, none placed a second room.
      assertThat(other.cluster().relayedSessions() - relayedBefore)
          .isEqualTo(JoinLatencyBenchmark.JOINS + 2);
      assertThat(other.rooms().hosts("bench")).isFalse();
      String report =
          JoinLatencyBenchmark.summary("through the home node", direct)
              + JoinLatencyBenchmark.summary("through another node (signalling relayed)", relayed);
      System.out.print(report);
      Files.writeString(Path.of("target", "cluster-join-latency.txt"), report);
    }
  }
}
