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

  /** Receives, per participant, the nanoseconds from its signalling connection to media up. */
  public void onJoinLatency(LongConsumer consumer) {
    this.joinLatency = consumer;
  }

  void joined(long nanos) {
    joinLatency.accept(nanos);
  }
}
