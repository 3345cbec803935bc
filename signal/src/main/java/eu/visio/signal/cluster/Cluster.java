package eu.visio.signal.cluster;

import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * This node's membership of the cluster, as one thing to start and stop: the Redis connections, the
 * registry with its heartbeat, room leases, placement, the rooms' sids and the bus. Handlers go on
 * {@link #bus()} before {@link #start}, so that no early message finds none.
 */
public final class Cluster implements AutoCloseable {
  private final ClusterRedis redis;
  private final NodeRegistry registry;
  private final RoomLease leases;
  private final Placement placement;
  private final RoomSidStore sids;
  private final ClusterBus bus;

  private Cluster(ClusterRedis redis, ClusterConfig config, Supplier<NodeLoad> load) {
    // The boot epoch orders this process's incarnations: bus receivers drop an older one's frames.
    long boot = System.currentTimeMillis();
    this.redis = redis;
    this.registry = new NodeRegistry(redis, config, boot, load);
    this.leases = new RoomLease(redis, config.nodeTtl());
    this.placement = new Placement(registry, leases);
    this.sids = new RoomSidStore(redis, config.nodeTtl());
    this.bus = new ClusterBus(redis, config, boot, InstantSource.system());
  }

  /**
   * Connects to Redis; nothing is registered until {@link #start}.
   *
   * @throws ClusterUnavailableException Redis cannot be reached
   */
  public static Cluster connect(ClusterConfig config, Supplier<NodeLoad> load) {
    return new Cluster(ClusterRedis.connect(config), config, load);
  }

  /** Subscribes the bus, then registers this node and heartbeats. */
  public void start() {
    bus.start();
    registry.start();
  }

  public NodeRegistry registry() {
    return registry;
  }

  public RoomLease leases() {
    return leases;
  }

  public Placement placement() {
    return placement;
  }

  /** The rooms' sids, one per room's life cluster-wide. */
  public RoomSidStore sids() {
    return sids;
  }

  public ClusterBus bus() {
    return bus;
  }

  /** Leaves the cluster (deregisters) and closes the connections. */
  @Override
  public void close() {
    registry.close();
    bus.close();
    redis.close();
  }
}
