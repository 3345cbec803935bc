package eu.visio.meet.abuse;

import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A per-client limit on one kind of request (creating rooms, knocking at lobbies, sending
 * invitations): each client has a token bucket of {@code burst} requests refilled at {@code
 * perMinute}. Clients are keyed by what identifies them best (a signed-in user's id, else the
 * address the request came from).
 *
 * <p>Bounded: it remembers at most {@code maxClients} clients, dropping the least recently seen, so
 * a flood of distinct addresses costs memory once and not forever (a forgotten client starts with a
 * full bucket, which costs an attacker who rotates addresses nothing they did not already have).
 * Thread-safe.
 */
public final class ClientRateLimit {
  private static final class Bucket {
    double tokens;
    long lastNanos;
  }

  private final Clock clock;
  private final double burst;
  private final double perNano;
  private final int maxClients;
  private final Map<String, Bucket> buckets;

  public ClientRateLimit(Clock clock, int burst, int perMinute, int maxClients) {
    if (burst < 1 || perMinute < 1 || maxClients < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.clock = clock;
    this.burst = burst;
    this.perNano = perMinute / (double) Duration.ofMinutes(1).toNanos();
    this.maxClients = maxClients;
    this.buckets = new LinkedHashMap<>(16, 0.75f, true); // access order: least recent first
  }

  /** Whether {@code client} may make one more request now (and counts it if so). */
  public synchronized boolean allow(String client) {
    long now = nanos();
    Bucket b = buckets.get(client);
    if (b == null) {
      if (buckets.size() >= maxClients) {
        Iterator<Bucket> oldest = buckets.values().iterator();
        oldest.next();
        oldest.remove();
      }
      b = new Bucket();
      b.tokens = burst;
      b.lastNanos = now;
      buckets.put(client, b);
    }
    b.tokens = Math.min(burst, b.tokens + (now - b.lastNanos) * perNano);
    b.lastNanos = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return true;
    }
    return false;
  }

  /** Seconds until {@code client} may try again (for a Retry-After header); 0 if it may now. */
  public synchronized long retryAfterSeconds(String client) {
    Bucket b = buckets.get(client);
    if (b == null) {
      return 0;
    }
    double tokens = Math.min(burst, b.tokens + (nanos() - b.lastNanos) * perNano);
    return tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perNano / 1e9);
  }

  synchronized int clients() {
    return buckets.size();
  }

  private long nanos() {
    java.time.Instant i = clock.instant();
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }
}
