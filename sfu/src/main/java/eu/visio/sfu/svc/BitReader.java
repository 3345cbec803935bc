package eu.visio.sfu.svc;

/**
 * Reads the most-significant-bit-first fields of the AV1 RTP dependency descriptor (AV1 RTP spec,
 * Appendix A.2 "Reading functions": {@code f(n)} and {@code ns(n)}) over a byte range, without
 * allocating. Reading past the end never throws: it yields zeros and sets {@link #overflowed()},
 * which the parser checks once per section, so a truncated descriptor is refused as a whole.
 */
final class BitReader {
  private byte[] buf;
  private int start;
  private int limitBits;
  private int pos;
  private boolean overflowed;

  /** Starts reading {@code len} bytes of {@code b} from {@code off}. */
  void reset(byte[] b, int off, int len) {
    buf = b;
    start = off;
    limitBits = len << 3;
    pos = 0;
    overflowed = false;
  }

  /** {@code f(n)}: an unsigned n-bit number, n in 0..32 (a value of 32 bits comes back as is). */
  int f(int n) {
    if (n == 0) {
      return 0;
    }
    if (pos + n > limitBits) {
      pos = limitBits;
      overflowed = true;
      return 0;
    }
    int v = 0;
    for (int i = 0; i < n; i++) {
      int p = pos + i;
      v = (v << 1) | ((buf[start + (p >>> 3)] >>> (7 - (p & 7))) & 1);
    }
    pos += n;
    return v;
  }

  /** {@code f(1)} as a flag. */
  boolean flag() {
    return f(1) != 0;
  }

  /**
   * {@code ns(n)}: a non-symmetric unsigned number in 0..n-1 (Appendix A.2). Values below {@code m
   * = 2^w - n} take {@code w - 1} bits, the others {@code w}, where {@code w} is the bit width of
   * {@code n}. {@code ns(0)} and {@code ns(1)} read nothing and give 0.
   */
  int ns(int n) {
    if (n <= 1) {
      return 0;
    }
    int w = 32 - Integer.numberOfLeadingZeros(n);
    int m = (1 << w) - n;
    int v = f(w - 1);
    if (v < m) {
      return v;
    }
    int extra = f(1);
    return (v << 1) - m + extra;
  }

  /** Bits consumed so far ({@code TotalConsumedBits}). */
  int position() {
    return pos;
  }

  /** Whether a read ran past the end. */
  boolean overflowed() {
    return overflowed;
  }
}
