package eu.visio.sfu.cc;

/**
 * The fate of the packets one transport-cc feedback reported, joined with what the {@link
 * TransportSequencer} remembers of them: one row per packet, in sequence order as the feedback
 * listed them. Preallocated parallel arrays reused for every feedback; rows past {@link #count()}
 * are stale.
 *
 * <p>Arrival times are on the receiver's clock (only differences between them mean anything); send
 * times on ours.
 */
public final class PacketResults {
  /** Arrival time of a packet the receiver reported as not received. */
  public static final long LOST = Long.MIN_VALUE;

  private final long[] sequence;
  private final long[] sendNanos;
  private final long[] arrivalNanos;
  private final int[] size;
  private final boolean[] probe;
  private int count;

  PacketResults(int capacity) {
    sequence = new long[capacity];
    sendNanos = new long[capacity];
    arrivalNanos = new long[capacity];
    size = new int[capacity];
    probe = new boolean[capacity];
  }

  void clear() {
    count = 0;
  }

  boolean full() {
    return count == sequence.length;
  }

  void add(long seq, long send, long arrival, int bytes, boolean isProbe) {
    sequence[count] = seq;
    sendNanos[count] = send;
    arrivalNanos[count] = arrival;
    size[count] = bytes;
    probe[count] = isProbe;
    count++;
  }

  /** Rows filled by the last feedback. */
  public int count() {
    return count;
  }

  /** Extended transport-wide sequence number of row {@code i}. */
  public long sequence(int i) {
    return sequence[i];
  }

  public long sendNanos(int i) {
    return sendNanos[i];
  }

  /** Arrival on the receiver's clock in nanoseconds, or {@link #LOST}. */
  public long arrivalNanos(int i) {
    return arrivalNanos[i];
  }

  public boolean lost(int i) {
    return arrivalNanos[i] == LOST;
  }

  public int size(int i) {
    return size[i];
  }

  public boolean probe(int i) {
    return probe[i];
  }
}
