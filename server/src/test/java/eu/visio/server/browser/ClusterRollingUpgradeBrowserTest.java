package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import eu.visio.server.cluster.ClusterNodes;
import eu.visio.server.cluster.TcpProxy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A rolling upgrade under a meeting: three nodes behind a balancer that follows {@code /readyz} (as
 * a Kubernetes Service does), two livekit-client participants in Chromium; each node in turn is
 * drained, stopped and replaced by a new one. The participants move by themselves each time their
 * node drains, never leave the meeting, and decode each other's video after every step; at the end
 * no original node is left.
 */
@Tag("browser")
@Tag("redis")
class ClusterRollingUpgradeBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void aRollingUpgradeOfEveryNodeLosesNoMeeting() throws Exception {
    try (ClusterNodes cluster = ClusterNodes.start(3)) {
      List<VisioServer> nodes = new CopyOnWriteArrayList<>(cluster.all());
      List<VisioServer> originals = List.copyOf(nodes);
      List<LiveKitPage> pages = new ArrayList<>();
      try (TcpProxy balancer =
          TcpProxy.followingReadiness(
              () ->
                  nodes.stream()
                      .map(n -> new InetSocketAddress("127.0.0.1", n.httpPort()))
                      .toList())) {
        String origin = "http://127.0.0.1:" + balancer.port();
        for (String name : List.of("ann", "bob")) {
          LiveKitPage p = new LiveKitPage(origin, name, o -> {});
          pages.add(p);
          p.connect(
              "ws://127.0.0.1:" + balancer.port(),
              LiveKitBrowserTest.token(name, "rolling"),
              LiveKitBrowserTest.options(true, ""));
        }
        ClusterMeeting.awaitSeeAndHear(pages);

        int generation = 0;
        for (VisioServer old : originals) {
          long t0 = System.nanoTime();
          boolean hosted = old.rooms().hosts("rolling");
          old.drain(Duration.ofSeconds(20)).get(25, TimeUnit.SECONDS);
          assertThat(old.rooms().stats().participants()).as("drained empty").isZero();
          nodes.remove(old);
          old.close();
          generation++;
          nodes.add(
              VisioServer.start(
                  cluster.config("new" + generation, ClusterNodes.freePort(), c -> c)));
          awaitVideoFlowing(pages);
          assertThat(
                  ClusterNodes.await(
                      () ->
                          nodes.stream()
                                  .filter(n -> n.rooms().participants("rolling").size() == 2)
                                  .count()
                              == 1))
              .as("both in the room on one node still serving")
              .isTrue();
          System.out.printf(
              "rolling upgrade: %s (%s) replaced; video again after %d ms%n",
              old.cluster().nodeId(),
              hosted ? "the room's home" : "not the home",
              TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        }
        assertThat(nodes).noneMatch(originals::contains);
        for (LiveKitPage p : pages) {
          assertThat(LiveKitPage.events(p.state()))
              .as(p.identity + " never left the meeting")
              .noneMatch(e -> e.startsWith("disconnected"));
        }
      } finally {
        for (LiveKitPage p : pages) {
          p.close();
        }
        nodes.forEach(VisioServer::close);
      }
    }
  }

  /** Each page decodes 30 more frames of the other's video, connected. */
  private static void awaitVideoFlowing(List<LiveKitPage> pages) throws InterruptedException {
    for (LiveKitPage p : pages) {
      String other = ClusterMeeting.others(pages, p).getFirst();
      long before = stat(p.state(), other, "video", "framesDecoded");
      p.awaitState(
          s ->
              "connected".equals(s.get("connectionState"))
                  && stat(s, other, "video", "framesDecoded") > before + 30,
          WAIT);
    }
  }
}
