package eu.visio.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.cluster.ClusterConfig;
import eu.visio.signal.cluster.ClusterRedis;
import eu.visio.signal.cluster.Lease;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.cluster.RoomLease;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@link HeldLeases} against a real Redis: what a drain's release leaves behind. */
@Tag("redis")
class HeldLeasesTest {
  private static final String ROOM = "racing";
  private static final String MARKER = "marker";

  /** How long the racing renewal waits for the lease to go. */
  private static final Duration HOLD = Duration.ofMillis(1500);

  /**
   * A drain releases every lease while a renewal is in flight (the timer between reading the lease
   * and renewing it). Run on the caller's thread, the release deleted the lease and the renewal
   * then took it back ({@code REACQUIRED}: lapsed, nobody holds it) into an entry no longer kept:
   * the room stayed this node's in Redis, placeable nowhere else, until that lease lapsed. On the
   * timer's thread the release waits for the renewal and then deletes the lease for good.
   *
   * <p>The renewal is held inside the room's "still hosted?" question until the lease is gone from
   * Redis, for at most {@link #HOLD}: released meanwhile (on another thread), the renewal takes it
   * back; not released (the release waits for the timer), the renewal renews and the release then
   * runs. A room touched after the release is asked about at the next tick, which marks the end of
   * the racing one.
   */
  @Test
  void aReleaseDuringARenewalLeavesNoLeaseBehind() throws Exception {
    try (RedisServer redis = RedisServer.start();
        ClusterRedis connection =
            ClusterRedis.connect(
                ClusterConfig.of(
                    redis.uri(),
                    RedisServer.PASSWORD,
                    "n1",
                    "r",
                    URI.create("http://127.0.0.1:1"),
                    "127.0.0.1",
                    ClusterNodes.SECRET))) {
      RoomLease leases = new RoomLease(connection, Duration.ofSeconds(30));
      Lease lease = leases.tryAcquire(ROOM, "n1").orElseThrow();
      CountDownLatch renewing = new CountDownLatch(1);
      CountDownLatch nextTick = new CountDownLatch(1);
      AtomicBoolean asked = new AtomicBoolean();
      HeldLeases kept =
          new HeldLeases(
              leases,
              room -> {
                if (MARKER.equals(room)) {
                  nextTick.countDown();
                  return false;
                }
                if (asked.compareAndSet(false, true)) {
                  renewing.countDown();
                  awaitGone(leases);
                }
                return true;
              },
              Duration.ofMillis(50),
              Duration.ZERO,
              r -> {});
      kept.hold(lease);
      kept.start();
      try {
        assertThat(renewing.await(10, TimeUnit.SECONDS)).as("a renewal under way").isTrue();
        assertThat(kept.releaseAll()).containsExactly(ROOM);
        kept.touch(MARKER);
        assertThat(nextTick.await(10, TimeUnit.SECONDS)).as("the racing tick over").isTrue();
        assertThat(leases.owner(ROOM)).as("the lease, after the release").isEmpty();
        assertThat(kept.holds(ROOM)).isFalse();
      } finally {
        kept.close();
      }
    }
  }

  private static void awaitGone(RoomLease leases) {
    long end = System.nanoTime() + HOLD.toNanos();
    while (leases.owner(ROOM).isPresent() && System.nanoTime() < end) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
