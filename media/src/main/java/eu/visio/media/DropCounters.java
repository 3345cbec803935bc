package eu.visio.media;

import java.util.concurrent.atomic.AtomicLongArray;

/** Lock-free counters of dropped packets, one per {@link DropReason}. Safe from any thread. */
public final class DropCounters {
  private static final DropReason[] REASONS = DropReason.values();
  private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

  public void drop(DropReason reason) {
    counts.incrementAndGet(reason.ordinal());
  }

  public long count(DropReason reason) {
    return counts.get(reason.ordinal());
  }

  public long total() {
    long sum = 0;
    for (int i = 0; i < REASONS.length; i++) {
      sum += counts.get(i);
    }
    return sum;
  }
}
