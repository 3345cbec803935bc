package eu.visio.signal.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Placement on three registered nodes in a real Redis. */
@Tag("redis")
class PlacementTest {
  private static final Duration LONG = Duration.ofSeconds(60);
  private static final NodeCapacity CAP = new NodeCapacity(100, 100_000);
  private static RedisServer redis;
  private TestNodes nodes;
  private TestNodes.Node a;
  private TestNodes.Node b;
  private TestNodes.Node c;

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.start();
  }

  @AfterAll
  static void stopRedis() throws Exception {
    redis.close();
  }

  @BeforeEach
  void register() {
    nodes = new TestNodes(redis);
    nodes.flush(nodes.connect(nodes.config("flusher", "r")));
    a = nodes.node("a", "west", LONG, CAP);
    b = nodes.node("b", "west", LONG, CAP);
    c = nodes.node("c", "east", LONG, CAP);
  }

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private static Placement placement(TestNodes.Node via) {
    return new Placement(via.registry(), via.leases());
  }

  @Test
  void newRoomsSpreadByLoad() {
    a.report(new NodeLoad(0.5, 0, 0, 0));
    b.report(new NodeLoad(0.2, 0, 0, 0));
    c.report(NodeLoad.IDLE);
    Placement placement = placement(a);
    List<String> homes = new ArrayList<>();
    for (int i = 0; i < 11; i++) {
      // Rooms of 10: each adds 0.1 to its node's score until the next heartbeat.
      homes.add(placement.place("room-" + i, new Placement.Request(null, 10)).node().id());
    }
    // The idle node first; the busy one only once the others are as loaded as it (0.5).
    assertThat(homes.getFirst()).isEqualTo("c");
    assertThat(homes.subList(0, 10)).doesNotContain("a");
    assertThat(homes.subList(0, 10)).filteredOn("b"::equals).hasSize(5);
    assertThat(homes.subList(0, 10)).filteredOn("c"::equals).hasSize(5);
    assertThat(homes.get(10)).isEqualTo("a"); // all three at 0.5, and a has nobody yet
    // Heartbeats report real load and clear what placement counted.
    c.report(NodeLoad.IDLE);
    assertThat(c.registry().node("c").orElseThrow().pending()).isZero();
  }

  @Test
  void theFirstParticipantsRegionIsPreferredUnlessItDrains() {
    a.report(new NodeLoad(0.1, 0, 0, 0));
    b.report(new NodeLoad(0.1, 0, 0, 0));
    c.report(new NodeLoad(0.4, 0, 0, 0));
    Placement.Placed east = placement(a).place("east-room", new Placement.Request("east", 1));
    assertThat(east.node().id()).isEqualTo("c");
    assertThat(east.existing()).isFalse();

    c.registry().drain();
    Placement.Placed next = placement(a).place("east-room-2", new Placement.Request("east", 1));
    assertThat(next.node().id()).isIn("a", "b");
  }

  @Test
  void aRoomLargerThanANodesFreeCapacityGoesElsewhere() {
    a.report(new NodeLoad(0.1, 0, 90, 0)); // 10 free
    b.report(new NodeLoad(0.1, 0, 95, 0)); // 5 free
    c.report(new NodeLoad(0.5, 0, 20, 0)); // 80 free, other region
    assertThat(placement(a).place("big", new Placement.Request("west", 30)).node().id())
        .isEqualTo("c");
    assertThat(placement(a).place("small", new Placement.Request("west", 5)).node().id())
        .isEqualTo("a");
  }

  @Test
  void drainingNodesGetNoRoomAndNoneOpenIsAClearError() {
    a.registry().drain();
    b.registry().drain();
    assertThat(placement(a).place("r1", new Placement.Request("west", 1)).node().id())
        .isEqualTo("c");
    c.registry().drain();
    assertThatThrownBy(() -> placement(a).place("r2", new Placement.Request("west", 1)))
        .isInstanceOfSatisfying(
            ClusterUnavailableException.class,
            e -> assertThat(e.reason()).isEqualTo(ClusterUnavailableException.Reason.NO_NODE))
        .hasMessageContaining("no live node takes new rooms");
  }

  @Test
  void aRoomWithALiveOwnerStaysThereWhicheverNodeAsks() {
    Placement.Placed first = placement(a).place("room", new Placement.Request("east", 1));
    c.report(new NodeLoad(0.99, 0, 99, 0)); // its home is now the busiest: the room stays
    Placement.Placed again = placement(b).place("room", new Placement.Request("west", 1));
    assertThat(again.existing()).isTrue();
    assertThat(again.lease()).isEqualTo(first.lease());
    assertThat(again.node().id()).isEqualTo(first.node().id());
  }

  @Test
  void aDeadOwnersRoomIsPlacedAgainUnderAHigherEpoch() throws Exception {
    TestNodes.Node doomed = nodes.node("doomed", "west", Duration.ofMillis(400), CAP);
    a.report(new NodeLoad(0.3, 0, 0, 0));
    b.report(new NodeLoad(0.3, 0, 0, 0));
    c.report(new NodeLoad(0.3, 0, 0, 0));
    Placement.Placed first = placement(a).place("room", new Placement.Request("west", 1));
    assertThat(first.node().id()).isEqualTo("doomed");
    // Its lease lives for the lease TTL of the placing node (60 s); its registration, 400 ms.
    assertThat(TestNodes.await(Duration.ofSeconds(3), () -> a.registry().node("doomed").isEmpty()))
        .isTrue();
    assertThat(a.leases().owner("room")).contains(first.lease());

    Placement.Placed second = placement(b).place("room", new Placement.Request("west", 1));
    assertThat(second.existing()).isFalse();
    assertThat(second.node().id()).isIn("a", "b");
    assertThat(second.lease().epoch()).isGreaterThan(first.lease().epoch());
    assertThat(doomed.leases().renew(first.lease()).status()).isEqualTo(RoomLease.Status.LOST);
  }
}
