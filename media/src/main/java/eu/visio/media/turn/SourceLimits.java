package eu.visio.media.turn;

import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A token bucket per source IP address (requests, or allocation attempts), shared by the server's
 * event loops. Entries whose bucket has refilled are purged by {@link #purge}, and the table is
 * capped so a flood of spoofed sources cannot grow it without bound: past the cap a new source is
 * refused until a purge. Thread-safe.
 */
final class SourceLimits {
  static final int MAX_SOURCES = 1 << 16;

  private final double perNano;
  private final int burst;
  private final Map<InetAddress, Bucket> buckets = new ConcurrentHashMap<>();

  SourceLimits(double perSecond, int burst) {
    if (perSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate and burst must be positive");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
  }

  /** Takes one token for {@code source}; false when its bucket is empty. */
  boolean tryAcquire(InetAddress source, long nowNanos) {
    Bucket b = buckets.get(source);
    if (b == null) {
      if (buckets.size() >= MAX_SOURCES) {
        return false;
      }
      b = buckets.computeIfAbsent(source, k -> new Bucket(burst, nowNanos));
    }
    return b.take(nowNanos, perNano, burst);
  }

  /** Drops the buckets that are full again: their sources have been quiet. */
  void purge(long nowNanos) {
    buckets.values().removeIf(b -> b.isFull(nowNanos, perNano, burst));
  }

  int size() {
    return buckets.size();
  }

  private static final class Bucket {
    private double tokens;
    private long last;

    Bucket(int burst, long now) {
      this.tokens = burst;
      this.last = now;
    }

    synchronized boolean take(long now, double perNano, int burst) {
      refill(now, perNano, burst);
      if (tokens < 1) {
        return false;
      }
      tokens -= 1;
      return true;
    }

    synchronized boolean isFull(long now, double perNano, int burst) {
      refill(now, perNano, burst);
      return tokens >= burst;
    }

    private void refill(long now, double perNano, int burst) {
      long elapsed = now - last;
      if (elapsed > 0) {
        tokens = Math.min(burst, tokens + elapsed * perNano);
        last = now;
      }
    }
  }
}
