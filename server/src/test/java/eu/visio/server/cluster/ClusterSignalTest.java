package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static eu.visio.server.cluster.ClusterNodes.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.cluster.ClusterSecret;
import eu.visio.signal.cluster.NodeCapacity;
import eu.visio.signal.cluster.NodeInfo;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three nodes in one JVM on a real Redis: a client may connect to any node; its signalling reaches
 * the room's home node (relayed), and new rooms go to the least loaded node.
 */
@Tag("redis")
class ClusterSignalTest {
  private static final ClusterSecret SECRET =
      ClusterSecret.of("cluster-signal-test-secret-of-32-bytes-at-least");
  // Four participants fill a node.
  private static final NodeCapacity CAPACITY = new NodeCapacity(4, 1_000_000);
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  private static RedisServer redis;
  private static final List<VisioServer> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    for (int i = 1; i <= 3; i++) {
      nodes.add(VisioServer.start(config("node" + i, freePort())));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.forEach(VisioServer::close);
    if (redis != null) {
      redis.close();
    }
  }

  private static ServerConfig config(String id, int httpPort) {
    return ClusterNodes.nodeConfig(
        redis,
        id,
        httpPort,
        c ->
            c.withCapacity(CAPACITY)
                // Loads reach placement within a quarter second.
                .withTimings(Duration.ofMillis(250), Duration.ofSeconds(2)));
  }

  private static VisioServer node(int n) {
    return nodes.get(n - 1);
  }

  private static RtcSignalTest.Client join(int node, String identity, String room) {
    String token =
        ISSUER.issue(
            identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5));
    return RtcSignalTest.connect(node(node).httpPort(), token);
  }

  /** The first message a client gets: its JoinResponse. */
  private static JoinResponse joined(RtcSignalTest.Client c) throws InterruptedException {
    SignalResponse r = c.next();
    assertThat(r.getMessageCase()).as(r.toString()).isEqualTo(SignalResponse.MessageCase.JOIN);
    return r.getJoin();
  }

  @Test
  void participantsJoiningThroughDifferentNodesMeetOnTheRoomsHomeNode() throws Exception {
    RtcSignalTest.Client alice = join(1, "alice", "meet-r");
    JoinResponse a = joined(alice);
    // Placement chose by load (CPU too, which three nodes in one JVM share): any node may be home.
    String home = a.getServerInfo().getNodeId();
    int h = index(home);
    int[] others = java.util.stream.IntStream.rangeClosed(1, 3).filter(i -> i != h).toArray();
    long relayedBefore0 = node(others[0]).cluster().relayedSessions();
    long relayedBefore1 = node(others[1]).cluster().relayedSessions();

    RtcSignalTest.Client bob = join(others[0], "bob", "meet-r");
    JoinResponse b = joined(bob);
    assertThat(b.getServerInfo().getNodeId()).as("bob's room lives on " + home).isEqualTo(home);
    assertThat(b.getRoom().getSid()).isEqualTo(a.getRoom().getSid());
    assertThat(b.getOtherParticipantsList()).extracting(p -> p.getIdentity()).contains("alice");
    assertThat(alice.next().getUpdate().getParticipantsList())
        .extracting(p -> p.getIdentity())
        .as("alice hears bob, who connected to another node")
        .containsExactly("bob");

    RtcSignalTest.Client carol = join(others[1], "carol", "meet-r");
    JoinResponse c = joined(carol);
    assertThat(c.getServerInfo().getNodeId()).isEqualTo(home);
    assertThat(c.getOtherParticipantsList())
        .extracting(p -> p.getIdentity())
        .containsExactlyInAnyOrder("alice", "bob");
    assertThat(bob.next().getUpdate().getParticipantsList())
        .extracting(p -> p.getIdentity())
        .as("bob hears carol through the relay")
        .containsExactly("carol");

    // The room lives on its home alone; the others relayed one session each.
    assertThat(node(h).rooms().participants("meet-r")).hasSize(3);
    assertThat(node(others[0]).rooms().hosts("meet-r")).isFalse();
    assertThat(node(others[1]).rooms().hosts("meet-r")).isFalse();
    assertThat(node(others[0]).cluster().relayedSessions()).isEqualTo(relayedBefore0 + 1);
    assertThat(node(others[1]).cluster().relayedSessions()).isEqualTo(relayedBefore1 + 1);
    assertThat(node(h).cluster().cluster().leases().owner("meet-r"))
        .map(l -> l.nodeId())
        .contains(home);

    // A client closing its relayed connection leaves the room on the home node.
    bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(await(() -> node(h).rooms().participants("meet-r").size() == 2))
        .as("bob left the home's room when his relayed connection closed")
        .isTrue();
    alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    carol.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    // Emptied, the room's lease is given up: the room may be placed anywhere again.
    assertThat(await(() -> node(h).cluster().cluster().leases().owner("meet-r").isEmpty()))
        .as("the home released the lease of its emptied room")
        .isTrue();
  }

  @Test
  void aNewRoomGoesToALessLoadedNode() throws Exception {
    List<RtcSignalTest.Client> crowd = new ArrayList<>();
    crowd.add(join(2, "p0", "busy"));
    String busy = joined(crowd.getFirst()).getServerInfo().getNodeId();
    for (int i = 1; i < CAPACITY.participants(); i++) {
      RtcSignalTest.Client c = join(2, "p" + i, "busy");
      assertThat(joined(c).getServerInfo().getNodeId()).isEqualTo(busy);
      crowd.add(c);
    }
    // Wait until the busy node's heartbeat reports it full. Full, it fits no new room whatever
    // the CPU the others report (one JVM's, shared and noisy): the rule is deterministic.
    assertThat(
            await(
                () ->
                    node(2)
                            .cluster()
                            .cluster()
                            .registry()
                            .node(busy)
                            .map(NodeInfo::load)
                            .orElseThrow()
                            .participants()
                        >= CAPACITY.participants()))
        .isTrue();

    // Connected to the busy node itself, a new room still goes elsewhere.
    RtcSignalTest.Client fresh = join(index(busy), "q", "fresh");
    String freshHome = joined(fresh).getServerInfo().getNodeId();
    assertThat(freshHome).isNotEqualTo(busy);
    assertThat(node(index(freshHome)).rooms().hosts("fresh")).isTrue();

    fresh.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    for (RtcSignalTest.Client c : crowd) {
      c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }
  }

  private static int index(String nodeId) {
    return Integer.parseInt(nodeId.substring("node".length()));
  }
}
