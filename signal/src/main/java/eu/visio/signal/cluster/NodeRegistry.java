package eu.visio.signal.cluster;

import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster membership: this node's registration (a hash with a TTL, rewritten by every heartbeat)
 * and the live nodes. A node that stops heartbeating (kill -9, partition) vanishes when its key
 * expires, within the node TTL. Heartbeats run on their own thread; a failed one (Redis down) is
 * counted and logged once per outage, never thrown, and the node keeps its meetings; the first
 * heartbeat after Redis returns registers the node again, whole (Redis may have lost everything).
 */
public final class NodeRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);

  // Rewrites the hash whole (DEL first: fields of an older version and placement's reservations
  // go), then the TTL, in one step so the key never lives without one.
  private static final String HEARTBEAT =
      """
      redis.call('DEL', KEYS[1])
      redis.call('HSET', KEYS[1], unpack(ARGV, 3))
      redis.call('PEXPIRE', KEYS[1], ARGV[1])
      redis.call('SADD', KEYS[2], ARGV[2])
      return 1
      """;

  // The set indexes the ids; a member whose hash expired is a dead node, pruned here.
  private static final String LIVE_NODES =
      """
      local out = {}
      for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
        local h = redis.call('HGETALL', ARGV[1] .. id)
        if #h == 0 then redis.call('SREM', KEYS[1], id) else out[#out + 1] = h end
      end
      return out
      """;

  private static final String RESERVE =
      """
      if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
      return redis.call('HINCRBY', KEYS[1], 'pending', ARGV[1])
      """;

  // Removes a registration only if it is still the incarnation found dead (same boot epoch): a
  // node that restarted meanwhile, or a live one whose heartbeat raced us, is not evicted again.
  private static final String EVICT =
      """
      if redis.call('HGET', KEYS[1], 'boot') ~= ARGV[1] then return 0 end
      redis.call('DEL', KEYS[1])
      redis.call('SREM', KEYS[2], ARGV[2])
      return 1
      """;

  private final ClusterRedis redis;
  private final ClusterConfig config;
  private final long boot;
  private final Supplier<NodeLoad> load;
  private final AtomicLong beats = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean draining;
  private volatile boolean failing;
  private ScheduledExecutorService timer;

  /**
   * @param boot this process's boot epoch (see {@link NodeInfo#boot})
   * @param load this node's live load, asked at each heartbeat (from the timer thread)
   */
  public NodeRegistry(
      ClusterRedis redis, ClusterConfig config, long boot, Supplier<NodeLoad> load) {
    this.redis = redis;
    this.config = config;
    this.boot = boot;
    this.load = load;
  }

  /** Registers now (throws if Redis is unreachable), then heartbeats every period. */
  public synchronized void start() {
    heartbeat();
    if (timer == null) {
      timer =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("visio-cluster-heartbeat").unstarted(r));
      long period = config.heartbeat().toMillis();
      timer.scheduleAtFixedRate(this::beatOnTimer, period, period, TimeUnit.MILLISECONDS);
    }
  }

  /** One heartbeat now: writes this node's registration and load, with a fresh TTL. */
  public void heartbeat() {
    NodeInfo self = self(load.get());
    List<String> args = new ArrayList<>();
    args.add(Long.toString(config.nodeTtl().toMillis()));
    args.add(self.id());
    for (Map.Entry<String, String> f : self.fields().entrySet()) {
      args.add(f.getKey());
      args.add(f.getValue());
    }
    redis.<Long>eval(
        "heartbeat",
        HEARTBEAT,
        ScriptOutputType.INTEGER,
        List.of(ClusterKeys.node(config.nodeId()), ClusterKeys.NODES),
        args.toArray(String[]::new));
    beats.incrementAndGet();
  }

  private void beatOnTimer() {
    try {
      heartbeat();
      if (failing) {
        failing = false;
        log.info(
            "cluster: node {} registered again after {} failed heartbeats in all",
            config.nodeId(),
            failures.get());
      }
    } catch (ClusterUnavailableException e) {
      failures.incrementAndGet();
      if (!failing) { // once per outage, not once a second
        failing = true;
        log.warn(
            "cluster: node {} heartbeat failed, retrying every {}: {}",
            config.nodeId(),
            config.heartbeat(),
            e.getMessage());
      }
    } catch (RuntimeException e) { // the load supplier, or a bug: the timer must keep running
      failures.incrementAndGet();
      log.error("cluster: node {} heartbeat failed", config.nodeId(), e);
    }
  }

  /** Stops taking new rooms and participants; reported by the next heartbeat, sent now. */
  public void drain() {
    draining = true;
    try {
      heartbeat();
    } catch (ClusterUnavailableException e) {
      log.warn("cluster: node {} draining, not yet reported: {}", config.nodeId(), e.getMessage());
    }
  }

  public boolean draining() {
    return draining;
  }

  /** The nodes whose registration has not expired, this one included once registered. */
  public List<NodeInfo> liveNodes() {
    List<Object> hashes =
        redis.eval(
            "live nodes",
            LIVE_NODES,
            ScriptOutputType.MULTI,
            List.of(ClusterKeys.NODES),
            ClusterKeys.NODE_PREFIX);
    List<NodeInfo> nodes = new ArrayList<>(hashes.size());
    for (Object hash : hashes) {
      Optional<NodeInfo> node = NodeInfo.parse((List<?>) hash);
      if (node.isPresent()) {
        nodes.add(node.get());
      } else {
        log.warn("cluster: a node registration is unreadable, ignored: {}", hash);
      }
    }
    return nodes;
  }

  /** One live node, if registered. */
  public Optional<NodeInfo> node(String nodeId) {
    List<String> flat = new ArrayList<>();
    redis
        .call("node", c -> c.hgetall(ClusterKeys.node(nodeId)))
        .forEach(
            (field, value) -> {
              flat.add(field);
              flat.add(value);
            });
    return flat.isEmpty() ? Optional.empty() : NodeInfo.parse(flat);
  }

  /**
   * Removes {@code node}'s registration before its TTL runs out, when another node has seen it dead
   * (its HTTP port refuses connections): its rooms can then be placed again at once. A node that is
   * in fact alive registers again at its next heartbeat and learns at its next lease renewal which
   * rooms it lost: the leases, not the registry, decide where a room lives.
   *
   * @return whether this incarnation was still registered (and now is not)
   */
  public boolean evict(NodeInfo node) {
    Long removed =
        redis.eval(
            "evict node",
            EVICT,
            ScriptOutputType.INTEGER,
            List.of(ClusterKeys.node(node.id()), ClusterKeys.NODES),
            Long.toString(node.boot()),
            node.id());
    boolean done = removed != null && removed == 1;
    if (done) {
      log.warn("cluster: node {} (boot {}) found dead, evicted", node.id(), node.boot());
    }
    return done;
  }

  /**
   * Counts participants placement sends to a node until its next heartbeat reports them; no-op for
   * a node that is gone.
   */
  void reserve(String nodeId, int participants) {
    redis.<Long>eval(
        "reserve",
        RESERVE,
        ScriptOutputType.INTEGER,
        List.of(ClusterKeys.node(nodeId)),
        Integer.toString(participants));
  }

  /** This node as its next heartbeat registers it. */
  public NodeInfo self(NodeLoad current) {
    return new NodeInfo(
        config.nodeId(),
        config.region(),
        config.httpUrl(),
        config.mediaIp(),
        boot,
        config.capacity(),
        current,
        draining,
        0);
  }

  /** Heartbeats written. */
  public long heartbeats() {
    return beats.get();
  }

  /** Heartbeats that failed (Redis unreachable, or the load could not be read). */
  public long heartbeatFailures() {
    return failures.get();
  }

  /** Stops heartbeating and leaves the cluster at once (best effort: else the TTL removes it). */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      try { // a heartbeat in flight would register the node again after the DEL below
        timer.awaitTermination(ClusterRedis.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
    try {
      redis.call(
          "leave",
          c -> {
            c.srem(ClusterKeys.NODES, config.nodeId());
            return c.del(ClusterKeys.node(config.nodeId()));
          });
    } catch (ClusterUnavailableException e) {
      log.info(
          "cluster: node {} left without deregistering (its key expires): {}",
          config.nodeId(),
          e.getMessage());
    }
  }
}
