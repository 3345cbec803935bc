package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redis dies under two running nodes and comes back empty on the same port. */
@Tag("redis")
class RedisOutageTest {
  private static final int CHAT = 1;
  private RedisServer redis;
  private TestNodes nodes;
  private final BlockingQueue<BusMessage> atB = new LinkedBlockingQueue<>();

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisServer.start();
    nodes = new TestNodes(redis);
  }

  @AfterEach
  void stopRedis() throws Exception {
    nodes.close();
    redis.close();
  }

  private Cluster start(String id, BlockingQueue<BusMessage> inbox) {
    ClusterConfig config =
        nodes.config(id, "r").withTimings(Duration.ofMillis(100), Duration.ofMillis(1000));
    Cluster cluster = nodes.track(Cluster.connect(config, () -> NodeLoad.IDLE));
    if (inbox != null) {
      cluster.bus().register(CHAT, inbox::add);
    }
    cluster.start();
    return cluster;
  }

  @Test
  void operationsFailClearlyWhileRedisIsDownAndTheNodeRecoversByItself() throws Exception {
    Cluster a = start("a", null);
    Cluster b = start("b", atB);
    Lease lease = a.leases().tryAcquire("room-1", "a").orElseThrow();
    a.bus().send("b", CHAT, "before".getBytes(StandardCharsets.UTF_8));
    assertThat(atB.poll(5, TimeUnit.SECONDS)).isNotNull();

    redis.kill();
    // A room's part starts on b while Redis is away: its subscription is not taken now.
    b.bus().joinRoom("room-9");
    assertThat(TestNodes.await(Duration.ofSeconds(5), () -> b.bus().subscribeFailures() >= 1))
        .isTrue();

    long start = System.nanoTime();
    assertUnavailable(() -> a.registry().liveNodes());
    assertUnavailable(() -> a.leases().owner("room-1"));
    assertUnavailable(() -> a.leases().tryAcquire("room-2", "a"));
    assertUnavailable(() -> a.leases().renew(lease));
    assertUnavailable(() -> a.placement().place("room-3", new Placement.Request("r", 1)));
    assertUnavailable(() -> a.bus().send("b", CHAT, new byte[1]));
    // Failing fast, not after each command's timeout: a join gets its answer at once.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(
            TestNodes.await(
                Duration.ofSeconds(5),
                () ->
                    a.registry().heartbeatFailures() >= 3 && b.registry().heartbeatFailures() >= 3))
        .isTrue();

    redis.restart(); // same port, no data: as a Redis without persistence after a crash

    assertThat(
            TestNodes.await(
                Duration.ofSeconds(10),
                () ->
                    quietly(
                            () ->
                                a.registry().liveNodes().stream()
                                    .map(NodeInfo::id)
                                    .sorted()
                                    .toList(),
                            java.util.List.<String>of())
                        .equals(java.util.List.of("a", "b"))))
        .as("both nodes registered again")
        .isTrue();
    // The lease lapsed with Redis's data; its holder takes it back with a higher epoch although
    // the counter restarted at zero.
    RoomLease.Renewal renewal = a.leases().renew(lease);
    assertThat(renewal.status()).isEqualTo(RoomLease.Status.REACQUIRED);
    assertThat(renewal.lease().epoch()).isGreaterThan(lease.epoch());
    // The bus resubscribed: b hears a again.
    assertHeard("after", text -> a.bus().send("b", CHAT, text), "b resubscribed");
    // And the room it joined while Redis was away: its subscription was tried again.
    assertHeard(
        "to room-9",
        text -> a.bus().sendToRoom("room-9", CHAT, text),
        "b subscribed to room-9 once Redis was back");
    assertThat(b.bus().rejected(BusRejection.REPLAYED)).isZero();
  }

  @Test
  void aNodeThatCannotReachRedisAtStartupIsToldSo() throws Exception {
    redis.stop();
    assertThatThrownBy(() -> Cluster.connect(nodes.config("a", "r"), () -> NodeLoad.IDLE))
        .isInstanceOfSatisfying(
            ClusterUnavailableException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(ClusterUnavailableException.Reason.REDIS_UNAVAILABLE))
        .hasMessageContaining(redis.uri());
  }

  @Test
  void aWrongPasswordIsAClearErrorThatDoesNotShowThePassword() {
    ClusterConfig c = nodes.config("a", "r");
    ClusterConfig wrong =
        new ClusterConfig(
            c.redisUri(),
            "not-the-password",
            "a",
            "r",
            c.httpUrl(),
            c.mediaIp(),
            c.secret(),
            null,
            null,
            null,
            null,
            0);
    assertThatThrownBy(() -> Cluster.connect(wrong, () -> NodeLoad.IDLE))
        .isInstanceOf(ClusterUnavailableException.class)
        .hasMessageNotContaining("not-the-password");
  }

  private static void assertUnavailable(ThrowingCallable call) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            ClusterUnavailableException.class,
            e ->
                assertThat(e.reason())
                    .isEqualTo(ClusterUnavailableException.Reason.REDIS_UNAVAILABLE))
        .hasMessageContaining("Redis " + "redis://127.0.0.1:");
  }

  /**
   * Sends {@code text} with {@code send} until Redis delivers it to one subscriber (within 10 s),
   * then checks b received it.
   */
  private void assertHeard(String text, java.util.function.Function<byte[], Long> send, String what)
      throws InterruptedException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    assertThat(
            TestNodes.await(
                Duration.ofSeconds(10), () -> quietly(() -> send.apply(bytes), 0L) == 1L))
        .as(what)
        .isTrue();
    BusMessage m = atB.poll(5, TimeUnit.SECONDS);
    assertThat(m).as(what).isNotNull();
    assertThat(m.payload()).asString(StandardCharsets.UTF_8).isEqualTo(text);
  }

  private static <T> T quietly(Supplier<T> call, T whileUnavailable) {
    try {
      return call.get();
    } catch (ClusterUnavailableException e) {
      return whileUnavailable;
    }
  }
}
