package eu.visio.server.cluster;

import eu.visio.signal.cluster.ClusterUnavailableException;
import eu.visio.signal.cluster.RoomSidStore;
import eu.visio.signal.livekit.LiveKitRooms;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms' sids as this node takes part in them: a room created here takes the sid its other
 * nodes use ({@link RoomSidStore#adopt}), each room living here is kept up every heartbeat, and a
 * room that ends here says so, so that the room's next life gets a new sid. A part created while
 * Redis could not answer has a sid of its own; its next keep finds the cluster's and takes it.
 *
 * <p>One thread talks to Redis about sids, in order: a part's end is told before a later creation
 * of the same room here asks for its sid (a room left and joined again at once is a new life if
 * nobody else kept it going), and a keep never runs after the end of the part it keeps. Rooms never
 * wait for it: a creation waits for its answer on the joining request's thread, and without one
 * (Redis unreachable) the room takes the sid drawn here.
 */
final class SharedRoomSids implements LiveKitRooms.RoomSids, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SharedRoomSids.class);

  /** How long a creation waits for the cluster's answer (the Redis command timeout). */
  static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(2);

  private final RoomSidStore store;
  private final String node;
  private final LiveKitRooms rooms;
  private final ScheduledExecutorService thread =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("visio-room-sids").unstarted(r));
  private final ScheduledFuture<?> keeping;
  // Keeps queued and not yet run: a pass is skipped while the last one is still under way (a
  // Redis that hangs must not let them pile up).
  private final java.util.concurrent.atomic.AtomicInteger keepsQueued =
      new java.util.concurrent.atomic.AtomicInteger();

  SharedRoomSids(RoomSidStore store, String node, LiveKitRooms rooms, Duration period) {
    this.store = store;
    this.node = node;
    this.rooms = rooms;
    long ms = period.toMillis();
    keeping = thread.scheduleAtFixedRate(this::keepAll, ms, ms, TimeUnit.MILLISECONDS);
  }

  @Override
  public String sidFor(String room, String fresh) {
    java.util.concurrent.Future<String> answer;
    try {
      answer = thread.submit(() -> store.adopt(room, node, fresh));
    } catch (RejectedExecutionException e) { // closing
      return fresh;
    }
    try {
      return answer.get(ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      answer.cancel(false); // not adopted later under a sid this part does not use
      log.warn(
          "cluster: room {} takes sid {} of its own: the cluster's could not be had ({})",
          room,
          fresh,
          e instanceof ExecutionException x ? x.getCause().getMessage() : "no answer in time");
      return fresh;
    } catch (InterruptedException e) {
      answer.cancel(false);
      Thread.currentThread().interrupt();
      return fresh;
    }
  }

  @Override
  public void ended(String room, String sid) {
    run(
        () -> {
          if (store.leave(room, node, sid)) {
            log.debug("cluster: room {} sid {} ended cluster-wide", room, sid);
          }
        },
        room);
  }

  /** Keeps every room living here; each one its own task, so that creations pass in between. */
  private void keepAll() {
    if (keepsQueued.get() > 0) {
      return;
    }
    for (Map.Entry<String, String> e : rooms.roomSids().entrySet()) {
      String room = e.getKey();
      String sid = e.getValue();
      keepsQueued.incrementAndGet();
      run(
          () -> {
            keepsQueued.decrementAndGet();
            if (!sid.equals(rooms.sidOf(room))) {
              return; // it ended since (its end is told, or queued after this)
            }
            String current = store.keep(room, node, sid);
            if (!current.equals(sid)) {
              // This part was created while the cluster could not be asked (or outlived its entry
              // in an outage while the others went on): one meeting, so it takes the cluster's
              // name, and is counted under it from the next keep.
              log.warn(
                  "cluster: room {} is {} here but {} in the cluster: taking the cluster's",
                  room,
                  sid,
                  current);
              rooms.adoptSid(room, sid, current);
            }
          },
          room);
    }
  }

  private void run(Runnable task, String room) {
    try {
      thread.execute(
          () -> {
            try {
              task.run();
            } catch (ClusterUnavailableException e) {
              // The parts' entries outlive a short outage; the next keep sets them again.
              log.debug("cluster: room {} sid not told: {}", room, e.getMessage());
            } catch (RuntimeException e) { // a bug must not stop the keeping of the others
              log.error("cluster: room {} sid upkeep failed", room, e);
            }
          });
    } catch (RejectedExecutionException e) {
      // closed: the entries expire
    }
  }

  @Override
  public void close() {
    keeping.cancel(false);
    thread.shutdownNow();
  }
}
