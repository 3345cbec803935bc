package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Bus instances talking through a real Redis, and an attacker with access to it. */
@Tag("redis")
class ClusterBusTest {
  private static final int CHAT = 7;
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static RedisServer redis;
  private TestNodes nodes;
  private final BlockingQueue<BusMessage> atB = new LinkedBlockingQueue<>();
  private final BlockingQueue<BusMessage> atC = new LinkedBlockingQueue<>();
  private ClusterBus a;
  private ClusterBus b;
  private ClusterBus c;
  private StatefulRedisConnection<String, byte[]> raw;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void start() {
    nodes = new TestNodes(redis);
    a = bus("a", 100, InstantSource.system(), null);
    b = bus("b", 200, InstantSource.system(), atB);
    c = bus("c", 300, InstantSource.system(), atC);
    raw = nodes.track(nodes.connect(nodes.config("attacker", "r")).connectBinary());
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private ClusterBus bus(String id, long boot, InstantSource clock, BlockingQueue<BusMessage> to) {
    ClusterConfig config = nodes.config(id, "r");
    ClusterBus bus = nodes.track(new ClusterBus(nodes.connect(config), config, boot, clock));
    if (to != null) {
      bus.register(CHAT, to::add);
    }
    bus.start();
    return bus;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aMessageReachesItsNodeOnlyAndABroadcastEveryOtherNode() throws Exception {
    assertThat(a.send("b", CHAT, utf8("hello b"))).isEqualTo(1);
    BusMessage m = atB.poll(5, TimeUnit.SECONDS);
    assertThat(m).isNotNull();
    assertThat(m.sender()).isEqualTo("a");
    assertThat(m.senderBoot()).isEqualTo(100);
    assertThat(m.type()).isEqualTo(CHAT);
    assertThat(m.payload()).asString(StandardCharsets.UTF_8).isEqualTo("hello b");

    assertThat(a.broadcast(CHAT, utf8("hello all"))).isEqualTo(3); // a's own echo is dropped
    assertThat(atB.poll(5, TimeUnit.SECONDS).payload())
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("hello all");
    BusMessage atCFirst = atC.poll(5, TimeUnit.SECONDS);
    assertThat(atCFirst.payload()).asString(StandardCharsets.UTF_8).isEqualTo("hello all");
    assertThat(atC).isEmpty(); // "hello b" was for b only
    assertThat(m.sequence()).isLessThan(atCFirst.sequence());
    assertThat(a.send("nobody", CHAT, utf8("x"))).isZero();
  }

  /**
   * A room's messages go to the nodes serving a part of it, not to every node: at scale most nodes
   * serve none of a given room. Joins are counted (two parts, two leaves), and a node that left
   * hears no more. Each check sends the room message first, then a broadcast: a node that gets the
   * broadcast first never got the room message (Redis delivers to a subscriber in publish order).
   */
  @Test
  void aRoomsMessagesReachTheNodesThatJoinedItOnly() throws Exception {
    b.joinRoom("r1");
    b.joinRoom("r1"); // a second part of r1 on b
    awaitSubscribers("r1", 1);
    assertThat(a.sendToRoom("r1", CHAT, utf8("to r1"))).isEqualTo(1);
    a.broadcast(CHAT, utf8("marker 1"));
    assertThat(text(atB.poll(5, TimeUnit.SECONDS))).isEqualTo("to r1");
    assertThat(text(atB.poll(5, TimeUnit.SECONDS))).isEqualTo("marker 1");
    assertThat(text(atC.poll(5, TimeUnit.SECONDS)))
        .as("c serves no part of r1")
        .isEqualTo("marker 1");

    b.leaveRoom("r1"); // one part left: still in the room
    assertThat(b.inRoom("r1")).isTrue();
    assertThat(a.sendToRoom("r1", CHAT, utf8("still to r1"))).isEqualTo(1);
    assertThat(text(atB.poll(5, TimeUnit.SECONDS))).isEqualTo("still to r1");

    b.leaveRoom("r1");
    assertThat(b.inRoom("r1")).isFalse();
    awaitSubscribers("r1", 0);
    assertThat(a.sendToRoom("r1", CHAT, utf8("nobody there"))).isZero();
    a.broadcast(CHAT, utf8("marker 2"));
    assertThat(text(atB.poll(5, TimeUnit.SECONDS))).isEqualTo("marker 2");
    b.leaveRoom("r1"); // one leave too many: nothing happens
    assertThat(b.subscribeFailures()).isZero();
  }

  /** A room joined before the bus starts is subscribed as it starts. */
  @Test
  void aRoomJoinedBeforeStartIsSubscribedAtStart() throws Exception {
    ClusterConfig config = nodes.config("d", "r");
    BlockingQueue<BusMessage> atD = new LinkedBlockingQueue<>();
    ClusterBus d =
        nodes.track(new ClusterBus(nodes.connect(config), config, 400, InstantSource.system()));
    d.register(CHAT, atD::add);
    d.joinRoom("r2");
    d.start();
    awaitSubscribers("r2", 1);
    a.sendToRoom("r2", CHAT, utf8("to r2"));
    assertThat(text(atD.poll(5, TimeUnit.SECONDS))).isEqualTo("to r2");
  }

  private void awaitSubscribers(String room, long n) throws InterruptedException {
    String channel = ClusterKeys.roomChannel(room);
    assertThat(
            TestNodes.await(
                WAIT, () -> raw.sync().pubsubNumsub(channel).getOrDefault(channel, 0L) == n))
        .as("%d subscriber(s) of %s", n, channel)
        .isTrue();
  }

  private static String text(BusMessage m) {
    assertThat(m).as("a message within 5 s").isNotNull();
    return new String(m.payload(), StandardCharsets.UTF_8);
  }

  @Test
  void messagesArriveInOrderWhenManyThreadsSend() throws Exception {
    int count = 400;
    try (var pool = java.util.concurrent.Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < count; i++) {
        int n = i;
        pool.submit(() -> a.send("b", CHAT, utf8("m" + n)));
      }
    }
    assertThat(TestNodes.await(WAIT, () -> atB.size() == count)).isTrue();
    assertThat(b.rejected(BusRejection.REPLAYED)).isZero(); // sequence order held on the wire
  }

  @Test
  void aForgedMacIsRejectedAndCounted() throws Exception {
    ClusterConfig forger = nodes.config("a", "r");
    ClusterConfig wrongSecret =
        new ClusterConfig(
            forger.redisUri(),
            forger.redisPassword(),
            "a",
            "r",
            forger.httpUrl(),
            forger.mediaIp(),
            ClusterSecret.of("not-the-cluster-secret-but-32-bytes-long"),
            null,
            null,
            null,
            null,
            0);
    ClusterBus impostor =
        nodes.track(
            new ClusterBus(nodes.connect(wrongSecret), wrongSecret, 101, InstantSource.system()));
    impostor.start();
    impostor.send("b", CHAT, utf8("let me in"));
    assertThat(TestNodes.await(WAIT, () -> b.rejected(BusRejection.BAD_MAC) == 1)).isTrue();
    assertThat(atB).isEmpty();
  }

  @Test
  void staleTimestampsAreRejected() throws Exception {
    ClusterBus late =
        bus("late", 1, InstantSource.offset(InstantSource.system(), Duration.ofSeconds(-45)), null);
    late.send("b", CHAT, utf8("from the past"));
    assertThat(TestNodes.await(WAIT, () -> b.rejected(BusRejection.STALE_TIMESTAMP) == 1)).isTrue();
    assertThat(atB).isEmpty();
  }

  @Test
  void aCapturedFrameReplayedOrCopiedToAnotherNodeIsRejected() throws Exception {
    StatefulRedisPubSubConnection<String, byte[]> spy =
        nodes.track(nodes.connect(nodes.config("spy", "r")).connectPubSub());
    BlockingQueue<byte[]> captured = new LinkedBlockingQueue<>();
    spy.addListener(
        new RedisPubSubAdapter<>() {
          @Override
          public void message(String channel, byte[] frame) {
            captured.add(frame);
          }
        });
    spy.sync().subscribe(ClusterKeys.nodeChannel("b"));
    a.send("b", CHAT, utf8("once"));
    byte[] frame = captured.poll(5, TimeUnit.SECONDS);
    assertThat(atB.poll(5, TimeUnit.SECONDS)).isNotNull();

    raw.sync().publish(ClusterKeys.nodeChannel("b"), frame);
    raw.sync().publish(ClusterKeys.nodeChannel("c"), frame);
    assertThat(
            TestNodes.await(
                WAIT,
                () ->
                    b.rejected(BusRejection.REPLAYED) == 1
                        && c.rejected(BusRejection.WRONG_RECIPIENT) == 1))
        .isTrue();
    assertThat(atB).isEmpty();
    assertThat(atC).isEmpty();
  }

  @Test
  void anEarlierBootOfASenderIsRejected() throws Exception {
    a.send("b", CHAT, utf8("boot 100"));
    assertThat(atB.poll(5, TimeUnit.SECONDS)).isNotNull();
    ClusterBus older = bus("a", 99, InstantSource.system(), null); // "a" as it was before
    older.send("b", CHAT, utf8("boot 99"));
    assertThat(TestNodes.await(WAIT, () -> b.rejected(BusRejection.STALE_BOOT) == 1)).isTrue();
    assertThat(atB).isEmpty();
  }

  @Test
  void garbageUnknownTypesAndOversizeAreCountedAndTheBusGoesOn() throws Exception {
    String channel = ClusterKeys.nodeChannel("b");
    raw.sync().publish(channel, new byte[0]);
    raw.sync().publish(channel, utf8("definitely not a frame, but longer than a MAC is"));
    raw.sync().publish(channel, new byte[BusFrame.MAX_FRAME + 1]);
    a.send("b", 999, utf8("a type b does not know"));
    assertThat(
            TestNodes.await(
                WAIT,
                () ->
                    b.rejected(BusRejection.MALFORMED) == 1
                        && b.rejected(BusRejection.BAD_MAC) == 1
                        && b.rejected(BusRejection.OVERSIZE) == 1
                        && b.rejected(BusRejection.UNKNOWN_TYPE) == 1))
        .isTrue();

    a.send("b", CHAT, utf8("still here"));
    assertThat(atB.poll(5, TimeUnit.SECONDS).payload())
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("still here");
    assertThat(b.accepted()).isEqualTo(1);
  }

  @Test
  void aFailingHandlerIsCountedAndTheNextMessageStillArrives() throws Exception {
    c.register(
        8,
        m -> {
          throw new IllegalStateException("handler bug");
        });
    a.send("c", 8, utf8("boom"));
    a.send("c", CHAT, utf8("after"));
    assertThat(atC.poll(5, TimeUnit.SECONDS).payload())
        .asString(StandardCharsets.UTF_8)
        .isEqualTo("after");
    assertThat(c.rejected(BusRejection.HANDLER_FAILED)).isEqualTo(1);
    assertThat(c.accepted()).isEqualTo(2);
  }

  @Test
  void aStalledHandlerFillsTheQueueAndFramesAreDroppedNotBlocked() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch stalled = new java.util.concurrent.CountDownLatch(1);
    c.register(
        9,
        m -> {
          stalled.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    a.send("c", 9, utf8("stall"));
    assertThat(stalled.await(5, TimeUnit.SECONDS)).isTrue();
    for (int i = 0; i < ClusterBus.QUEUE + 50; i++) {
      raw.async().publish(ClusterKeys.nodeChannel("c"), new byte[40]);
    }
    assertThat(TestNodes.await(WAIT, () -> c.rejected(BusRejection.QUEUE_FULL) > 0)).isTrue();
    release.countDown();
    // Lettuce's thread was never blocked: the connection still delivers.
    assertThat(
            TestNodes.await(
                WAIT,
                () -> {
                  a.send("c", CHAT, utf8("after the flood"));
                  return !atC.isEmpty();
                }))
        .isTrue();
  }
}
