package eu.visio.sfu.svc;

import java.util.Arrays;

/** Writes MSB-first bit fields the way the AV1 RTP spec's Appendix A reads them, for fixtures. */
final class BitWriter {
  private byte[] buf = new byte[64];
  private int pos;

  /** {@code f(n)}: the low {@code n} bits of {@code value}. */
  BitWriter f(int n, int value) {
    for (int i = n - 1; i >= 0; i--) {
      bit((value >>> i) & 1);
    }
    return this;
  }

  BitWriter flag(boolean b) {
    return f(1, b ? 1 : 0);
  }

  /** {@code ns(n)}: the inverse of the spec's reading function (A.2). */
  BitWriter ns(int n, int value) {
    if (n <= 1) {
      return this;
    }
    int w = 32 - Integer.numberOfLeadingZeros(n);
    int m = (1 << w) - n;
    if (value < m) {
      return f(w - 1, value);
    }
    int v = value + m;
    return f(w - 1, v >>> 1).f(1, v & 1);
  }

  int bits() {
    return pos;
  }

  /** The bits written, zero-padded to whole bytes. */
  byte[] bytes() {
    return Arrays.copyOf(buf, (pos + 7) >>> 3);
  }

  private void bit(int b) {
    if ((pos >>> 3) == buf.length) {
      buf = Arrays.copyOf(buf, buf.length * 2);
    }
    if (b != 0) {
      buf[pos >>> 3] |= (byte) (0x80 >>> (pos & 7));
    }
    pos++;
  }
}
