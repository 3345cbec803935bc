package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** One sid per room's life, whichever nodes host its parts, on a real Redis. */
@Tag("redis")
class RoomSidStoreTest {
  private static RedisServer redis;
  private TestNodes nodes;
  private ClusterRedis connection;
  private RoomSidStore sids;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void connect() {
    nodes = new TestNodes(redis);
    connection = nodes.connect(nodes.config("a", "r"));
    nodes.flush(connection);
    sids = new RoomSidStore(connection, Duration.ofSeconds(30));
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Test
  void theFirstPartDrawsTheSidTheOthersAdoptItAndTheLastPartEndsIt() {
    assertThat(sids.current("r1")).isEmpty();
    assertThat(sids.adopt("r1", "a", "RM_a")).isEqualTo("RM_a");
    assertThat(sids.adopt("r1", "b", "RM_b")).as("node b adopts a's").isEqualTo("RM_a");
    assertThat(sids.adopt("r2", "b", "RM_c")).as("another room").isEqualTo("RM_c");

    // The first part ends (the lease holder's, say): the room lives on in b's part, and a part
    // created again on a takes the same sid.
    assertThat(sids.leave("r1", "a", "RM_a")).isFalse();
    assertThat(sids.current("r1")).contains("RM_a");
    assertThat(sids.adopt("r1", "c", "RM_d")).isEqualTo("RM_a");
    assertThat(sids.leave("r1", "c", "RM_a")).isFalse();

    assertThat(sids.leave("r1", "b", "RM_a")).as("the last part").isTrue();
    assertThat(sids.current("r1")).isEmpty();
    assertThat(sids.adopt("r1", "b", "RM_e")).as("a new life, a new sid").isEqualTo("RM_e");
    assertThat(sids.current("r2")).contains("RM_c");
  }

  @Test
  void aPartCreatedAgainOnTheSameNodeDoesNotCountItsOldPart() {
    sids.adopt("r1", "a", "RM_a");
    // a's part ended without telling (Redis away then): its new part starts a new life.
    assertThat(sids.adopt("r1", "a", "RM_b")).isEqualTo("RM_b");
  }

  @Test
  void aLateEndOfAnotherLifeChangesNothing() {
    sids.adopt("r1", "a", "RM_a");
    assertThat(sids.leave("r1", "a", "RM_a")).isTrue();
    sids.adopt("r1", "b", "RM_b");
    assertThat(sids.leave("r1", "a", "RM_a")).isFalse();
    assertThat(sids.current("r1")).contains("RM_b");
  }

  @Test
  void keepingSetsTheSidAgainWhenRedisLostIt() {
    sids.adopt("r1", "a", "RM_a");
    sids.adopt("r1", "b", "RM_a");
    nodes.flush(connection); // Redis restarted without its data
    assertThat(sids.keep("r1", "b", "RM_a")).isEqualTo("RM_a");
    assertThat(sids.adopt("r1", "c", "RM_c")).as("b's part counts again").isEqualTo("RM_a");
  }

  @Test
  void aPartOfAnotherLifeIsToldTheSidInForceAndNotCounted() {
    sids.adopt("r1", "a", "RM_a");
    assertThat(sids.keep("r1", "b", "RM_x")).isEqualTo("RM_a");
    assertThat(sids.leave("r1", "a", "RM_a")).as("b's part was not counted").isTrue();
  }

  @Test
  void aPartNobodyKeepsExpires() throws Exception {
    RoomSidStore quick = new RoomSidStore(connection, Duration.ofMillis(200));
    quick.adopt("r1", "dead", "RM_a");
    quick.adopt("r1", "b", "RM_a");
    for (int i = 0; i < 4; i++) {
      Thread.sleep(100);
      assertThat(quick.keep("r1", "b", "RM_a")).isEqualTo("RM_a");
    }
    // "dead" stopped keeping its part long ago: b's is the last.
    assertThat(quick.leave("r1", "b", "RM_a")).isTrue();

    quick.adopt("r2", "dead", "RM_b");
    assertThat(TestNodes.await(Duration.ofSeconds(5), () -> quick.current("r2").isEmpty()))
        .as("the sid goes with its last part")
        .isTrue();
    assertThat(quick.adopt("r2", "c", "RM_c")).isEqualTo("RM_c");
  }

  @Test
  void nodesCreatingTheirPartsAtOnceAgreeOnOneSid() throws Exception {
    int n = 8;
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<RoomSidStore> stores = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        stores.add(
            new RoomSidStore(nodes.connect(nodes.config("n" + i, "r")), Duration.ofSeconds(30)));
      }
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> answers = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int me = i;
        answers.add(
            pool.submit(
                () -> {
                  go.await();
                  return stores.get(me).adopt("busy", "n" + me, "RM_" + me);
                }));
      }
      go.countDown();
      List<String> sidsSeen = new ArrayList<>();
      for (Future<String> f : answers) {
        sidsSeen.add(f.get());
      }
      assertThat(sidsSeen).hasSize(n).containsOnly(sidsSeen.getFirst());
    } finally {
      pool.shutdownNow();
    }
  }
}
