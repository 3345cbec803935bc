package eu.visio.signal.cluster;

import io.lettuce.core.RedisException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.Mac;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node-to-node messages over Redis pub/sub: a channel per node, one per room for the nodes serving
 * it ({@link #joinRoom}), and one for all. Every frame is signed ({@link BusFrame}) and checked
 * ({@link BusVerifier}); what fails is counted by reason, never thrown. Lettuce's thread only
 * queues the bytes; verifying and the handlers run on the bus's own thread, in arrival order, so a
 * handler may call Redis (a blocking call on Lettuce's event loop would deadlock it) and a slow one
 * cannot stall the connection. Lettuce resubscribes by itself after Redis comes back; messages
 * published meanwhile are lost (pub/sub keeps none), which the protocols above it must allow for.
 */
public final class ClusterBus implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);

  /** Frames waiting for the bus thread; beyond, they are dropped and counted. */
  static final int QUEUE = 4096;

  /** How often room subscriptions Redis did not take are tried again. */
  static final long RETRY_MILLIS = 1000;

  /** Receives the messages of one type, on the bus thread. */
  @FunctionalInterface
  public interface Handler {
    void onMessage(BusMessage message);
  }

  private final ClusterRedis redis;
  private final ClusterConfig config;
  private final long boot;
  private final InstantSource clock;
  private final Map<Integer, Handler> handlers = new ConcurrentHashMap<>();
  private final Map<BusRejection, LongAdder> rejected = new EnumMap<>(BusRejection.class);
  private final LongAdder accepted = new LongAdder();
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);
  private final AtomicLong sequence = new AtomicLong();
  private final Object sendLock = new Object();
  private final Mac sendMac;
  // Rooms joined, with how many times (joins minus leaves); guarded by itself.
  private final Map<String, Integer> rooms = new java.util.HashMap<>();
  private final LongAdder subscribeFailures = new LongAdder();
  // Rooms joined whose subscription Redis did not take (it was away, and Lettuce resubscribes
  // only what it had): subscribed again by the bus thread every RETRY until taken or left.
  private final java.util.Set<String> untaken = ConcurrentHashMap.newKeySet();
  private StatefulRedisConnection<String, byte[]> publisher;
  private volatile StatefulRedisPubSubConnection<String, byte[]> subscriber;
  private Thread dispatcher;

  public ClusterBus(ClusterRedis redis, ClusterConfig config, long boot, InstantSource clock) {
    this.redis = redis;
    this.config = config;
    this.boot = boot;
    this.clock = clock;
    this.sendMac = config.secret().newMac();
    for (BusRejection r : BusRejection.values()) {
      rejected.put(r, new LongAdder());
    }
  }

  /**
   * Handles messages of {@code type} (1 to 65535), from now on; frames of a type with no handler
   * when they arrive are rejected ({@link BusRejection#UNKNOWN_TYPE}).
   */
  public void register(int type, Handler handler) {
    if (type < 1 || type > 0xffff) {
      throw new IllegalArgumentException("message type must be 1 to 65535: " + type);
    }
    handlers.put(type, handler);
  }

  /** Subscribes to this node's channel and the broadcast channel. */
  public synchronized void start() {
    if (dispatcher != null) {
      return;
    }
    publisher = redis.connectBinary();
    subscriber = redis.connectPubSub();
    subscriber.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] frame) {
            if (!queue.offer(frame)) { // Lettuce's event loop: never block, never throw
              rejected.get(BusRejection.QUEUE_FULL).increment();
            }
          }
        });
    BusVerifier verifier =
        new BusVerifier(config.secret(), config.nodeId(), clock, handlers::containsKey);
    dispatcher =
        Thread.ofPlatform().daemon().name("visio-cluster-bus").start(() -> dispatch(verifier));
    try {
      subscriber
          .sync()
          .subscribe(ClusterKeys.nodeChannel(config.nodeId()), ClusterKeys.BROADCAST_CHANNEL);
    } catch (RedisException e) {
      throw ClusterRedis.unavailable("subscribe", config.redisUri(), e);
    }
    log.info("cluster: node {} bus subscribed", config.nodeId());
    synchronized (rooms) {
      for (String room : rooms.keySet()) {
        subscribe(room, true);
      }
    }
  }

  /**
   * From now on, receives what is sent to {@code room} ({@link #sendToRoom}): a node serving a part
   * of the room joins it, so that a room's messages reach the nodes serving it and no other. Once
   * per room however often it is called, until as many {@link #leaveRoom} calls. Never blocks (a
   * room's worker calls it): the subscription goes to Redis asynchronously; one Redis does not take
   * (it is away) is counted and tried again every second, and one it took Lettuce renews after a
   * reconnection.
   */
  public void joinRoom(String room) {
    synchronized (rooms) {
      if (rooms.merge(room, 1, Integer::sum) == 1) {
        subscribe(room, true);
      }
    }
  }

  /** Undoes one {@link #joinRoom}; the last one unsubscribes. Never blocks. */
  public void leaveRoom(String room) {
    synchronized (rooms) {
      Integer n = rooms.get(room);
      if (n == null) {
        return;
      }
      if (n > 1) {
        rooms.put(room, n - 1);
      } else {
        rooms.remove(room);
        untaken.remove(room);
        subscribe(room, false);
      }
    }
  }

  /** Whether this node receives {@code room}'s messages. */
  public boolean inRoom(String room) {
    synchronized (rooms) {
      return rooms.containsKey(room);
    }
  }

  /** Room subscriptions Redis did not take (it was away); each is tried again every second. */
  public long subscribeFailures() {
    return subscribeFailures.sum();
  }

  // Under the rooms lock, so that Redis sees a room's subscribes and unsubscribes in call order.
  private void subscribe(String room, boolean on) {
    if (subscriber == null) {
      return; // not started: start() subscribes to what was joined
    }
    String channel = ClusterKeys.roomChannel(room);
    try {
      RedisFuture<Void> f =
          on ? subscriber.async().subscribe(channel) : subscriber.async().unsubscribe(channel);
      f.whenComplete(
          (ok, e) -> {
            if (e != null) {
              notTaken(room, on, e);
            }
          });
    } catch (RedisException e) {
      notTaken(room, on, e);
    }
  }

  private void notTaken(String room, boolean on, Throwable e) {
    subscribeFailures.increment();
    if (on) {
      untaken.add(room);
    }
    log.debug("cluster: {} room {} failed: {}", on ? "subscribe to" : "unsubscribe from", room, e);
  }

  /** Subscribes again to the rooms still joined whose subscription Redis did not take. */
  private void retryUntaken() {
    synchronized (rooms) {
      for (String room : java.util.List.copyOf(untaken)) {
        untaken.remove(room);
        if (rooms.containsKey(room)) {
          subscribe(room, true); // not taken again: back in the set
        }
      }
    }
  }

  /**
   * Sends to one node; returns how many subscribers Redis delivered it to (0: that node is not
   * listening).
   */
  public long send(String nodeId, int type, byte[] payload) {
    return publish(ClusterKeys.nodeChannel(nodeId), nodeId, type, payload);
  }

  /**
   * Sends to the nodes that joined {@code room}; returns how many subscribers Redis delivered it to
   * (this node included, if it joined).
   */
  public long sendToRoom(String room, int type, byte[] payload) {
    return publish(ClusterKeys.roomChannel(room), BusFrame.BROADCAST, type, payload);
  }

  /** Sends to every other node; returns the number of subscribers reached (itself included). */
  public long broadcast(int type, byte[] payload) {
    return publish(ClusterKeys.BROADCAST_CHANNEL, BusFrame.BROADCAST, type, payload);
  }

  private long publish(String channel, String recipient, int type, byte[] payload) {
    RedisFuture<Long> sent;
    // Numbering and handing to the connection under one lock keeps frames in sequence order on
    // the wire, which is the order receivers require.
    synchronized (sendLock) {
      if (publisher == null) {
        throw new IllegalStateException("the bus is not started");
      }
      byte[] frame =
          BusFrame.encode(
              sendMac,
              type,
              config.nodeId(),
              recipient,
              boot,
              clock.millis(),
              sequence.incrementAndGet(),
              payload);
      try {
        sent = publisher.async().publish(channel, frame);
      } catch (RedisException e) {
        throw ClusterRedis.unavailable("publish", config.redisUri(), e);
      }
    }
    try {
      return sent.get(ClusterRedis.COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw ClusterRedis.unavailable("publish", config.redisUri(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ClusterRedis.unavailable("publish", config.redisUri(), e);
    }
  }

  private void dispatch(BusVerifier verifier) {
    long nextRetry = System.nanoTime();
    while (!Thread.currentThread().isInterrupted()) {
      byte[] frame;
      try {
        frame = queue.poll(RETRY_MILLIS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        return;
      }
      if (frame != null) {
        deliver(verifier, frame);
      }
      long now = System.nanoTime();
      if (!untaken.isEmpty() && now - nextRetry >= 0) {
        nextRetry = now + TimeUnit.MILLISECONDS.toNanos(RETRY_MILLIS);
        retryUntaken();
      }
    }
  }

  private void deliver(BusVerifier verifier, byte[] frame) {
    switch (verifier.verify(frame)) {
      case BusVerifier.Rejected(BusRejection reason) -> {
        rejected.get(reason).increment();
        log.debug("cluster: node {} rejected a bus frame: {}", config.nodeId(), reason);
      }
      case BusVerifier.Accepted(BusMessage m) -> {
        if (m.sender().equals(config.nodeId())) {
          return; // our own broadcast, echoed by Redis
        }
        accepted.increment();
        try {
          handlers.get(m.type()).onMessage(m);
        } catch (RuntimeException e) {
          rejected.get(BusRejection.HANDLER_FAILED).increment();
          log.error(
              "cluster: node {} bus handler for type {} from node {} failed",
              config.nodeId(),
              m.type(),
              m.sender(),
              e);
        }
      }
    }
  }

  /** Frames accepted and handed to a handler. */
  public long accepted() {
    return accepted.sum();
  }

  /** Frames dropped for {@code reason}. */
  public long rejected(BusRejection reason) {
    return rejected.get(reason).sum();
  }

  @Override
  public synchronized void close() {
    if (dispatcher != null) {
      dispatcher.interrupt();
      dispatcher = null;
    }
    if (subscriber != null) {
      subscriber.close();
    }
    if (publisher != null) {
      publisher.close();
    }
  }
}
