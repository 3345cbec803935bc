package eu.visio.server.cluster;

import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.cluster.ClusterConfig;
import eu.visio.signal.cluster.ClusterSecret;
import eu.visio.signal.cluster.RedisServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * Nodes of one cluster in this JVM, on a real {@code redis-server} it starts: {@code node1} …
 * {@code nodeN}, each on loopback with its own HTTP port (its advertised URL) and {@link
 * TestServers#API_KEY}. Closing stops the nodes, then Redis.
 */
public final class ClusterNodes implements AutoCloseable {
  /** The cluster secret every node shares. */
  public static final ClusterSecret SECRET =
      ClusterSecret.of("cluster-nodes-test-secret-of-32-bytes-at-least");

  private final RedisServer redis;
  private final List<VisioServer> nodes = new ArrayList<>();

  private ClusterNodes(RedisServer redis) {
    this.redis = redis;
  }

  /** {@code count} nodes with the default cluster settings. */
  public static ClusterNodes start(int count) throws IOException, InterruptedException {
    return start(count, c -> c);
  }

  /** {@code count} nodes, each one's cluster settings passed through {@code tune}. */
  public static ClusterNodes start(int count, UnaryOperator<ClusterConfig> tune)
      throws IOException, InterruptedException {
    return start(count, tune, c -> c);
  }

  /**
   * {@code count} nodes, each one's cluster settings passed through {@code tune}, then its whole
   * configuration through {@code server}.
   */
  public static ClusterNodes start(
      int count, UnaryOperator<ClusterConfig> tune, UnaryOperator<ServerConfig> server)
      throws IOException, InterruptedException {
    ClusterNodes cluster = new ClusterNodes(RedisServer.start());
    try {
      for (int i = 1; i <= count; i++) {
        cluster.nodes.add(
            VisioServer.start(server.apply(cluster.config("node" + i, freePort(), tune))));
      }
      return cluster;
    } catch (RuntimeException | Error e) {
      cluster.close();
      throw e;
    }
  }

  /** One node's server configuration: loopback, keyed, in this cluster. */
  public ServerConfig config(String nodeId, int httpPort, UnaryOperator<ClusterConfig> tune) {
    return nodeConfig(redis, nodeId, httpPort, tune);
  }

  /**
   * A loopback, keyed server ({@link TestServers#keyedConfig(int, int)}) as node {@code nodeId} of
   * the cluster on {@code redis}, its cluster settings passed through {@code tune}.
   */
  public static ServerConfig nodeConfig(
      RedisServer redis, String nodeId, int httpPort, UnaryOperator<ClusterConfig> tune) {
    return TestServers.keyedConfig(1, httpPort)
        .withCluster(tune.apply(clusterOf(redis, nodeId, httpPort)));
  }

  /**
   * Node {@code nodeId}'s cluster settings on {@code redis}: region {@code local}, advertised at
   * {@code http://127.0.0.1:httpPort} and media IP 127.0.0.1, {@link #SECRET}, default timings.
   */
  public static ClusterConfig clusterOf(RedisServer redis, String nodeId, int httpPort) {
    return ClusterConfig.of(
        redis.uri(),
        RedisServer.PASSWORD,
        nodeId,
        "local",
        URI.create("http://127.0.0.1:" + httpPort),
        "127.0.0.1",
        SECRET);
  }

  /** Polls {@code condition} for up to 10 s; whether it held (tests assert it). */
  public static boolean await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20);
    }
    return condition.getAsBoolean();
  }

  /** Node {@code n}, counted from 1 as its id says. */
  public VisioServer node(int n) {
    return nodes.get(n - 1);
  }

  /** The number of a node id ({@code node2} → 2). */
  public static int index(String nodeId) {
    return Integer.parseInt(nodeId.substring("node".length()));
  }

  public List<VisioServer> all() {
    return List.copyOf(nodes);
  }

  public RedisServer redis() {
    return redis;
  }

  /** A loopback TCP port free a moment ago (a node's HTTP port must be known before it starts). */
  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws IOException, InterruptedException {
    nodes.forEach(VisioServer::close);
    redis.close();
  }
}
