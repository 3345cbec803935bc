package eu.visio.sfu.cc;

/**
 * Rate at which the receiver got our packets (R̂ of draft-ietf-rmcat-gcc-02 §5.5), measured on
 * arrival times over a sliding {@link #WINDOW_NANOS} window: under congestion it is what the
 * bottleneck delivers, which is what the rate controller decreases from.
 *
 * <p>A preallocated ring of (arrival, size); when full, the oldest entries go first and the window
 * just gets shorter. The rate divides the bits after the first packet by the span between first and
 * last arrival, and is not reported until that span reaches {@link #MIN_SPAN_NANOS}: a handful of
 * packets arriving back to back would read as an absurd rate.
 */
final class AcknowledgedBitrate {
  static final long WINDOW_NANOS = 500_000_000;
  static final long MIN_SPAN_NANOS = 100_000_000;
  private static final int CAPACITY = 4096;

  private final long[] arrival = new long[CAPACITY];
  private final int[] size = new int[CAPACITY];
  private int head;
  private int count;
  private long bytes;
  private long newest = Long.MIN_VALUE;

  void add(long arrivalNanos, int sizeBytes) {
    if (count > 0 && arrivalNanos - newest > WINDOW_NANOS) {
      reset(); // a pause: the old window says nothing about now
    }
    if (count == CAPACITY) {
      evictOldest();
    }
    int tail = (head + count) % CAPACITY;
    arrival[tail] = arrivalNanos;
    size[tail] = sizeBytes;
    count++;
    bytes += sizeBytes;
    newest = Math.max(newest, arrivalNanos);
    while (count > 1 && arrival[head] < newest - WINDOW_NANOS) {
      evictOldest();
    }
  }

  private void evictOldest() {
    bytes -= size[head];
    head = (head + 1) % CAPACITY;
    count--;
  }

  /** Bits per second, or -1 while unknown. */
  long bps() {
    if (count < 2) {
      return -1;
    }
    long span = newest - arrival[head];
    if (span < MIN_SPAN_NANOS) {
      return -1;
    }
    return (long) ((bytes - size[head]) * 8e9 / span);
  }

  void reset() {
    head = 0;
    count = 0;
    bytes = 0;
    newest = Long.MIN_VALUE;
  }
}
