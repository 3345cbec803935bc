package eu.visio.loadtest.target;

import eu.visio.loadtest.bot.Bot;
import eu.visio.signal.cluster.ScratchRedis;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One room cascaded over three of our servers (issue 10): a {@code redis-server} of its own and
 * three {@link VisioTarget} processes as the nodes of one cluster, each in a region of its own so
 * that every bot is served by the node it connects to; bots connect to the nodes in turn, and the
 * nodes exchange each published track over their relay links. CPU time and memory are the three
 * servers' together (Redis's own are left out: it carries signalling only).
 */
public final class CascadeTarget implements Target {
  static final int NODES = 3;

  private final List<String> serverArgs;
  private final List<String> jvmArgs;

  public CascadeTarget(List<String> serverArgs, List<String> jvmArgs) {
    this.serverArgs = List.copyOf(serverArgs);
    this.jvmArgs = List.copyOf(jvmArgs);
  }

  @Override
  public String name() {
    return "visio-cascade";
  }

  @Override
  public boolean webrtc() {
    return true;
  }

  @Override
  public TargetSession start(Path workDir) throws IOException, InterruptedException {
    int redisPort = VisioTarget.freeTcpPort();
    Path redisDir = Files.createDirectories(workDir.resolve("redis"));
    ServerProcess redis =
        ServerProcess.exec(
            ScratchRedis.command("redis-server", redisPort, redisDir),
            redisDir.resolve("redis.log"));
    List<TargetSession> nodes = new ArrayList<>();
    try {
      redis.awaitReady(
          "redis-server", () -> listening(redisPort), java.time.Duration.ofSeconds(20));
      byte[] secret = new byte[24];
      new SecureRandom().nextBytes(secret);
      String clusterSecret = HexFormat.of().formatHex(secret); // 48 characters
      for (int i = 1; i <= NODES; i++) {
        Path dir = Files.createDirectories(workDir.resolve("node" + i));
        Path config = dir.resolve("cluster.yaml");
        Files.writeString(
            config,
            """
            turn: {enabled: false}
            cluster:
              redis: {address: "127.0.0.1:%d"}
              node_id: node%d
              region: region-%d
              secret: "%s"
            """
                .formatted(redisPort, i, i, clusterSecret));
        List<String> args = new ArrayList<>(List.of("--config", config.toString()));
        args.addAll(serverArgs);
        nodes.add(new VisioTarget(args, jvmArgs).start(dir));
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      nodes.forEach(TargetSession::close);
      redis.close();
      throw e;
    }
    return new Session(redis, nodes);
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static final class Session implements TargetSession {
    private final ServerProcess redis;
    private final List<TargetSession> nodes;
    private final AtomicInteger next = new AtomicInteger();
    private final Map<Bot, Integer> nodeOf = new java.util.concurrent.ConcurrentHashMap<>();

    Session(ServerProcess redis, List<TargetSession> nodes) {
      this.redis = redis;
      this.nodes = List.copyOf(nodes);
    }

    /** Bots go to the nodes in turn: the room spreads over all three. */
    @Override
    public CompletableFuture<Void> join(Bot bot, BotPlan plan) {
      int node = Math.floorMod(next.getAndIncrement(), nodes.size());
      nodeOf.put(bot, node);
      return nodes.get(node).join(bot, plan);
    }

    @Override
    public int node(Bot bot) {
      return nodeOf.getOrDefault(bot, 0);
    }

    @Override
    public long pid() {
      return nodes.getFirst().pid();
    }

    @Override
    public List<Long> pids() {
      return nodes.stream().map(TargetSession::pid).toList();
    }

    /** Each node's cascade counters, from its metrics. */
    @Override
    public Map<String, String> extras() {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        out.putAll(prefixed("node" + (i + 1) + ".", nodes.get(i).extras()));
      }
      return out;
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> m) {
      Map<String, String> out = new java.util.LinkedHashMap<>();
      m.forEach((k, v) -> out.put(prefix + k, v));
      return out;
    }

    @Override
    public void close() {
      nodes.forEach(TargetSession::close);
      redis.close();
    }
  }
}
