package eu.visio.signal.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's connections to Redis, through Lettuce: one for commands (registry, leases), one to
 * publish bus frames, one subscribed to the bus. Lettuce reconnects each by itself (and
 * resubscribes the bus); while one is down, commands fail at once ({@code REJECT_COMMANDS}) rather
 * than queue, so a join fails with {@link ClusterUnavailableException} instead of hanging.
 */
public final class ClusterRedis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterRedis.class);

  /** A command waits no longer than this: a join must not hang on a sick Redis. */
  static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

  static final RedisCodec<String, byte[]> BINARY =
      RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final ClientResources resources;
  private final RedisClient client;
  private final StatefulRedisConnection<String, String> connection;
  private final String uri;

  private ClusterRedis(
      ClientResources resources,
      RedisClient client,
      StatefulRedisConnection<String, String> connection,
      String uri) {
    this.resources = resources;
    this.client = client;
    this.connection = connection;
    this.uri = uri;
  }

  /** Connects to the configured Redis (or the master the sentinels name). */
  public static ClusterRedis connect(ClusterConfig config) {
    ClientResources resources =
        ClientResources.builder()
            .ioThreadPoolSize(2)
            .computationThreadPoolSize(2)
            // Lettuce's default backoff grows to 30 s; a node should be back within ~1 s of Redis.
            .reconnectDelay(
                Delay.exponential(
                    Duration.ofMillis(50), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
            .build();
    RedisClient client = RedisClient.create(resources, redisUri(config));
    client.setOptions(
        ClientOptions.builder()
            .autoReconnect(true)
            .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
            .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
            .build());
    try {
      StatefulRedisConnection<String, String> connection = client.connect();
      log.info("cluster: node {} connected to Redis {}", config.nodeId(), config.redisUri());
      return new ClusterRedis(resources, client, connection, config.redisUri());
    } catch (RedisException e) {
      client.shutdown();
      resources.shutdown();
      throw unavailable("connect", config.redisUri(), e);
    }
  }

  /** Lettuce's URI from ours, with the password set apart (so ours can be logged). */
  static RedisURI redisUri(ClusterConfig config) {
    RedisURI uri = RedisURI.create(config.redisUri());
    if (!config.redisPassword().isEmpty()) {
      uri.setAuthentication(config.redisPassword());
    }
    uri.setTimeout(COMMAND_TIMEOUT);
    uri.setClientName("visio-" + config.nodeId());
    return uri;
  }

  /** Runs one command, turning Lettuce's failures into {@link ClusterUnavailableException}. */
  <T> T call(String what, Function<RedisCommands<String, String>, T> command) {
    try {
      return command.apply(connection.sync());
    } catch (RedisException e) {
      throw unavailable(what, uri, e);
    }
  }

  /** Runs a Lua script (sent with EVAL: Redis caches it by digest, and no NOSCRIPT dance). */
  <T> T eval(String what, String script, ScriptOutputType type, List<String> keys, String... args) {
    return call(what, c -> c.<T>eval(script, type, keys.toArray(String[]::new), args));
  }

  StatefulRedisConnection<String, byte[]> connectBinary() {
    try {
      return client.connect(BINARY);
    } catch (RedisException e) {
      throw unavailable("connect", uri, e);
    }
  }

  StatefulRedisPubSubConnection<String, byte[]> connectPubSub() {
    try {
      return client.connectPubSub(BINARY);
    } catch (RedisException e) {
      throw unavailable("subscribe", uri, e);
    }
  }

  static ClusterUnavailableException unavailable(String what, String uri, Throwable e) {
    return new ClusterUnavailableException(
        ClusterUnavailableException.Reason.REDIS_UNAVAILABLE,
        "Redis " + uri + " unavailable (" + what + "): " + e.getMessage(),
        e);
  }

  @Override
  public void close() {
    connection.close();
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
