package eu.visio.sfu.svc;

/**
 * What a layer filter decided for the last {@value #SIZE} AV1 frames, by 16-bit frame number: seen
 * or not, forwarded or dropped. Lets late packets of a frame follow the frame's decision, and lets
 * the filter check that a switch frame's references were all forwarded. Two bitmaps, no allocation.
 */
final class FrameWindow {
  static final int SIZE = 1024;
  private static final int MASK = SIZE - 1;

  private final long[] seen = new long[SIZE / 64];
  private final long[] forwarded = new long[SIZE / 64];
  private boolean started;
  private int newest;

  /** Forgets everything (a new structure may restart numbering). */
  void reset() {
    started = false;
    java.util.Arrays.fill(seen, 0);
    java.util.Arrays.fill(forwarded, 0);
  }

  /** Signed distance from the newest frame to {@code frame}, in 16-bit wrap arithmetic. */
  int age(int frame) {
    return started ? (short) (newest - frame) : Integer.MIN_VALUE;
  }

  /** Whether {@code frame} is newer than every frame recorded (or nothing is recorded). */
  boolean isNew(int frame) {
    return !started || (short) (frame - newest) > 0;
  }

  /** Whether a decision is recorded for {@code frame} (and it is still in the window). */
  boolean seen(int frame) {
    int a = age(frame);
    return a >= 0 && a < SIZE && bit(seen, frame);
  }

  /** Whether {@code frame} is in the window and was forwarded. */
  boolean forwarded(int frame) {
    int a = age(frame);
    return a >= 0 && a < SIZE && bit(forwarded, frame);
  }

  /** Whether {@code frame} is in the window, was seen and was dropped. */
  boolean dropped(int frame) {
    int a = age(frame);
    return a >= 0 && a < SIZE && bit(seen, frame) && !bit(forwarded, frame);
  }

  /** Records the decision for {@code frame}, moving the window when it is the newest. */
  void record(int frame, boolean forward) {
    frame &= 0xFFFF;
    if (!started) {
      started = true;
      newest = frame;
    } else {
      int d = (short) (frame - newest);
      if (d > 0) {
        for (int i = 1; i <= Math.min(d, SIZE); i++) {
          clear((newest + i) & 0xFFFF);
        }
        newest = frame;
      } else if (-d >= SIZE) {
        return; // too old to keep
      }
    }
    set(seen, frame);
    if (forward) {
      set(forwarded, frame);
    } else {
      clearBit(forwarded, frame);
    }
  }

  private void clear(int frame) {
    clearBit(seen, frame);
    clearBit(forwarded, frame);
  }

  private static boolean bit(long[] bits, int frame) {
    int i = frame & MASK;
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private static void set(long[] bits, int frame) {
    int i = frame & MASK;
    bits[i >>> 6] |= 1L << i;
  }

  private static void clearBit(long[] bits, int frame) {
    int i = frame & MASK;
    bits[i >>> 6] &= ~(1L << i);
  }
}
