package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import eu.visio.server.cluster.ClusterNodes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * livekit-client in Chromium against three nodes of a cluster (in this JVM, on a real Redis): three
 * participants of one room, each connected to a different node, decode each other's video and hear
 * each other; a chat message reaches everyone. Signalling of two of them is relayed to the room's
 * home; their media goes straight to it.
 */
@Tag("browser")
@Tag("redis")
class ClusterBrowserTest {
  private static ClusterNodes cluster;
  private static List<VisioServer> nodes;

  @BeforeAll
  static void start() throws Exception {
    cluster = ClusterNodes.start(3);
    nodes = cluster.all();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void participantsOnThreeNodesSeeHearAndChatWithEachOther() throws Exception {
    List<String> names = List.of("ann", "bob", "cat");
    List<LiveKitPage> pages = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        int port = nodes.get(i).httpPort();
        LiveKitPage p = new LiveKitPage(port, names.get(i));
        pages.add(p);
        p.connect(
            port,
            LiveKitBrowserTest.token(names.get(i), "cluster-room"),
            LiveKitBrowserTest.options(true, ""));
      }
      ClusterMeeting.awaitSeeAndHear(pages);
      // One node is home to all three; the two others relayed one session each.
      long home =
          nodes.stream().filter(n -> n.rooms().participants("cluster-room").size() == 3).count();
      assertThat(home).isEqualTo(1);
      assertThat(nodes.stream().mapToLong(n -> n.cluster().relayedSessions()).sum()).isEqualTo(2);

      ClusterMeeting.awaitChat(pages, pages.get(1), "hello from bob");
    } finally {
      for (LiveKitPage p : pages) {
        p.close();
      }
    }
  }
}
