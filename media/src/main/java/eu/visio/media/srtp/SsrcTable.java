package eu.visio.media.srtp;

/**
 * SSRC to {@link SsrcState}, open addressing over an {@code int[]} so that a lookup neither boxes
 * nor allocates. Bounded: {@link #isFull} at the configured maximum, which caps the memory a peer
 * can make us spend (and authenticated packets only ever get here). Entries are never removed: a
 * session lives as long as its DTLS association, and its SSRC count is small.
 */
final class SsrcTable {
  private final int max;
  private final int mask;
  private final int[] keys;
  private final SsrcState[] states;
  private int size;

  SsrcTable(int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max SSRCs must be positive");
    }
    this.max = max;
    int capacity = Integer.highestOneBit(Math.max(2, max) * 2 - 1) << 1; // load factor <= 1/2
    this.mask = capacity - 1;
    this.keys = new int[capacity];
    this.states = new SsrcState[capacity];
  }

  SsrcState get(int ssrc) {
    for (int i = slot(ssrc); ; i = (i + 1) & mask) {
      SsrcState s = states[i];
      if (s == null || keys[i] == ssrc) {
        return s;
      }
    }
  }

  boolean isFull() {
    return size >= max;
  }

  /** Adds a state for an SSRC not in the table; callers checked {@link #isFull}. */
  SsrcState add(int ssrc, int firstSeq) {
    int i = slot(ssrc);
    while (states[i] != null) {
      i = (i + 1) & mask;
    }
    SsrcState s = new SsrcState(ssrc, firstSeq);
    keys[i] = ssrc;
    states[i] = s;
    size++;
    return s;
  }

  int size() {
    return size;
  }

  /** Forgets every SSRC (benchmarks replay a fixed packet set; see SrtpTestHooks). */
  void clear() {
    java.util.Arrays.fill(states, null);
    size = 0;
  }

  private int slot(int ssrc) {
    return ((ssrc * 0x9E3779B9) >>> 16) & mask; // Fibonacci hashing: SSRCs may be sequential
  }
}
