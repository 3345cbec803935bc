package eu.visio.media.srtp;

/**
 * Sliding replay window over packet indices (RFC 3711 §3.3.2): the highest index accepted and a
 * 64-bit bitmap of the 64 indices at and below it. Checking never mutates; only an authenticated
 * packet is {@linkplain #accept accepted}.
 */
final class ReplayWindow {
  /** Window size in packets, the minimum RFC 3711 §3.3.2 asks for. */
  static final int SIZE = 64;

  private long highest = -1;

  /** Bit {@code d} set: index {@code highest - d} was received. */
  private long seen;

  /** True when {@code index} is neither already received nor left behind by the window. */
  boolean isFresh(long index) {
    if (index > highest) {
      return true;
    }
    long delta = highest - index;
    return delta < SIZE && (seen & (1L << delta)) == 0;
  }

  /** Records an authenticated index (callers have checked {@link #isFresh}). */
  void accept(long index) {
    if (index > highest) {
      long shift = index - highest;
      seen = shift >= SIZE ? 1L : (seen << shift) | 1L;
      highest = index;
    } else {
      seen |= 1L << (highest - index);
    }
  }

  long highest() {
    return highest;
  }
}
