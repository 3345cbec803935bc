package eu.visio.media.turn;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free counters of the TURN server: refusals and drops by {@link TurnReason}, and a few gauges
 * and totals for metrics. Safe from any thread.
 */
public final class TurnCounters {
  private static final TurnReason[] REASONS = TurnReason.values();
  private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);
  private final AtomicLong allocationsCreated = new AtomicLong();
  private final AtomicLong toPeer = new AtomicLong();
  private final AtomicLong toClient = new AtomicLong();

  void add(TurnReason reason) {
    counts.incrementAndGet(reason.ordinal());
  }

  public long count(TurnReason reason) {
    return counts.get(reason.ordinal());
  }

  /** Sum over every reason. */
  public long total() {
    long sum = 0;
    for (int i = 0; i < REASONS.length; i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  void allocationCreated() {
    allocationsCreated.incrementAndGet();
  }

  /** Allocations created since start. */
  public long allocationsCreated() {
    return allocationsCreated.get();
  }

  void relayedToPeer() {
    toPeer.incrementAndGet();
  }

  void relayedToClient() {
    toClient.incrementAndGet();
  }

  /** Datagrams sent from a relay socket to a peer since start. */
  public long packetsToPeers() {
    return toPeer.get();
  }

  /** Datagrams from peers delivered to clients (Data indication or ChannelData) since start. */
  public long packetsToClients() {
    return toClient.get();
  }
}
