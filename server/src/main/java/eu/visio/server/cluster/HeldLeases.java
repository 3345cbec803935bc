package eu.visio.server.cluster;

import eu.visio.signal.cluster.ClusterUnavailableException;
import eu.visio.signal.cluster.Lease;
import eu.visio.signal.cluster.RoomLease;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leases of the rooms that live on this node: renewed every heartbeat period while the room
 * lives here, released once it is empty. A lease lasts one node TTL, so a node that dies frees its
 * rooms within it.
 *
 * <p>A room is empty when {@link eu.visio.signal.livekit.LiveKitRooms#hosts} says so, but a join
 * may be between placement and the room (the lease claimed by another node for this one, its
 * relayed connection not here yet, or a join asking Redis now): a room touched within the last node
 * TTL is kept. Renewals run on their own thread; while Redis is unreachable they fail and are tried
 * again, and the rooms go on (media does not depend on Redis). A renewal that finds another node
 * holding the lease ({@code LOST}: that node found this one dead, or took the room after this one's
 * lease lapsed) drops the room and reports it, so that its participants here are sent on to the
 * holder: the lease decides where a room lives.
 */
final class HeldLeases implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeldLeases.class);

  /** A room this node holds (lease set) or is about to (a join asking where it lives). */
  private static final class Held {
    volatile Lease lease;
    volatile long touched;

    Held(long touched) {
      this.touched = touched;
    }
  }

  private final RoomLease leases;
  private final Predicate<String> hosted;
  private final Duration period;
  private final long graceNanos;
  private final Consumer<String> lost;
  private final Map<String, Held> rooms = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  /**
   * @param lost called (on the renewal thread) with a room whose lease another node took: this node
   *     must stop serving it
   */
  HeldLeases(
      RoomLease leases,
      Predicate<String> hosted,
      Duration period,
      Duration grace,
      Consumer<String> lost) {
    this.leases = leases;
    this.hosted = hosted;
    this.period = period;
    this.graceNanos = grace.toNanos();
    this.lost = lost;
  }

  synchronized void start() {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("visio-cluster-leases").unstarted(r));
    long ms = period.toMillis();
    timer.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** A join for {@code room} is asking where it lives. */
  void touch(String room) {
    long now = System.nanoTime();
    rooms.compute(
        room,
        (r, h) -> {
          Held held = h == null ? new Held(now) : h;
          held.touched = now;
          return held;
        });
  }

  /** The room lives here under {@code lease}. */
  void hold(Lease lease) {
    long now = System.nanoTime();
    rooms.compute(
        lease.room(),
        (r, h) -> {
          Held held = h == null ? new Held(now) : h;
          Lease current = held.lease;
          if (current == null || lease.epoch() >= current.epoch()) {
            held.lease = lease;
          }
          held.touched = now;
          return held;
        });
  }

  /** The room lives elsewhere. */
  void forget(String room) {
    rooms.remove(room);
  }

  /** Whether this node holds {@code room}'s lease, as far as it knows (no Redis asked). */
  boolean holds(String room) {
    Held h = rooms.get(room);
    return h != null && h.lease != null;
  }

  int size() {
    return (int) rooms.values().stream().filter(h -> h.lease != null).count();
  }

  /** One pass: renew what lives here, release what emptied. Runs on the timer thread. */
  void tick() {
    long now = System.nanoTime();
    for (Map.Entry<String, Held> e : rooms.entrySet()) {
      String room = e.getKey();
      Held held = e.getValue();
      try {
        if (hosted.test(room) || now - held.touched < graceNanos) {
          renew(room, held);
        } else if (rooms.remove(room, held) && held.lease != null) {
          boolean released = leases.release(held.lease);
          log.info(
              "cluster: room {} emptied, lease (epoch {}) {}",
              room,
              held.lease.epoch(),
              released ? "released" : "was no longer ours");
        }
      } catch (ClusterUnavailableException ex) {
        // Tried again next period; the lease outlives a short outage, and renewal then says
        // whether it is still ours.
        log.debug("cluster: room {} lease not renewed: {}", room, ex.getMessage());
      } catch (RuntimeException ex) { // a bug must not stop the timer and let every lease lapse
        log.error("cluster: room {} lease upkeep failed", room, ex);
      }
    }
  }

  private void renew(String room, Held held) {
    Lease lease = held.lease;
    if (lease == null) {
      return; // a join is asking where the room lives
    }
    RoomLease.Renewal r = leases.renew(lease);
    switch (r.status()) {
      case RENEWED -> {}
      case REACQUIRED -> held.lease = r.lease();
      case LOST -> {
        // Another node took the room (it found this one dead, wrongly, or this one's lease lapsed
        // through a Redis outage): two homes must not both serve it, and the lease decides.
        if (rooms.remove(room, held)) {
          lost.accept(room);
        }
      }
    }
  }

  /** Stops renewing and releases every lease held (best effort: else they expire). */
  @Override
  public synchronized void close() {
    if (timer != null) {
      timer.shutdownNow();
      try {
        timer.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      timer = null;
    }
    releaseAll();
  }

  /**
   * Releases every lease held (best effort: one Redis cannot take expires) and forgets the rooms,
   * so that placement may put them elsewhere at once; returns the rooms that were held.
   */
  List<String> releaseAll() {
    ScheduledExecutorService t;
    synchronized (this) {
      t = timer;
    }
    if (t == null) {
      return releaseAllNow();
    }
    // On the timer thread, between two ticks: a renewal in flight would otherwise take a lease
    // back (REACQUIRED) just after it was released, into an entry no longer kept, and the room
    // could not be placed elsewhere until that lease lapsed.
    try {
      return t.submit(this::releaseAllNow).get();
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return List.of(); // closed meanwhile: close() released them
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("cluster: giving up the leases failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  private List<String> releaseAllNow() {
    List<String> released = new ArrayList<>();
    for (Map.Entry<String, Held> e : rooms.entrySet()) {
      Lease lease = e.getValue().lease;
      if (lease != null && rooms.remove(e.getKey(), e.getValue())) {
        released.add(e.getKey());
        try {
          leases.release(lease);
        } catch (ClusterUnavailableException ex) {
          log.info("cluster: room {} lease left to expire: {}", lease.room(), ex.getMessage());
        }
      }
    }
    rooms.clear();
    return released;
  }
}
