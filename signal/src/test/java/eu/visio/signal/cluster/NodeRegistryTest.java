package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class NodeRegistryTest {
  private static RedisServer redis;
  private TestNodes nodes;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void flush() {
    nodes = new TestNodes(redis);
    nodes.flush(nodes.connect(nodes.config("flusher", "r")));
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Test
  void aRegisteredNodeIsLiveWithItsAddressesAndLoad() {
    TestNodes.Node a =
        nodes.node("a", "eu-west", Duration.ofSeconds(30), new NodeCapacity(80, 9000));
    a.report(new NodeLoad(0.25, 1234, 7, 3));

    assertThat(a.registry().liveNodes())
        .containsExactly(
            new NodeInfo(
                "a",
                "eu-west",
                a.config().httpUrl(),
                "192.0.2.1",
                1,
                new NodeCapacity(80, 9000),
                new NodeLoad(0.25, 1234, 7, 3),
                false,
                0));
    assertThat(a.registry().node("a")).isPresent();
    assertThat(a.registry().node("b")).isEmpty();
  }

  @Test
  void drainingIsReportedAtOnce() {
    TestNodes.Node a = nodes.node("a", "eu-west", Duration.ofSeconds(30), NodeCapacity.DEFAULT);
    a.registry().drain();
    assertThat(a.registry().node("a").orElseThrow().draining()).isTrue();
  }

  @Test
  void aNodeThatStopsHeartbeatingVanishesWithinItsTtl() throws Exception {
    Duration ttl = Duration.ofMillis(800);
    TestNodes.Node dead = nodes.node("dead", "eu-west", ttl, NodeCapacity.DEFAULT);
    long lastBeat = System.nanoTime(); // its only heartbeat, as a node killed -9 right after it
    TestNodes.Node alive =
        nodes.node("alive", "eu-west", Duration.ofSeconds(30), NodeCapacity.DEFAULT);

    assertThat(
            TestNodes.await(
                Duration.ofSeconds(5),
                () -> alive.registry().liveNodes().stream().noneMatch(n -> n.id().equals("dead"))))
        .isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - lastBeat)).isLessThan(ttl.plusMillis(400));
    assertThat(alive.registry().liveNodes()).extracting(NodeInfo::id).containsExactly("alive");
    java.util.Set<String> index = dead.redis().call("index", c -> c.smembers(ClusterKeys.NODES));
    assertThat(index).containsExactly("alive"); // the dead one's index entry was pruned
  }

  @Test
  void heartbeatsKeepANodeAliveLongPastItsTtlAndCarryItsLoad() throws Exception {
    ClusterConfig config =
        nodes
            .config("beating", "eu-west")
            .withTimings(Duration.ofMillis(100), Duration.ofMillis(400));
    AtomicReference<NodeLoad> load = new AtomicReference<>(NodeLoad.IDLE);
    NodeRegistry registry =
        nodes.track(new NodeRegistry(nodes.connect(config), config, 1, load::get));
    registry.start();
    load.set(new NodeLoad(0.5, 10, 2, 1));

    assertThat(
            TestNodes.await(
                Duration.ofSeconds(2),
                () ->
                    registry.node("beating").map(n -> n.load().participants() == 2).orElse(false)))
        .isTrue();
    long beats = registry.heartbeats();
    Thread.sleep(1200); // three TTLs without any explicit heartbeat: the timer must keep it alive
    assertThat(registry.node("beating")).isPresent();
    assertThat(registry.heartbeats()).isGreaterThan(beats + 5);
    assertThat(registry.heartbeatFailures()).isZero();
  }

  @Test
  void evictionRemovesOnlyTheIncarnationFoundDead() {
    TestNodes.Node a = nodes.node("a", "eu-west", Duration.ofSeconds(30), NodeCapacity.DEFAULT);
    TestNodes.Node b = nodes.node("b", "eu-west", Duration.ofSeconds(30), NodeCapacity.DEFAULT);
    NodeInfo seen = b.registry().node("a").orElseThrow(); // boot 1
    // a restarts (boot 2) before b acts on what it saw: the new incarnation is not evicted.
    new NodeRegistry(a.redis(), a.config(), 2, () -> NodeLoad.IDLE).heartbeat();
    assertThat(b.registry().evict(seen)).isFalse();
    assertThat(b.registry().liveNodes()).extracting(NodeInfo::id).contains("a");

    NodeInfo restarted = b.registry().node("a").orElseThrow();
    assertThat(b.registry().evict(restarted)).isTrue();
    assertThat(b.registry().liveNodes()).extracting(NodeInfo::id).containsExactly("b");
    assertThat(b.registry().evict(restarted)).as("already gone").isFalse();
  }

  @Test
  void closingLeavesTheClusterAtOnce() {
    TestNodes.Node a = nodes.node("a", "eu-west", Duration.ofSeconds(30), NodeCapacity.DEFAULT);
    TestNodes.Node b = nodes.node("b", "eu-west", Duration.ofSeconds(30), NodeCapacity.DEFAULT);
    a.registry().close();
    assertThat(b.registry().liveNodes()).extracting(NodeInfo::id).containsExactly("b");
  }

  @Test
  void aFailingLoadSupplierIsCountedAndTheTimerGoesOn() throws Exception {
    ClusterConfig config =
        nodes.config("flaky", "eu-west").withTimings(Duration.ofMillis(50), Duration.ofMillis(400));
    AtomicReference<NodeLoad> load = new AtomicReference<>(NodeLoad.IDLE);
    NodeRegistry registry =
        nodes.track(
            new NodeRegistry(
                nodes.connect(config),
                config,
                1,
                () -> {
                  NodeLoad now = load.get();
                  if (now == null) {
                    throw new IllegalStateException("load unavailable");
                  }
                  return now;
                }));
    registry.start();
    load.set(null);
    assertThat(TestNodes.await(Duration.ofSeconds(2), () -> registry.heartbeatFailures() >= 2))
        .isTrue();
    long beats = registry.heartbeats();
    load.set(NodeLoad.IDLE);
    assertThat(TestNodes.await(Duration.ofSeconds(2), () -> registry.heartbeats() > beats))
        .isTrue();
  }
}
