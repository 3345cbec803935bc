package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.server.TestServers;
import eu.visio.signal.token.TokenIssuer;
import java.net.http.WebSocket;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Redis outage under a room cascaded over two nodes: the bus carries nothing while Redis is down,
 * yet neither node takes the other's participants for gone (its own messages fail too, so silence
 * proves nothing), and once Redis is back their states flow again.
 */
@Tag("redis")
class ClusterCascadeOutageTest {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  private static RtcSignalTest.Client join(ClusterNodes cluster, int node, String identity) {
    return ClusterCascadeTest.join(cluster, node, identity, "outage");
  }

  /** Whether {@code c} got an update saying {@code identity} left, within {@code millis}. */
  private static boolean sawLeave(RtcSignalTest.Client c, String identity, long millis)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < end) {
      SignalResponse r = c.messages.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.hasUpdate()) {
        for (ParticipantInfo p : r.getUpdate().getParticipantsList()) {
          if (p.getIdentity().equals(identity)
              && p.getState() == ParticipantInfo.State.DISCONNECTED) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static String sidInRedis(ClusterNodes cluster, String room) {
    try {
      return cluster.node(1).cluster().cluster().sids().current(room).orElse("");
    } catch (eu.visio.signal.cluster.ClusterUnavailableException e) {
      return "";
    }
  }

  @Test
  void aRedisOutageDropsNoParticipantOfACascadedRoom() throws Exception {
    try (ClusterNodes cluster =
        ClusterNodes.start(2, c -> c.withNode(c.nodeId(), "region-" + c.nodeId()))) {
      RtcSignalTest.Client ann = join(cluster, 1, "ann");
      RtcSignalTest.Client bob = join(cluster, 2, "bob");
      for (int n = 1; n <= 2; n++) {
        int node = n;
        assertThat(await(() -> cluster.node(node).rooms().participants("outage").size() == 2))
            .as("node %d lists both", node)
            .isTrue();
      }

      String sid = cluster.node(1).rooms().sidOf("outage");
      assertThat(cluster.node(2).rooms().sidOf("outage")).isEqualTo(sid);

      cluster.redis().kill();
      // Longer than a peer's silence may last (7 s) while the bus works.
      assertThat(sawLeave(ann, "bob", 10_000)).as("ann was told bob left").isFalse();
      assertThat(cluster.node(1).rooms().participants("outage")).hasSize(2);
      assertThat(cluster.node(2).rooms().participants("outage")).hasSize(2);

      cluster.redis().restart();
      // Back: a change on node 2 reaches node 1 again (Lettuce reconnects on its own).
      bob.send(
          SignalRequest.newBuilder()
              .setUpdateMetadata(
                  livekit.LivekitRtc.UpdateParticipantMetadata.newBuilder()
                      .setRequestId(1)
                      .setMetadata("back"))
              .build());
      assertThat(
              await(
                  () ->
                      cluster.node(1).rooms().participants("outage").stream()
                          .anyMatch(p -> p.getMetadata().equals("back"))))
          .isTrue();
      assertThat(cluster.node(1).rooms().participants("outage")).hasSize(2);
      // Redis came back empty: the parts set their room's sid again, so a part created now adopts
      // it (the room is the same meeting).
      assertThat(await(() -> sidInRedis(cluster, "outage").equals(sid)))
          .as("the sid kept up again after the outage")
          .isTrue();
      ann.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
      bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }
}
