package eu.visio.signal.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The room→node mapping as leases in Redis, so two nodes never both hold a room. A lease is a key
 * set only if absent ({@code SET NX PX}) to {@code nodeId:epoch}, the epoch drawn from the room's
 * counter ({@code INCR}): a fencing token. Renewing and releasing compare the value first, in Lua,
 * so only the holder can; a holder whose lease lapsed (Redis unreachable past the TTL) or was taken
 * learns it at its next renewal. Each operation is one script: atomic on the Redis server, which is
 * what makes the exclusion hold without any lock of ours.
 */
public final class RoomLease {
  private static final Logger log = LoggerFactory.getLogger(RoomLease.class);

  /** The epoch counter outlives any lease by this much (so epochs keep growing), then goes. */
  static final long EPOCH_TTL_MS = Duration.ofDays(1).toMillis();

  // KEYS: lease, epoch. ARGV: node, ttl, node key prefix ('' = no takeover), epoch floor, epoch
  // TTL. Takes the lease if it is free, or (with a prefix) if its holder's node key is gone: a
  // dead node's room is placed again without waiting for its lease to run out. Returns {1, value}
  // when taken, {0, current} when someone else holds it.
  private static final String CLAIM =
      """
      local cur = redis.call('GET', KEYS[1])
      if cur then
        local holder = string.match(cur, '^(.+):%d+$')
        if ARGV[3] == '' or not holder or redis.call('EXISTS', ARGV[3] .. holder) == 1 then
          return {0, cur}
        end
      end
      local e = redis.call('INCR', KEYS[2])
      local floor = tonumber(ARGV[4])
      if e <= floor then
        e = floor + 1
        redis.call('SET', KEYS[2], e)
      end
      redis.call('PEXPIRE', KEYS[2], ARGV[5])
      local v = ARGV[1] .. ':' .. e
      if cur then
        redis.call('SET', KEYS[1], v, 'PX', ARGV[2])
      elseif not redis.call('SET', KEYS[1], v, 'NX', 'PX', ARGV[2]) then
        return {0, redis.call('GET', KEYS[1])}
      end
      return {1, v}
      """;

  // KEYS and ARGV as CLAIM's (without takeover, the old epoch as floor), plus ARGV[6]: our value.
  // {3, value} renewed; else CLAIM's answer: {1, value} free and taken back under a higher epoch
  // (the counter may have gone with Redis's data: the floor keeps the epoch above ours), {0,
  // current} held by someone else. One script, so nobody can take the room between the two.
  private static final String RENEW =
      """
      local mine = redis.call('GET', KEYS[1])
      if mine == ARGV[6] then
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        redis.call('PEXPIRE', KEYS[2], ARGV[5])
        return {3, mine}
      end
      """
          + CLAIM;

  private static final String RELEASE =
      """
      if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
      return 0
      """;

  /** What a renewal found. */
  public enum Status {
    /** Still ours; TTL refreshed. */
    RENEWED,
    /** It had lapsed and nobody took it: ours again, under a higher epoch. */
    REACQUIRED,
    /** Another node holds it now: stop serving the room as its home. */
    LOST
  }

  /**
   * A renewal's outcome.
   *
   * @param lease the current lease: ours (renewed or with its new epoch) or the other holder's
   */
  public record Renewal(Status status, Lease lease) {}

  private final ClusterRedis redis;
  private final long ttlMs;
  private final AtomicLong lost = new AtomicLong();

  public RoomLease(ClusterRedis redis, Duration ttl) {
    this.redis = redis;
    this.ttlMs = ttl.toMillis();
  }

  /** Takes the room for {@code nodeId} if nobody holds it; else empty. */
  public Optional<Lease> tryAcquire(String room, String nodeId) {
    Claim c = claim(room, nodeId, false, 0);
    return c.taken() ? Optional.of(c.lease()) : Optional.empty();
  }

  /**
   * Takes the room for {@code nodeId} unless a live node holds it (then returns that node's lease):
   * a lease whose holder's registration expired is taken over with a higher epoch.
   */
  Claim claimUnlessLive(String room, String nodeId) {
    return claim(room, nodeId, true, 0);
  }

  /** A claim's outcome: whether we took it, and the lease now in force. */
  record Claim(boolean taken, Lease lease) {}

  private Claim claim(String room, String nodeId, boolean takeOver, long floor) {
    List<Object> r =
        redis.eval(
            "claim lease",
            CLAIM,
            ScriptOutputType.MULTI,
            List.of(ClusterKeys.lease(room), ClusterKeys.epoch(room)),
            nodeId,
            Long.toString(ttlMs),
            takeOver ? ClusterKeys.NODE_PREFIX : "",
            Long.toString(floor),
            Long.toString(EPOCH_TTL_MS));
    return new Claim(isOne(r.get(0)), parse(room, r.get(1)));
  }

  /**
   * Renews our lease. A lapsed lease nobody took is taken again with an epoch above the old one
   * (Redis may have lost the counter in a restart); one another node took is reported lost.
   */
  public Renewal renew(Lease lease) {
    List<Object> r =
        redis.eval(
            "renew lease",
            RENEW,
            ScriptOutputType.MULTI,
            List.of(ClusterKeys.lease(lease.room()), ClusterKeys.epoch(lease.room())),
            lease.nodeId(),
            Long.toString(ttlMs),
            "",
            Long.toString(lease.epoch()),
            Long.toString(EPOCH_TTL_MS),
            lease.value());
    long status = (Long) r.get(0);
    Lease current = parse(lease.room(), r.get(1));
    if (status == 3) {
      return new Renewal(Status.RENEWED, lease);
    }
    if (status == 1) {
      log.info(
          "cluster: node {} room {} lease lapsed and was reacquired, epoch {} -> {}",
          lease.nodeId(),
          lease.room(),
          lease.epoch(),
          current.epoch());
      return new Renewal(Status.REACQUIRED, current);
    }
    lost.incrementAndGet();
    log.warn(
        "cluster: node {} lost room {} (epoch {}) to node {} (epoch {})",
        lease.nodeId(),
        lease.room(),
        lease.epoch(),
        current.nodeId(),
        current.epoch());
    return new Renewal(Status.LOST, current);
  }

  /** Gives the room up, if we still hold it; false if it was not ours any more. */
  public boolean release(Lease lease) {
    Long deleted =
        redis.eval(
            "release lease",
            RELEASE,
            ScriptOutputType.INTEGER,
            List.of(ClusterKeys.lease(lease.room())),
            lease.value());
    return deleted != null && deleted == 1;
  }

  /** The room's current lease, if any node holds it. */
  public Optional<Lease> owner(String room) {
    return Lease.parse(room, redis.call("lease owner", c -> c.get(ClusterKeys.lease(room))));
  }

  /** Leases this node learnt it had lost, at renewal. */
  public long lost() {
    return lost.get();
  }

  private static boolean isOne(Object status) {
    return status instanceof Long l && l == 1;
  }

  private static Lease parse(String room, Object value) {
    return Lease.parse(room, String.valueOf(value))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "room " + room + " has a malformed lease in Redis: " + value));
  }
}
