package eu.visio.sfu.layer;

/**
 * Maps a wrapping counter of one source stream (RTP sequence numbers, VP8 picture ids, TL0PICIDX)
 * onto the counter a subscriber sees, so that what we deliberately drop leaves no gap, while what
 * the network lost still does (the subscriber must NACK it, and its late arrival must land in its
 * own slot).
 *
 * <p>The mapping is {@code out(x) = x + base + D(x)}, where {@code D(x)} is the number of inputs
 * dropped after {@code x} and up to the newest input seen. Dropping a new input moves {@code base}
 * back by one: later inputs close up, earlier ones (still in flight, reordered) keep their slot.
 * Drops are remembered in a bitmap over the last {@code window} inputs; older inputs are refused.
 * This is the scheme of mediasoup's {@code SeqManager} (its dropped-input set), held in primitives.
 *
 * <p>A drop can only be absorbed while no newer input has been forwarded: once the subscriber has
 * seen a later output, the dropped input's slot is fixed and becomes a gap ({@link #drop} returns
 * false). With whole-frame decisions made in order this happens only to reordered packets.
 *
 * <p>{@link #switchTo} starts a new source (a simulcast layer switch, a publisher reconnect): its
 * first input maps to the output right after the last one, and inputs older than it are refused.
 * Only the current source's inputs may be fed in; the others belong to another number space.
 *
 * <p>Not thread-safe: owned by one media loop. No allocation after construction.
 */
public final class SequenceRewriter {
  /** Returned for an input that must not be sent: dropped before, too old, or before the start. */
  public static final int REJECTED = -1;

  private final int mask;
  private final int half;
  private final int window;
  private final long[] dropped;

  private boolean started;
  private int maxIn;
  private int base;
  private boolean forwardedAny;
  private int maxForwardedIn;
  private boolean floorActive;
  private int sinceFloor;

  private long forwardedCount;
  private long droppedCount;
  private long rejectedCount;
  private long gapCount;

  /**
   * A rewriter for a {@code bits}-wide counter, remembering drops over the last {@code window}
   * inputs: a power of two of at most half the number space.
   */
  public SequenceRewriter(int bits, int window) {
    if (bits < 2 || bits > 30) {
      throw new IllegalArgumentException("bits " + bits);
    }
    if (Integer.bitCount(window) != 1 || window > (1 << (bits - 1))) {
      throw new IllegalArgumentException("window " + window + " for " + bits + " bits");
    }
    this.mask = (1 << bits) - 1;
    this.half = 1 << (bits - 1);
    this.window = window;
    this.dropped = new long[Math.max(1, window >>> 6)];
  }

  /** RTP sequence numbers, with a reorder window of 1,024 packets (about a second of HD video). */
  public static SequenceRewriter rtp() {
    return new SequenceRewriter(16, 1024);
  }

  /**
   * Output for a forwarded input, or {@link #REJECTED} when it must not be sent: it was dropped
   * earlier, it is older than the window, or older than the start of the current source. Before any
   * {@link #switchTo}, the first input starts an identity mapping.
   */
  public int forward(int in) {
    in &= mask;
    if (!started) {
      start(in, in);
    }
    int d = diff(in, maxIn);
    int out;
    if (d > 0) {
      advance(in, d);
      out = (in + base) & mask;
    } else {
      if (-d >= window || (floorActive && -d > sinceFloor) || isDropped(in)) {
        rejectedCount++;
        return REJECTED;
      }
      out = (in + base + countDropped((in + 1) & (window - 1), -d)) & mask;
    }
    if (!forwardedAny || diff(in, maxForwardedIn) > 0) {
      forwardedAny = true;
      maxForwardedIn = in;
    }
    forwardedCount++;
    return out;
  }

  /**
   * Records an input we chose not to send, so later outputs close up. Idempotent. Returns false
   * when its slot could not be taken back (a newer input was already forwarded, or it is older than
   * the window): the subscriber sees a gap there.
   */
  public boolean drop(int in) {
    if (!started) {
      return true; // the mapping starts at the first forwarded input: nothing to close
    }
    in &= mask;
    int d = diff(in, maxIn);
    if (d > 0) {
      advance(in, d);
    } else {
      if (floorActive && -d > sinceFloor && -d < window) {
        return true; // before the start of this source: it never had a slot
      }
      if (-d >= window) {
        gapCount++;
        return false;
      }
      if (isDropped(in)) {
        return true;
      }
      if (forwardedAny && diff(in, maxForwardedIn) <= 0) {
        gapCount++;
        return false;
      }
    }
    int pos = in & (window - 1);
    dropped[pos >>> 6] |= 1L << (pos & 63);
    base--;
    droppedCount++;
    return true;
  }

