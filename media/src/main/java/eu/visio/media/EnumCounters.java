package eu.visio.media;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Lock-free counters of events keyed by an enum, one per constant: what the drop counters of the
 * media path and the failover decisions of a node count. {@link #increment} allocates nothing, so
 * it may run per packet; every method is safe from any thread.
 *
 * @param <E> the kind of event counted
 */
@SuppressWarnings("EnumOrdinal") // one counter per constant, indexed as EnumMap does
public final class EnumCounters<E extends Enum<E>> {
  private final E[] keys;
  private final AtomicLongArray counts;

  public EnumCounters(Class<E> type) {
    this.keys = type.getEnumConstants();
    this.counts = new AtomicLongArray(keys.length);
  }

  /** Counts one {@code key}. */
  public void increment(E key) {
    counts.incrementAndGet(key.ordinal());
  }

  /** How many times {@code key} was counted. */
  public long get(E key) {
    return counts.get(key.ordinal());
  }

  /** The sum of every counter (each read once, so not a snapshot while others count). */
  public long total() {
    long sum = 0;
    for (int i = 0; i < keys.length; i++) {
      sum += counts.get(i);
    }
    return sum;
  }

  /** The counters that are not zero, as {@code {KEY=n, ...}}. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("{");
    for (E key : keys) {
      long n = counts.get(key.ordinal());
      if (n > 0) {
        if (s.length() > 1) {
          s.append(", ");
        }
        s.append(key).append('=').append(n);
      }
    }
    return s.append('}').toString();
  }
}
