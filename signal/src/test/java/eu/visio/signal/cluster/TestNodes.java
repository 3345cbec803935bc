package eu.visio.signal.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** Nodes of a test cluster on one {@link RedisServer}: configs, connections, loads; closes all. */
final class TestNodes implements AutoCloseable {
  static final ClusterSecret SECRET = ClusterSecret.of("test-cluster-secret-of-at-least-32-bytes");

  private final RedisServer redis;
  private final List<AutoCloseable> open = new ArrayList<>();

  TestNodes(RedisServer redis) {
    this.redis = redis;
  }

  ClusterConfig config(String nodeId, String region) {
    return ClusterConfig.of(
        redis.uri(),
        RedisServer.PASSWORD,
        nodeId,
        region,
        URI.create("https://" + nodeId + ".example:7880"),
        "192.0.2.1",
        SECRET);
  }

  ClusterRedis connect(ClusterConfig config) {
    return track(ClusterRedis.connect(config));
  }

  /** A registered node (one heartbeat, no timer) whose load the test sets. */
  Node node(String nodeId, String region, Duration ttl, NodeCapacity capacity) {
    ClusterConfig config =
        config(nodeId, region)
            .withTimings(Duration.ofMillis(ttl.toMillis() / 2), ttl)
            .withCapacity(capacity);
    AtomicReference<NodeLoad> load = new AtomicReference<>(NodeLoad.IDLE);
    ClusterRedis connection = connect(config);
    NodeRegistry registry = new NodeRegistry(connection, config, 1, load::get);
    registry.heartbeat();
    return new Node(config, connection, registry, new RoomLease(connection, ttl), load);
  }

  record Node(
      ClusterConfig config,
      ClusterRedis redis,
      NodeRegistry registry,
      RoomLease leases,
      AtomicReference<NodeLoad> load) {
    String id() {
      return config.nodeId();
    }

    void report(NodeLoad now) {
      load.set(now);
      registry.heartbeat();
    }
  }

  <T extends AutoCloseable> T track(T closeable) {
    open.add(closeable);
    return closeable;
  }

  /** Empties Redis between tests. */
  void flush(ClusterRedis any) {
    any.call("flush", c -> c.flushall());
  }

  /** Polls until {@code condition} holds or the deadline passes; returns whether it held. */
  static boolean await(Duration deadline, BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  @Override
  public void close() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    open.clear();
  }
}
