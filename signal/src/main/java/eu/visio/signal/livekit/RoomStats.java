package eu.visio.signal.livekit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Live counts over every LiveKit room, kept up to date by the rooms' workers, and where join
 * latencies go (the metrics' histogram). Read from any thread.
 */
public final class RoomStats {
  final AtomicInteger participants = new AtomicInteger();
  final AtomicInteger publications = new AtomicInteger();
  final AtomicInteger subscriptions = new AtomicInteger();
  final java.util.concurrent.atomic.AtomicLong relaysOnDemand =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile LongConsumer joinLatency = nanos -> {};

  public int participants() {
    return participants.get();
  }

  public int publications() {
    return publications.get();
  }

  public int subscriptions() {
    return subscriptions.get();
  }

  /**
   * Participants asked to resume with the relays held back, because none of their peer connections
   * was reached directly ({@link RelayOnDemand}).
   */
  public long relaysOnDemand() {
    return relaysOnDemand.get();
  }

  /** Receives, per participant, the nanoseconds from its signalling connection to media up. */
  public void onJoinLatency(LongConsumer consumer) {
    this.joinLatency = consumer;
  }

  void joined(long nanos) {
    joinLatency.accept(nanos);
  }
}