  /**
   * Starts a new source whose first input is {@code firstIn}; it maps to the output after the last
   * one (or to itself when nothing was seen yet).
   */
  public void switchTo(int firstIn) {
    firstIn &= mask;
    start(firstIn, started ? nextOutput() : firstIn);
  }

  /** Starts a new source whose first input {@code firstIn} maps to {@code firstOut}. */
  public void switchTo(int firstIn, int firstOut) {
    start(firstIn & mask, firstOut & mask);
  }

  /** The output the next new input would get: one after the newest output slot. */
  public int nextOutput() {
    return (maxIn + base + 1) & mask;
  }

  /**
   * The input that was sent as {@code out} (to answer a NACK from the packet history), or {@link
   * #REJECTED} when {@code out} is not a forwarded slot of the current source within the window.
   * Costs up to one step per input in the window; not for every packet.
   */
  public int inputOf(int out) {
    if (!started) {
      return REJECTED;
    }
    out &= mask;
    // Walk back from the newest input: the slot of y-1 is one before y's unless y was dropped.
    int y = maxIn;
    int slot = (maxIn + base) & mask;
    int limit = floorActive ? Math.min(window, sinceFloor + 1) : window;
    for (int i = 0; i < limit; i++) {
      int ahead = diff(slot, out);
      if (ahead < 0) {
        break;
      }
      boolean wasDropped = isDropped(y);
      if (!wasDropped && ahead == 0) {
        return y;
      }
      if (!wasDropped) {
        slot = (slot - 1) & mask;
      }
      y = (y - 1) & mask;
    }
    return REJECTED;
  }

  /** Whether an input has been seen (forwarded or dropped) since the start. */
  public boolean started() {
    return started;
  }

  /** The newest input seen (forwarded or dropped). */
  public int newestInput() {
    return maxIn;
  }

  /** Number of inputs forwarded, including duplicates. */
  public long forwardedCount() {
    return forwardedCount;
  }

  /** Number of drops whose slot was taken back. */
  public long droppedCount() {
    return droppedCount;
  }

  /** Number of inputs refused by {@link #forward}. */
  public long rejectedCount() {
    return rejectedCount;
  }

  /** Number of drops that left a gap. */
  public long gapCount() {
    return gapCount;
  }

  private void start(int firstIn, int firstOut) {
    started = true;
    maxIn = (firstIn - 1) & mask;
    base = firstOut - firstIn;
    java.util.Arrays.fill(dropped, 0L);
    forwardedAny = false;
    floorActive = true;
    sinceFloor = -1;
  }

  /** Slides the window so {@code in}, {@code d} ahead of the newest input, becomes the newest. */
  private void advance(int in, int d) {
    if (d >= window) {
      java.util.Arrays.fill(dropped, 0L);
    } else {
      for (int k = 1; k <= d; k++) {
        int pos = (maxIn + k) & (window - 1);
        dropped[pos >>> 6] &= ~(1L << (pos & 63));
      }
    }
    maxIn = in;
    if (floorActive) {
      sinceFloor += d;
      if (sinceFloor >= window) {
        floorActive = false;
      }
    }
  }

  private boolean isDropped(int in) {
    int pos = in & (window - 1);
    return (dropped[pos >>> 6] & (1L << (pos & 63))) != 0;
  }

  /** Dropped inputs among {@code n} window positions starting at {@code from}, circularly. */
  private int countDropped(int from, int n) {
    int total = 0;
    int pos = from;
    while (n > 0) {
      int bit = pos & 63;
      int take = Math.min(n, Math.min(64 - bit, window - pos));
      long m = take == 64 ? -1L : ((1L << take) - 1) << bit;
      total += Long.bitCount(dropped[pos >>> 6] & m);
      n -= take;
      pos += take;
      if (pos == window) {
        pos = 0;
      }
    }
    return total;
  }

  /** Signed distance from {@code b} to {@code a} in the counter's space: positive when newer. */
  private int diff(int a, int b) {
    int d = (a - b) & mask;
    return d >= half ? d - mask - 1 : d;
  }
}
