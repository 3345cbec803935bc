package eu.visio.server;

import eu.visio.server.cluster.ClusterNode;
import eu.visio.signal.livekit.LiveKitRooms;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draining this server before it stops (a rolling upgrade, a node taken out): from the moment it
 * starts, {@code /readyz} answers 503 (a load balancer stops sending new connections) and no new
 * participant is hosted here. In a cluster the node says it drains (placement puts no new room
 * here) and gives up its rooms' leases; alone, it keeps nothing. Then every participant it hosts is
 * told to join again in full (LiveKit's LeaveRequest RECONNECT) and leaves its room: livekit-client
 * rejoins at once, through placement on another node, or with backoff until this server is back. A
 * participant whose signalling had dropped (waiting to resume, which a draining server refuses)
 * cannot be told anything: it leaves at once rather than at the end of its resume window, and its
 * client's resume here is answered as any resume of an unknown session (join again in full). Once
 * nobody is hosted here (or at the deadline), the signalling it relays to other nodes is handed off
 * (those clients resume through another node; their home keeps their session), and the drain is
 * done: the server may stop with no meeting lost.
 *
 * <p>Started by SIGTERM ({@code Main}'s shutdown hook, bounded by {@code drain_timeout}) or by an
 * operator ({@code POST /admin/drain}). Runs once, on its own thread.
 */
public final class Drain {
  private static final Logger log = LoggerFactory.getLogger(Drain.class);

  /** How long a drain waits for participants to leave, unless told otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** Where a drain stands, as {@code GET /admin/drain} reports it. */
  public record Status(boolean draining, boolean done, int participants, int relayed) {}

  private final LiveKitRooms rooms;
  private final ClusterNode cluster;
  private final CompletableFuture<Void> done = new CompletableFuture<>();
  private volatile RtcRoutes rtc;
  private volatile boolean draining;

  /**
   * @param cluster this node's cluster, or null for a single node
   */
  Drain(LiveKitRooms rooms, ClusterNode cluster) {
    this.rooms = rooms;
    this.cluster = cluster;
  }

  /** The signalling routes whose participants a drain sends on. */
  void attach(RtcRoutes routes) {
    this.rtc = routes;
  }

  public boolean draining() {
    return draining;
  }

  public Status status() {
    RtcRoutes r = rtc;
    return new Status(
        draining, done.isDone(), rooms.stats().participants(), r == null ? 0 : r.relayedNow());
  }

  /**
   * Starts draining (the first call; later ones only return the same future), waiting at most
   * {@code timeout} for participants to leave.
   *
   * @return completes once drained
   */
  public synchronized CompletableFuture<Void> start(Duration timeout) {
    if (draining) {
      return done;
    }
    draining = true;
    Thread.ofPlatform().name("visio-drain").daemon().start(() -> run(timeout));
    return done;
  }

  private void run(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      int hosted = rooms.stats().participants();
      rooms.drain(); // those whose signalling dropped cannot be told: they leave now
      int rooms0 = 0;
      if (cluster != null) {
        rooms0 = cluster.drain().size(); // its handler sends the rooms' participants on
      }
      RtcRoutes r = rtc;
      if (r != null) {
        r.sendEveryoneOn(); // alone, or anyone left in a cluster
      }
      log.info(
          "draining: {} room(s) given up, {} participant(s) sent on; waiting up to {} s",
          rooms0,
          hosted,
          timeout.toSeconds());
      while (rooms.stats().participants() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      int left = rooms.stats().participants();
      int handedOff = r == null ? 0 : r.handOffRelays();
      log.info(
          "drained: {} participant(s) still here, {} relayed session(s) handed off",
          left,
          handedOff);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("draining failed; the server stops anyway", e);
    } finally {
      done.complete(null);
    }
  }
}
