package eu.visio.media.net;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} concurrent holders per source address: the connections one address may have
 * open before they have shown what they are for (ICE-TCP before its first check routes it; a
 * connection on the TLS port before its protocol is known). One host opening thousands of silent
 * connections then costs us {@code limit} sockets and timers, not thousands; everyone else is
 * unaffected. Thread-safe; entries disappear when their count returns to zero.
 */
public final class SourceCap {
  /** The default: well above what one browser (or a NAT with a few) opens at once. */
  public static final int DEFAULT_LIMIT = 32;

  private final int limit;
  private final ConcurrentHashMap<InetAddress, Integer> held = new ConcurrentHashMap<>();

  public SourceCap(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** Takes one place for {@code source}; false (and nothing taken) if it holds all of them. */
  public boolean tryAcquire(InetAddress source) {
    boolean[] taken = {false};
    held.compute(
        source,
        (a, n) -> {
          int now = n == null ? 0 : n;
          if (now >= limit) {
            return n;
          }
          taken[0] = true;
          return now + 1;
        });
    return taken[0];
  }

  /** Gives back one place taken by {@link #tryAcquire}. */
  public void release(InetAddress source) {
    held.computeIfPresent(source, (a, n) -> n <= 1 ? null : n - 1);
  }

  /** Places {@code source} holds now. */
  public int held(InetAddress source) {
    return held.getOrDefault(source, 0);
  }

  /** Addresses holding at least one place (to see that released places do not linger). */
  public int sources() {
    return held.size();
  }

  public int limit() {
    return limit;
  }
}
