package eu.visio.signal.cluster;

import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;

/**
 * One sid per room's life, cluster-wide: in a cascaded room every node creates its own part, yet
 * LiveKit names the room once ({@code Room.sid} in join responses, the Room service, webhooks) and
 * anew only when the room is created again. So the sid lives in Redis next to the room's lease,
 * with the nodes hosting a part of the room now: the first node to create a part draws it, the
 * others adopt it, and it goes when the last part ends (or, after a crash, when the last node
 * hosting a part stops keeping it up, within the TTL). The lease is not the life: it is released
 * when its holder's part empties while other nodes may still host theirs, and placed again when its
 * holder dies.
 *
 * <p>Each operation is one script (atomic on the Redis server): two nodes creating their parts at
 * once agree on one sid. A part's membership is a sorted-set entry scored with its expiry on the
 * Redis server's clock ({@code TIME}), so node clocks do not matter.
 */
public final class RoomSidStore {
  // Shared prologue: KEYS[1] the sid, KEYS[2] the parts. Drops expired parts; `now` in ms.
  private static final String NOW =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
      """;

  // ARGV: node, fresh sid, ttl. This node is creating its part (it has none now): the sid of the
  // parts other nodes host, or the fresh one when none does (a new life of the room).
  private static final String ADOPT =
      NOW
          + """
          redis.call('ZREM', KEYS[2], ARGV[1])
          local sid = redis.call('GET', KEYS[1])
          if not sid or redis.call('ZCARD', KEYS[2]) == 0 then sid = ARGV[2] end
          redis.call('SET', KEYS[1], sid, 'PX', ARGV[3])
          redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
          redis.call('PEXPIRE', KEYS[2], ARGV[3])
          return sid
          """;

  // ARGV: node, our sid, ttl. Our part still lives: keep it (and the sid, set again if Redis lost
  // it). A different sid in force is returned and left alone: that part belongs to another life.
  private static final String KEEP =
      NOW
          + """
          local sid = redis.call('GET', KEYS[1])
          if not sid then
            sid = ARGV[2]
            redis.call('SET', KEYS[1], sid, 'PX', ARGV[3])
          end
          if sid == ARGV[2] then
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            redis.call('PEXPIRE', KEYS[2], ARGV[3])
          end
          return sid
          """;

  // ARGV: node, our sid. Our part ended: the life ends with the last part (1), else goes on (0).
  private static final String LEAVE =
      NOW
          + """
          if redis.call('GET', KEYS[1]) ~= ARGV[2] then return 0 end
          redis.call('ZREM', KEYS[2], ARGV[1])
          if redis.call('ZCARD', KEYS[2]) > 0 then return 0 end
          redis.call('DEL', KEYS[1], KEYS[2])
          return 1
          """;

  private final ClusterRedis redis;
  private final String ttlMs;

  /**
   * @param ttl how long a part counts without being kept up (a node's TTL: one that dies stops)
   */
  public RoomSidStore(ClusterRedis redis, Duration ttl) {
    this.redis = redis;
    this.ttlMs = Long.toString(ttl.toMillis());
  }

  /**
   * {@code node} creates its part of {@code room}: the room's sid, that of the parts other nodes
   * host now, or {@code fresh} when none does; {@code node} then counts as hosting a part.
   *
   * @throws ClusterUnavailableException Redis cannot be reached
   */
  public String adopt(String room, String node, String fresh) {
    return redis.eval(
        "adopt room sid", ADOPT, ScriptOutputType.VALUE, keys(room), node, fresh, ttlMs);
  }

  /**
   * {@code node}'s part of {@code room}, named {@code sid}, still lives (every heartbeat): returns
   * the sid in force, which is {@code sid} unless another life of the room took over (then this
   * part is not counted).
   *
   * @throws ClusterUnavailableException Redis cannot be reached
   */
  public String keep(String room, String node, String sid) {
    return redis.eval("keep room sid", KEEP, ScriptOutputType.VALUE, keys(room), node, sid, ttlMs);
  }

  /**
   * {@code node}'s part of {@code room}, named {@code sid}, ended: whether it was the last, the sid
   * then gone (the room's next creation draws a new one).
   *
   * @throws ClusterUnavailableException Redis cannot be reached
   */
  public boolean leave(String room, String node, String sid) {
    Long last =
        redis.eval("leave room sid", LEAVE, ScriptOutputType.INTEGER, keys(room), node, sid);
    return last != null && last == 1;
  }

  /**
   * {@code room}'s sid in its present life, if a node hosts a part of it.
   *
   * @throws ClusterUnavailableException Redis cannot be reached
   */
  public java.util.Optional<String> current(String room) {
    return java.util.Optional.ofNullable(redis.call("room sid", c -> c.get(ClusterKeys.sid(room))));
  }

  private static List<String> keys(String room) {
    return List.of(ClusterKeys.sid(room), ClusterKeys.parts(room));
  }
}
