package eu.visio.signal.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a node joins the cluster.
 *
 * @param redisUri Lettuce's URI syntax without credentials: {@code redis://host:port} (or {@code
 *     rediss://}) for one server, {@code
 *     redis-sentinel://host1:26379,host2:26379?sentinelMasterId=visio} for Sentinel (Lettuce asks
 *     the sentinels for the master and follows failovers)
 * @param redisPassword the {@code requirepass} of the Redis master, or empty; kept out of the URI
 *     so that the URI can be logged
 * @param nodeId this node's id, unique in the cluster: letters, digits, {@code .-_}, at most 64
 * @param region the region label placement prefers for rooms whose first participant is there
 * @param httpUrl the URL other nodes and load balancers reach this node's HTTP at
 * @param mediaIp the IP address this node's ICE candidates advertise
 * @param secret the shared cluster secret that authenticates bus messages
 * @param capacity what this node is sized for (placement compares its load to it)
 * @param heartbeat how often the node refreshes its registration (default 1 s)
 * @param nodeTtl how long a registration outlives the last heartbeat (default 5 s); also the TTL of
 *     room leases, so a dead node's rooms free up as it vanishes
 * @param cascade when a join is served here although its room lives elsewhere (default {@link
 *     CascadeMode#REGIONS})
 * @param linkPort the UDP port of this node's cascade links, on {@code mediaIp} (0: any free one; a
 *     firewall between nodes wants a fixed one)
 */
public record ClusterConfig(
    String redisUri,
    String redisPassword,
    String nodeId,
    String region,
    URI httpUrl,
    String mediaIp,
    ClusterSecret secret,
    NodeCapacity capacity,
    Duration heartbeat,
    Duration nodeTtl,
    CascadeMode cascade,
    int linkPort) {
  public static final Duration DEFAULT_HEARTBEAT = Duration.ofSeconds(1);
  public static final Duration DEFAULT_NODE_TTL = Duration.ofSeconds(5);

  // ':' is excluded because a lease's value is "nodeId:epoch"; the rest keeps keys and logs plain.
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public ClusterConfig {
    Objects.requireNonNull(redisUri, "redisUri");
    redisPassword = Objects.requireNonNullElse(redisPassword, "");
    Objects.requireNonNull(httpUrl, "httpUrl");
    Objects.requireNonNull(mediaIp, "mediaIp");
    Objects.requireNonNull(secret, "secret");
    capacity = Objects.requireNonNullElse(capacity, NodeCapacity.DEFAULT);
    heartbeat = Objects.requireNonNullElse(heartbeat, DEFAULT_HEARTBEAT);
    nodeTtl = Objects.requireNonNullElse(nodeTtl, DEFAULT_NODE_TTL);
    cascade = Objects.requireNonNullElse(cascade, CascadeMode.REGIONS);
    if (linkPort < 0 || linkPort > 0xFFFF) {
      throw new IllegalArgumentException("the link port must be 0 to 65535: " + linkPort);
    }
    if (!redisUri.matches("(redis|rediss|redis-sentinel)://[^@/?]+([/?].*)?")) {
      throw new IllegalArgumentException(
          "the Redis URI must be redis://host:port, rediss://host:port or"
              + " redis-sentinel://host:port,...?sentinelMasterId=name, without credentials"
              + " (the password is a separate setting): "
              + redactedUri(redisUri));
    }
    if (redisUri.startsWith("redis-sentinel:") && !redisUri.contains("sentinelMasterId=")) {
      throw new IllegalArgumentException(
          "a Sentinel URI names the master: ?sentinelMasterId=name: " + redisUri);
    }
    requireId("node id", nodeId);
    requireId("region", region);
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("the heartbeat period must be positive: " + heartbeat);
    }
    // Two missed heartbeats must not evict a live node: a GC pause or a slow Redis is not a death.
    if (nodeTtl.compareTo(heartbeat.multipliedBy(2)) < 0) {
      throw new IllegalArgumentException(
          "the node TTL ("
              + nodeTtl
              + ") must be at least twice the heartbeat ("
              + heartbeat
              + ")");
    }
  }

  /** A node with the default capacity, heartbeat and TTL. */
  public static ClusterConfig of(
      String redisUri,
      String redisPassword,
      String nodeId,
      String region,
      URI httpUrl,
      String mediaIp,
      ClusterSecret secret) {
    return new ClusterConfig(
        redisUri,
        redisPassword,
        nodeId,
        region,
        httpUrl,
        mediaIp,
        secret,
        null,
        null,
        null,
        null,
        0);
  }

  public ClusterConfig withTimings(Duration heartbeat, Duration nodeTtl) {
    Copy c = new Copy(this);
    c.heartbeat = heartbeat;
    c.nodeTtl = nodeTtl;
    return c.build();
  }

  public ClusterConfig withNode(String nodeId, String region) {
    Copy c = new Copy(this);
    c.nodeId = nodeId;
    c.region = region;
    return c.build();
  }

  public ClusterConfig withCapacity(NodeCapacity capacity) {
    Copy c = new Copy(this);
    c.capacity = capacity;
    return c.build();
  }

  public ClusterConfig withCascade(CascadeMode cascade) {
    Copy c = new Copy(this);
    c.cascade = cascade;
    return c.build();
  }

  public ClusterConfig withLinkPort(int linkPort) {
    Copy c = new Copy(this);
    c.linkPort = linkPort;
    return c.build();
  }

  /**
   * A mutable copy of the components, so that each with-method names only what it changes (the
   * canonical constructor, which checks them all, takes every one).
   */
  private static final class Copy {
    String nodeId;
    String region;
    NodeCapacity capacity;
    Duration heartbeat;
    Duration nodeTtl;
    CascadeMode cascade;
    int linkPort;
    private final ClusterConfig from;

    Copy(ClusterConfig c) {
      from = c;
      nodeId = c.nodeId;
      region = c.region;
      capacity = c.capacity;
      heartbeat = c.heartbeat;
      nodeTtl = c.nodeTtl;
      cascade = c.cascade;
      linkPort = c.linkPort;
    }

    ClusterConfig build() {
      return new ClusterConfig(
          from.redisUri,
          from.redisPassword,
          nodeId,
          region,
          from.httpUrl,
          from.mediaIp,
          from.secret,
          capacity,
          heartbeat,
          nodeTtl,
          cascade,
          linkPort);
    }
  }

  /** Without the password (the secret redacts itself). */
  @Override
  public String toString() {
    return "ClusterConfig[redisUri="
        + redactedUri(redisUri)
        + ", redisPassword="
        + (redisPassword.isEmpty() ? "none" : "redacted")
        + ", nodeId="
        + nodeId
        + ", region="
        + region
        + ", httpUrl="
        + httpUrl
        + ", mediaIp="
        + mediaIp
        + ", capacity="
        + capacity
        + ", heartbeat="
        + heartbeat
        + ", nodeTtl="
        + nodeTtl
        + ", cascade="
        + cascade
        + ", linkPort="
        + linkPort
        + "]";
  }

  private static String redactedUri(String uri) {
    return uri.replaceAll("//[^@/]*@", "//redacted@");
  }

  private static void requireId(String what, String value) {
    if (value == null || !ID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "the " + what + " must be 1 to 64 letters, digits, '.', '-' or '_': " + value);
    }
  }
}
