package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("redis")
class RoomLeaseTest {
  private static RedisServer redis;
  private TestNodes nodes;
  private RoomLease a;
  private RoomLease b;

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
    ClusterRedis connection = nodes.connect(nodes.config("a", "r"));
    nodes.flush(connection);
    a = new RoomLease(connection, Duration.ofSeconds(30));
    b = new RoomLease(nodes.connect(nodes.config("b", "r")), Duration.ofSeconds(30));
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  @Test
  void theFirstClaimWinsAndTheRoomNamesItsHolderAndEpoch() {
    Lease lease = a.tryAcquire("room-1", "a").orElseThrow();
    assertThat(lease).isEqualTo(new Lease("room-1", "a", 1));
    assertThat(b.tryAcquire("room-1", "b")).isEmpty();
    assertThat(b.owner("room-1")).contains(lease);
    String value = redis(c -> c.get("visio:room:room-1:lease"));
    assertThat(value).isEqualTo("a:1");
    assertThat(b.owner("room-2")).isEmpty();
  }

  @Test
  void onlyTheHolderRenewsOrReleases() {
    Lease lease = a.tryAcquire("room-1", "a").orElseThrow();
    Lease forged = new Lease("room-1", "b", lease.epoch());

    assertThat(b.renew(forged)).isEqualTo(new RoomLease.Renewal(RoomLease.Status.LOST, lease));
    assertThat(b.release(forged)).isFalse();
    assertThat(b.release(new Lease("room-1", "a", lease.epoch() + 1))).isFalse(); // stale epoch
    assertThat(a.owner("room-1")).contains(lease);

    assertThat(a.renew(lease)).isEqualTo(new RoomLease.Renewal(RoomLease.Status.RENEWED, lease));
    assertThat(a.release(lease)).isTrue();
    assertThat(a.owner("room-1")).isEmpty();
    assertThat(b.tryAcquire("room-1", "b")).contains(new Lease("room-1", "b", 2));
    assertThat(b.lost()).isEqualTo(1);
  }

  @Test
  void renewingRefreshesTheTtl() throws Exception {
    RoomLease shortA = new RoomLease(nodes.connect(nodes.config("a", "r")), Duration.ofMillis(300));
    Lease lease = shortA.tryAcquire("room-1", "a").orElseThrow();
    long ttl = redis(c -> c.pttl("visio:room:room-1:lease"));
    assertThat(ttl).isBetween(1L, 300L);
    for (int i = 0; i < 6; i++) { // 600 ms: twice the TTL, kept by renewals
      Thread.sleep(100);
      assertThat(shortA.renew(lease).status()).isEqualTo(RoomLease.Status.RENEWED);
    }
    assertThat(shortA.owner("room-1")).contains(lease);
  }

  @Test
  void aLapsedLeaseNobodyTookIsReacquiredUnderAHigherEpoch() throws Exception {
    RoomLease shortA = new RoomLease(nodes.connect(nodes.config("a", "r")), Duration.ofMillis(100));
    Lease lease = shortA.tryAcquire("room-1", "a").orElseThrow();
    assertThat(TestNodes.await(Duration.ofSeconds(2), () -> a.owner("room-1").isEmpty())).isTrue();

    RoomLease.Renewal renewal = shortA.renew(lease);
    assertThat(renewal.status()).isEqualTo(RoomLease.Status.REACQUIRED);
    assertThat(renewal.lease()).isEqualTo(new Lease("room-1", "a", 2));
  }

  @Test
  void reacquiringAfterRedisLostTheCounterStillRaisesTheEpoch() {
    Lease old = new Lease("room-1", "a", 41); // held before Redis restarted empty
    RoomLease.Renewal renewal = a.renew(old);
    assertThat(renewal)
        .isEqualTo(
            new RoomLease.Renewal(RoomLease.Status.REACQUIRED, new Lease("room-1", "a", 42)));
    assertThat(b.tryAcquire("room-2", "b")).contains(new Lease("room-2", "b", 1));
    assertThat(a.release(renewal.lease())).isTrue();
    assertThat(b.tryAcquire("room-1", "b").orElseThrow().epoch()).isEqualTo(43);
  }

  @Test
  void aLeaseTakenAfterItLapsedIsReportedLost() throws Exception {
    RoomLease shortA = new RoomLease(nodes.connect(nodes.config("a", "r")), Duration.ofMillis(100));
    Lease mine = shortA.tryAcquire("room-1", "a").orElseThrow();
    assertThat(
            TestNodes.await(Duration.ofSeconds(2), () -> b.tryAcquire("room-1", "b").isPresent()))
        .isTrue();

    RoomLease.Renewal renewal = shortA.renew(mine);
    assertThat(renewal.status()).isEqualTo(RoomLease.Status.LOST);
    assertThat(renewal.lease()).isEqualTo(new Lease("room-1", "b", 2));
    assertThat(shortA.lost()).isEqualTo(1);
    assertThat(shortA.release(mine)).isFalse();
    assertThat(b.owner("room-1")).contains(renewal.lease());
  }

