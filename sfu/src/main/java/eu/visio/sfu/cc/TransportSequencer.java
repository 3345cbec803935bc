package eu.visio.sfu.cc;

/**
 * Send side of transport-wide congestion control for one subscriber transport
 * (draft-holmer-rmcat-transport-wide-cc-extensions-01 §2): numbers every packet we send on the
 * transport, media, RTX and padding alike, and remembers when it left and how big it was, so that
 * the receiver's feedback can be joined with it later ({@link FeedbackAdapter}).
 *
 * <p>The number is 16-bit on the wire and extended (never wraps) here. History is a preallocated
 * power-of-two ring indexed by the extended number: a packet stays known for {@code capacity}
 * packets after it was sent (8192 covers several seconds at tens of Mbit/s, far longer than
 * feedback takes). {@link #next} does not allocate.
 *
 * <p>Owned by the transport's media loop; not thread-safe.
 */
public final class TransportSequencer {
  /** Default history length in packets. */
  public static final int DEFAULT_CAPACITY = 8192;

  static final byte PROBE = 1;
  static final byte REPORTED_RECEIVED = 2;
  static final byte REPORTED_LOST = 4;

  private final int mask;
  private final long[] extended;
  private final long[] sendNanos;
  private final int[] sizes;
  private final byte[] flags;
  private long nextExtended;
  private final long firstExtended;

  /** A sequencer with {@link #DEFAULT_CAPACITY} history starting at sequence number 0. */
  public TransportSequencer() {
    this(DEFAULT_CAPACITY, 0);
  }

  /**
   * @param capacity history length in packets, a power of two from 16 to 32768 (beyond 2^15 the
   *     16-bit feedback could no longer name a packet unambiguously)
   * @param firstSequence the 16-bit number of the first packet (browsers start anywhere; tests use
   *     this to cross the wrap)
   */
  public TransportSequencer(int capacity, int firstSequence) {
    if (capacity < 16 || capacity > 32768 || Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("capacity must be a power of two in 16..32768");
    }
    mask = capacity - 1;
    extended = new long[capacity];
    sendNanos = new long[capacity];
    sizes = new int[capacity];
    flags = new byte[capacity];
    java.util.Arrays.fill(extended, -1);
    nextExtended = firstSequence & 0xFFFF;
    firstExtended = nextExtended;
  }

  /**
   * Numbers the packet about to be sent and records it.
   *
   * @param sendNanos when it leaves, on the sender's monotonic clock
   * @param sizeBytes its size on the wire as congestion sees it (RTP header, payload, padding)
   * @param probe whether it is a probe (padding or RTX sent by the {@link Prober})
   * @return the 16-bit value to write into the transport-cc header extension
   */
  public int next(long sendNanos, int sizeBytes, boolean probe) {
    long ext = nextExtended++;
    int slot = (int) ext & mask;
    extended[slot] = ext;
    this.sendNanos[slot] = sendNanos;
    sizes[slot] = sizeBytes;
    flags[slot] = probe ? PROBE : 0;
    return (int) ext & 0xFFFF;
  }

  /**
   * Takes back {@code sequence}, numbered by {@link #next} for a packet the transport then refused
   * (SRTP or the socket): the receiver never sees it, so its feedback would report it lost and the
   * loss-based estimate would fall for a packet that never left. The newest number is handed out
   * again by the next {@link #next} (no gap on the wire); an older one is forgotten, so feedback
   * naming it is skipped as unknown ({@link FeedbackAdapter}) rather than read as loss.
   */
  public void unsent(int sequence) {
    long ext = unwrap(sequence);
    int slot = ext == Long.MIN_VALUE ? -1 : slot(ext);
    if (slot < 0) {
      return;
    }
    extended[slot] = -1;
    if (ext == nextExtended - 1) {
      nextExtended--;
    }
  }

  /** Packets numbered so far. */
  public long sent() {
    return nextExtended - firstExtended;
  }

  /** Extended number of the last packet sent, or -1 before the first. */
  public long highest() {
    return nextExtended == firstExtended ? -1 : nextExtended - 1;
  }

  /**
   * The extended number a 16-bit value from feedback stands for: the one closest to the highest
   * sent (RFC 3550 §A.1 reasoning), or {@link Long#MIN_VALUE} before anything was sent. May be
   * negative for numbers from before the first packet.
   */
  public long unwrap(int sequence) {
    long highest = highest();
    if (highest < 0) {
      return Long.MIN_VALUE;
    }
    return highest + (short) (sequence - (int) highest);
  }

  /** Ring slot holding {@code ext}, or -1 when it was never sent or has been overwritten. */
  int slot(long ext) {
    if (ext < firstExtended || ext >= nextExtended || ext < nextExtended - (mask + 1)) {
      return -1;
    }
    int slot = (int) ext & mask;
    return extended[slot] == ext ? slot : -1;
  }

  long sendNanos(int slot) {
    return sendNanos[slot];
  }

  int size(int slot) {
    return sizes[slot];
  }

  boolean probe(int slot) {
    return (flags[slot] & PROBE) != 0;
  }

  boolean hasFlag(int slot, byte flag) {
    return (flags[slot] & flag) != 0;
  }

  void setFlag(int slot, byte flag) {
    flags[slot] |= flag;
  }

  int capacity() {
    return mask + 1;
  }
}
