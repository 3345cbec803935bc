package eu.visio.loadtest.bot;

/**
 * One-way delays in 10 µs buckets up to 2 s (longer ones in the last bucket). Fixed size, so
 * recording never allocates; one per loop thread, merged at the end.
 */
public final class DelayHistogram {
  static final long BUCKET_NANOS = 10_000;
  static final int BUCKETS = 200_000;

  private final long[] counts = new long[BUCKETS];
  private long total;

  public void record(long nanos) {
    int i = (int) Math.min(BUCKETS - 1, Math.max(0, nanos / BUCKET_NANOS));
    counts[i]++;
    total++;
  }

  public long total() {
    return total;
  }

  public void clear() {
    java.util.Arrays.fill(counts, 0);
    total = 0;
  }

  public void addAll(DelayHistogram other) {
    for (int i = 0; i < BUCKETS; i++) {
      counts[i] += other.counts[i];
    }
    total += other.total;
  }

  /**
   * The delay in milliseconds under which a fraction {@code q} of the samples fall (the upper edge
   * of the bucket that holds the q-th sample), or NaN without samples.
   */
  public double quantileMillis(double q) {
    if (total == 0) {
      return Double.NaN;
    }
    long rank = Math.max(1, (long) Math.ceil(q * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return (i + 1) * BUCKET_NANOS / 1e6;
      }
    }
    return BUCKETS * BUCKET_NANOS / 1e6;
  }
}