  /** Many nodes on their own connections race for the same rooms: one winner each. */
  @Test
  void racingNodesNeverBothWinARoom() throws Exception {
    int nodeCount = 6;
    int threadsPerNode = 3;
    List<String> rooms = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      rooms.add("race-" + i);
    }
    List<RoomLease> leases = new ArrayList<>();
    for (int n = 0; n < nodeCount; n++) {
      leases.add(new RoomLease(nodes.connect(nodes.config("n" + n, "r")), Duration.ofSeconds(30)));
    }
    Map<String, List<Lease>> wins = new ConcurrentHashMap<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(nodeCount * threadsPerNode)) {
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < nodeCount; n++) {
        for (int t = 0; t < threadsPerNode; t++) {
          RoomLease mine = leases.get(n);
          String id = "n" + n;
          List<String> order = new ArrayList<>(rooms);
          java.util.Collections.shuffle(order, new Random(n * 31L + t));
          done.add(
              pool.submit(
                  () -> {
                    go.await();
                    for (String room : order) {
                      mine.tryAcquire(room, id)
                          .ifPresent(
                              l ->
                                  wins.computeIfAbsent(room, r -> new CopyOnWriteArrayList<>())
                                      .add(l));
                    }
                    return null;
                  }));
        }
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
    assertThat(wins.keySet()).containsExactlyInAnyOrderElementsOf(rooms);
    for (String room : rooms) {
      assertThat(wins.get(room)).as(room).hasSize(1);
      assertThat(a.owner(room)).contains(wins.get(room).getFirst());
      assertThat(wins.get(room).getFirst().epoch()).isEqualTo(1); // no epoch spent on a lost race
    }
  }

  /**
   * Nodes churn over a few rooms with short leases: acquire, renew, release, and renew or release
   * leases they no longer hold. Whenever a node believes it holds a room (it acquired, renewed or
   * reacquired), no other node may believe so: each room's believed holder is tracked with a
   * compare-and-set that fails if two hold at once.
   */
  @Test
  void churningNodesNeverBothHoldARoom() throws Exception {
    int nodeCount = 6;
    List<String> rooms = List.of("churn-0", "churn-1", "churn-2");
    Map<String, AtomicReference<Lease>> holder = new ConcurrentHashMap<>();
    rooms.forEach(r -> holder.put(r, new AtomicReference<>()));
    List<String> violations = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(nodeCount)) {
      List<Future<?>> done = new ArrayList<>();
      for (int n = 0; n < nodeCount; n++) {
        String id = "n" + n;
        RoomLease leases =
            new RoomLease(nodes.connect(nodes.config(id, "r")), Duration.ofSeconds(30));
        Random random = new Random(n);
        done.add(
            pool.submit(
                () -> {
                  go.await();
                  Map<String, Lease> held = new java.util.HashMap<>();
                  Map<String, Lease> stale = new java.util.HashMap<>();
                  for (int i = 0; i < 400; i++) {
                    String room = rooms.get(random.nextInt(rooms.size()));
                    Lease mine = held.get(room);
                    if (mine == null) {
                      Lease old = stale.get(room);
                      if (old != null && random.nextBoolean()) {
                        RoomLease.Renewal r = leases.renew(old); // a holder that was away
                        if (r.status() != RoomLease.Status.LOST) {
                          stale.remove(room);
                          claim(holder, room, r.lease(), held, violations);
                        }
                        if (random.nextBoolean() && leases.release(old)) {
                          violations.add(id + " released a lease it did not hold: " + old);
                        }
                      } else {
                        Optional<Lease> got = leases.tryAcquire(room, id);
                        got.ifPresent(l -> claim(holder, room, l, held, violations));
                      }
                    } else if (random.nextInt(3) == 0) {
                      RoomLease.Renewal r = leases.renew(mine);
                      if (r.status() != RoomLease.Status.RENEWED) {
                        violations.add(id + " could not renew a lease it held: " + mine + " " + r);
                      }
                    } else {
                      held.remove(room);
                      stale.put(room, mine);
                      holder.get(room).set(null); // stop believing before giving it up
                      if (!leases.release(mine)) {
                        violations.add(id + " could not release a lease it held: " + mine);
                      }
                    }
                  }
                  for (Lease l : held.values()) {
                    holder.get(l.room()).set(null);
                    leases.release(l);
                  }
                  return null;
                }));
      }
      go.countDown();
      for (Future<?> f : done) {
        f.get();
      }
    }
    assertThat(violations).isEmpty();
  }

  private static void claim(
      Map<String, AtomicReference<Lease>> holder,
      String room,
      Lease lease,
      Map<String, Lease> held,
      List<String> violations) {
    if (!holder.get(room).compareAndSet(null, lease)) {
      violations.add(lease + " granted while " + holder.get(room).get() + " held the room");
    }
    held.put(room, lease);
  }

  private <T> T redis(
      java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T>
          command) {
    return nodes.connect(nodes.config("probe", "r")).call("probe", command);
  }
}
