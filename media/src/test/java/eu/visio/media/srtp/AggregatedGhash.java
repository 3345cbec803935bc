package eu.visio.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Experiment for GcmBenchmark: GHASH two blocks at a time with "aggregated reduction", Y' = (Y ^
 * X1)·H² ^ X2·H, so the two table walks are independent and can overlap instead of each waiting for
 * the previous product. Uses {@link Ghash}'s 8-bit per-position tables for H and H², 128 KiB per
 * key. Test-only; kept to document the measurement.
 */
public final class AggregatedGhash {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final long R = 0xE100000000000000L;

  private final long[] h1High = new long[4096];
  private final long[] h1Low = new long[4096];
  private final long[] h2High = new long[4096];
  private final long[] h2Low = new long[4096];
  private long yHigh;
  private long yLow;

  public AggregatedGhash(byte[] h) {
    long hi = (long) LONG_BE.get(h, 0);
    long lo = (long) LONG_BE.get(h, 8);
    fill(hi, lo, h1High, h1Low);
    long[] sq = multiplyBitwise(hi, lo, hi, lo);
    fill(sq[0], sq[1], h2High, h2Low);
  }

  /** SP 800-38D Algorithm 1, bit by bit: only to derive H² once. */
  private static long[] multiplyBitwise(long xh, long xl, long vh, long vl) {
    long zh = 0;
    long zl = 0;
    for (int i = 0; i < 128; i++) {
      long bit = i < 64 ? (xh >>> (63 - i)) & 1 : (xl >>> (127 - i)) & 1;
      if (bit != 0) {
        zh ^= vh;
        zl ^= vl;
      }
      boolean carry = (vl & 1) != 0;
      vl = (vl >>> 1) | (vh << 63);
      vh >>>= 1;
      if (carry) {
        vh ^= R;
      }
    }
    return new long[] {zh, zl};
  }

  private static void fill(long hi, long lo, long[] high, long[] low) {
    long[] powers = new long[256];
    for (int k = 0; k < 128; k++) {
      powers[2 * k] = hi;
      powers[2 * k + 1] = lo;
      boolean carry = (lo & 1) != 0;
      lo = (lo >>> 1) | (hi << 63);
      hi >>>= 1;
      if (carry) {
        hi ^= R;
      }
    }
    for (int p = 0; p < 16; p++) {
      for (int b = 1; b < 256; b++) {
        int lowest = b & -b;
        int k = 8 * p + 7 - Integer.numberOfTrailingZeros(lowest);
        int rest = b ^ lowest;
        high[(p << 8) | b] = high[(p << 8) | rest] ^ powers[2 * k];
        low[(p << 8) | b] = low[(p << 8) | rest] ^ powers[2 * k + 1];
      }
    }
  }

  /** GHASH of {@code blocks} whole blocks (an even number) from zero; returns high ^ low of Y. */
  public long hash(byte[] b, int off, int blocks) {
    long yh = 0;
    long yl = 0;
    for (int i = 0; i < blocks; i += 2, off += 32) {
      long ah = yh ^ (long) LONG_BE.get(b, off);
      long al = yl ^ (long) LONG_BE.get(b, off + 8);
      long bh = (long) LONG_BE.get(b, off + 16);
      long bl = (long) LONG_BE.get(b, off + 24);
      yh = product(h2High, ah, al) ^ product(h1High, bh, bl);
      yl = product(h2Low, ah, al) ^ product(h1Low, bh, bl);
    }
    yHigh = yh;
    yLow = yl;
    return yh ^ yl;
  }

  /** Y after the last {@link #hash}, both halves. */
  public long[] y() {
    return new long[] {yHigh, yLow};
  }

  /** One half of X·Hⁿ from the tables t (high or low half): 16 lookups. */
  private static long product(long[] t, long xh, long xl) {
    return t[(int) (xh >>> 56)]
        ^ t[0x100 | (int) ((xh >>> 48) & 0xFF)]
        ^ t[0x200 | (int) ((xh >>> 40) & 0xFF)]
        ^ t[0x300 | (int) ((xh >>> 32) & 0xFF)]
        ^ t[0x400 | (int) ((xh >>> 24) & 0xFF)]
        ^ t[0x500 | (int) ((xh >>> 16) & 0xFF)]
        ^ t[0x600 | (int) ((xh >>> 8) & 0xFF)]
        ^ t[0x700 | (int) (xh & 0xFF)]
        ^ t[0x800 | (int) ((xl >>> 56) & 0xFF)]
        ^ t[0x900 | (int) ((xl >>> 48) & 0xFF)]
        ^ t[0xA00 | (int) ((xl >>> 40) & 0xFF)]
        ^ t[0xB00 | (int) ((xl >>> 32) & 0xFF)]
        ^ t[0xC00 | (int) ((xl >>> 24) & 0xFF)]
        ^ t[0xD00 | (int) ((xl >>> 16) & 0xFF)]
        ^ t[0xE00 | (int) ((xl >>> 8) & 0xFF)]
        ^ t[0xF00 | (int) (xl & 0xFF)];
  }
}
