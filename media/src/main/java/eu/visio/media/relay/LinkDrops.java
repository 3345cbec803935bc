package eu.visio.media.relay;

import java.util.concurrent.atomic.AtomicLongArray;

/** Lock-free counters of a link's drops, one per {@link LinkDropReason}. Safe from any thread. */
public final class LinkDrops {
  private static final LinkDropReason[] REASONS = LinkDropReason.values();
  private final AtomicLongArray counts = new AtomicLongArray(REASONS.length);

  public void drop(LinkDropReason reason) {
    counts.incrementAndGet(reason.ordinal());
  }

  public long count(LinkDropReason reason) {
    return counts.get(reason.ordinal());
  }

  public long total() {
    long sum = 0;
    for (int i = 0; i < REASONS.length; i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("LinkDrops{");
    for (LinkDropReason r : REASONS) {
      long n = counts.get(r.ordinal());
      if (n > 0) {
        s.append(r).append('=').append(n).append(' ');
      }
    }
    return s.append('}').toString();
  }
}
