package eu.visio.signal.livekit;

import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.sfu.Publisher;
import eu.visio.sfu.WorkerContext;
import eu.visio.sfu.layer.ForwardDrops;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The LiveKit rooms living on one media worker, and that worker's clocks for them: {@link
 * LiveKitRoom#tick} every {@link Publisher#TICK_NANOS}, reports every second. Touched only on the
 * worker's thread.
 */
final class RoomWorker {
  final MediaWorker worker;
  final WorkerContext context;
  private final Set<LiveKitRoom> rooms = new LinkedHashSet<>();
  private final ScheduledFuture<?> ticks;
  private final ScheduledFuture<?> reports;

  RoomWorker(MediaWorker worker) {
    this.worker = worker;
    this.context =
        new WorkerContext(
            worker.drops(),
            new ForwardDrops(),
            new byte[UdpMediaPort.MAX_DATAGRAM + SrtpSession.MAX_RTCP_OVERHEAD]);
    this.ticks = worker.scheduleAtFixedRate(this::tick, Publisher.TICK_NANOS, TimeUnit.NANOSECONDS);
    this.reports = worker.scheduleAtFixedRate(this::sendReports, 1, TimeUnit.SECONDS);
  }

  void add(LiveKitRoom room) {
    rooms.add(room);
  }

  void remove(LiveKitRoom room) {
    rooms.remove(room);
  }

  private void tick() {
    long now = System.nanoTime();
    // A copy: a tick may end a room (its last participant timed out).
    for (LiveKitRoom r : new ArrayList<>(rooms)) {
      r.tick(now);
    }
  }

  private void sendReports() {
    long now = System.nanoTime();
    for (LiveKitRoom r : rooms) {
      r.sfu().sendReports(now);
    }
  }

  /** Sums over this worker's rooms; call on the worker. */
  MediaTotals totals() {
    MediaTotals t = MediaTotals.ZERO;
    for (LiveKitRoom r : rooms) {
      for (eu.visio.sfu.Participant p : r.sfu().participants()) {
        t = t.plus(MediaTotals.of(p));
      }
    }
    return t;
  }

  void close() {
    ticks.cancel(false);
    reports.cancel(false);
  }
}
