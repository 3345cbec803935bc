package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.server.WebhookInbox;
import eu.visio.signal.cluster.ClusterSecret;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Webhooks of three nodes, all configured with the same receiver: each event of a room is sent
 * once, by the room's home node, whichever nodes its participants connected through and whichever
 * node the Room service was called on.
 */
@Tag("redis")
class ClusterWebhookTest {
  private static final ClusterSecret SECRET =
      ClusterSecret.of("cluster-webhook-test-secret-of-32-bytes-at-least");
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  private static WebhookInbox inbox;
  private static RedisServer redis;
  private static final List<VisioServer> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    inbox = new WebhookInbox();
    URI hook = inbox.url();
    redis = RedisServer.start();
    for (int i = 1; i <= 3; i++) {
      int port = ClusterNodes.freePort();
      nodes.add(
          VisioServer.start(
              new ServerConfig(
                      "127.0.0.1",
                      port,
                      0,
                      List.of(InetAddress.getLoopbackAddress()),
                      true,
                      Optional.empty(),
                      1,
                      ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)),
                      List.of(),
                      new ServerConfig.Webhook(TestServers.API_KEY, List.of(hook)))
                  .withCluster(
                      ClusterNodes.clusterOf(redis, "node" + i, port)
                          .withTimings(Duration.ofMillis(250), Duration.ofSeconds(2)))));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.forEach(VisioServer::close);
    if (redis != null) {
      redis.close();
    }
    if (inbox != null) {
      inbox.close();
    }
  }

  private static RtcSignalTest.Client join(int node, String identity) throws Exception {
    RtcSignalTest.Client c =
        RtcSignalTest.connect(
            nodes.get(node - 1).httpPort(),
            ISSUER.issue(
                identity,
                identity,
                null,
                Map.of(),
                VideoGrant.join("hooked"),
                Duration.ofMinutes(5)));
    SignalResponse r = c.next();
    assertThat(r.getMessageCase()).isEqualTo(SignalResponse.MessageCase.JOIN);
    return c;
  }

  @Test
  void eachEventIsSentOnceByTheRoomsHomeNode() throws Exception {
    RtcSignalTest.Client alice = join(1, "alice");
    RtcSignalTest.Client bob = join(2, "bob");
    RtcSignalTest.Client carol = join(3, "carol");
    String home = nodes.get(0).cluster().cluster().leases().owner("hooked").orElseThrow().nodeId();
    int h = Integer.parseInt(home.substring("node".length()));
    int other = h == 1 ? 2 : 1;

    // Removed through the Room service of a node the room does not live on.
    assertThat(
            ClusterRoomServiceTest.call(
                    nodes.get(other - 1),
                    "RemoveParticipant",
                    ClusterRoomServiceTest.admin("hooked"),
                    "{\"room\":\"hooked\",\"identity\":\"bob\"}",
                    null)
                .statusCode())
        .isEqualTo(200);
    alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    carol.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    bob.ws.abort();

    VisioServer homeNode = nodes.get(h - 1);
    assertThat(await(() -> homeNode.webhooks().delivered() >= 8))
        .as("the home node delivered the room's eight events")
        .isTrue();
    List<String> received = inbox.drain(200);
    assertThat(received)
        .containsExactlyInAnyOrder(
            "room_started",
            "participant_joined alice",
            "participant_joined bob",
            "participant_joined carol",
            "participant_left bob",
            "participant_left alice",
            "participant_left carol",
            "room_finished");
    for (VisioServer n : nodes) {
      if (n != homeNode) {
        assertThat(n.webhooks().delivered())
            .as("a node the room did not live on sent none")
            .isZero();
      }
    }
  }
}
