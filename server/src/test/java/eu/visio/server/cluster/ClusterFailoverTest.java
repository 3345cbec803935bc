package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import eu.visio.server.RtcSignalTest;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.cluster.ClusterConfig;
import eu.visio.signal.cluster.ClusterRedis;
import eu.visio.signal.cluster.ClusterSecret;
import eu.visio.signal.cluster.Lease;
import eu.visio.signal.cluster.NodeLoad;
import eu.visio.signal.cluster.NodeRegistry;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.cluster.RoomLease;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Failover decisions of one node (in this JVM, on a real Redis) facing another node that is only a
 * registration and a lease in Redis, with the node TTL long (30 s) so that nothing here can be the
 * TTL running out: a home whose port refuses connections is evicted and its room placed again at
 * once; a home that answers HTTP is left alone; a lease taken at renewal sends the room's
 * participants on.
 */
@Tag("redis")
class ClusterFailoverTest {
  private static final ClusterSecret SECRET =
      ClusterSecret.of("cluster-failover-test-secret-of-32-bytes-at-least");
  private static final Duration TTL = Duration.ofSeconds(30);
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  private static RedisServer redis;
  private static VisioServer node;
  private static ClusterRedis ghostRedis;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    int port = freePort();
    node =
        VisioServer.start(
            TestServers.keyedConfig(1, port)
                .withCluster(config("node1", URI.create("http://127.0.0.1:" + port))));
    ghostRedis = ClusterRedis.connect(config("ghost", URI.create("http://127.0.0.1:1")));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (ghostRedis != null) {
      ghostRedis.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static ClusterConfig config(String id, URI http) {
    return ClusterConfig.of(
            redis.uri(), RedisServer.PASSWORD, id, "local", http, "127.0.0.1", SECRET)
        .withTimings(Duration.ofMillis(250), TTL);
  }

  /**
   * Registers a node {@code id} reachable (or not) at {@code http}, holding {@code room}'s lease
   * (when not null; else null is returned). Its CPU reported full, placement never chooses it for
   * another room (each test's ghost stays out of the others' way).
   */
  private static Lease ghostHolding(String id, URI http, String room) {
    ClusterConfig c = config(id, http);
    new NodeRegistry(ghostRedis, c, System.currentTimeMillis(), () -> new NodeLoad(1.0, 0, 0, 0))
        .heartbeat();
    return room == null ? null : new RoomLease(ghostRedis, TTL).tryAcquire(room, id).orElseThrow();
  }

  private static RtcSignalTest.Client join(String identity, String room) {
    return RtcSignalTest.connect(
        node.httpPort(),
        ISSUER.issue(
            identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5)));
  }

  private static long count(FailoverCounters.Event e) {
    return node.cluster().failover().get(e);
  }

  @Test
  void aHomeThatRefusesConnectionsIsEvictedAndItsRoomPlacedHereAtOnce() throws Exception {
    Lease dead = ghostHolding("dead", URI.create("http://127.0.0.1:" + freePort()), "orphan");
    long evicted = count(FailoverCounters.Event.HOME_EVICTED);
    long replaced = count(FailoverCounters.Event.HOME_REPLACED);

    long start = System.nanoTime();
    RtcSignalTest.Client c = join("ann", "orphan");
    SignalResponse r = c.next();
    long ms = (System.nanoTime() - start) / 1_000_000;

    assertThat(r.getMessageCase()).as(r.toString()).isEqualTo(SignalResponse.MessageCase.JOIN);
    assertThat(r.getJoin().getServerInfo().getNodeId()).isEqualTo("node1");
    assertThat(ms).as("joined long before the dead node's %s TTL", TTL).isLessThan(3000);
    Lease now = node.cluster().cluster().leases().owner("orphan").orElseThrow();
    assertThat(now.nodeId()).isEqualTo("node1");
    assertThat(now.epoch()).as("a higher epoch fences the dead holder").isGreaterThan(dead.epoch());
    assertThat(node.cluster().cluster().registry().node("dead")).as("evicted").isEmpty();
    assertThat(count(FailoverCounters.Event.HOME_EVICTED)).isEqualTo(evicted + 1);
    assertThat(count(FailoverCounters.Event.HOME_REPLACED)).isEqualTo(replaced + 1);
    c.ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  @Test
  void aHomeThatAnswersHttpIsNotEvictedAndTheJoinIsRefused() throws Exception {
    HttpServer sick = unavailable(); // alive, but not serving
    try {
      URI url = URI.create("http://127.0.0.1:" + sick.getAddress().getPort());
      Lease held = ghostHolding("sick", url, "sickroom");
      long notDead = count(FailoverCounters.Event.HOME_NOT_DEAD);

      RtcSignalTest.Client c = join("bob", "sickroom");
      String closed = c.closed.get(10, TimeUnit.SECONDS);

      assertThat(closed).startsWith("1011");
      assertThat(c.messages).isEmpty();
      assertThat(node.cluster().cluster().registry().node("sick")).as("not evicted").isPresent();
      assertThat(node.cluster().cluster().leases().owner("sickroom")).contains(held);
      assertThat(count(FailoverCounters.Event.HOME_NOT_DEAD)).isEqualTo(notDead + 1);
    } finally {
      sick.stop(0);
    }
  }

  @Test
  void aLeaseTakenByAnotherNodeSendsTheRoomsParticipantsToRejoin() throws Exception {
    RtcSignalTest.Client c = join("cat", "taken");
    SignalResponse joined = c.next();
    assertThat(joined.getJoin().getServerInfo().getNodeId()).isEqualTo("node1");
    long lost = count(FailoverCounters.Event.LEASE_LOST);
    long moved = count(FailoverCounters.Event.PARTICIPANT_MOVED);

    // A live node holds the room now (as if it had found node1 dead): node1's next renewal
    // (every 250 ms) says LOST. That node answers HTTP with 503, so nothing is relayed to it.
    HttpServer other = unavailable();
    try {
      ghostHolding("other", URI.create("http://127.0.0.1:" + other.getAddress().getPort()), null);
      overwriteLease("taken", "other:1000");

      SignalResponse leave = null;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (leave == null && System.nanoTime() < deadline) {
        SignalResponse r = c.messages.poll(100, TimeUnit.MILLISECONDS);
        if (r != null && r.hasLeave()) {
          leave = r;
        }
      }
      assertThat(leave).as("a LeaveRequest within 5 s").isNotNull();
      assertThat(leave.getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(leave.getLeave().getCanReconnect()).isTrue();
      assertThat(c.closed.get(5, TimeUnit.SECONDS)).startsWith("1012");
      assertThat(count(FailoverCounters.Event.LEASE_LOST)).isEqualTo(lost + 1);
      assertThat(count(FailoverCounters.Event.PARTICIPANT_MOVED)).isEqualTo(moved + 1);

    } finally {
      other.stop(0);
    }
  }

  /** An HTTP server answering every request, WebSocket upgrades included, with 503. */
  private static HttpServer unavailable() throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/",
        x -> {
          x.sendResponseHeaders(503, -1);
          x.close();
        });
    s.start();
    return s;
  }

  /** Sets {@code room}'s lease in Redis to {@code value}, as another node's claim would. */
  private static void overwriteLease(String room, String value) {
    RedisClient client =
        RedisClient.create(
            RedisURI.builder(RedisURI.create(redis.uri()))
                .withAuthentication("default", RedisServer.PASSWORD)
                .build());
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      conn.sync().set("visio:room:" + room + ":lease", value);
    } finally {
      client.shutdown();
    }
  }
}
