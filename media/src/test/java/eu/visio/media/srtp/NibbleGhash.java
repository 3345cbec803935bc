package eu.visio.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Experiment for GcmBenchmark: {@link Ghash}'s per-position tables at nibble granularity, 32
 * positions x 16 entries x 16 bytes = 8 KiB per key (fits L1) instead of 64 KiB, at the price of 64
 * lookups per block instead of 32. Test-only; kept to document the measurement.
 */
public final class NibbleGhash {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
  private static final long R = 0xE100000000000000L;

  /** Interleaved: t[2 * ((p << 4) | n)] high half, +1 low half. */
  private final long[] t = new long[32 * 16 * 2];

  private long yHigh;
  private long yLow;

  public NibbleGhash(byte[] h) {
    long hi = (long) LONG_BE.get(h, 0);
    long lo = (long) LONG_BE.get(h, 8);
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
    for (int p = 0; p < 32; p++) {
      for (int n = 1; n < 16; n++) {
        int lowest = n & -n;
        int k = 4 * p + 3 - Integer.numberOfTrailingZeros(lowest);
        int rest = n ^ lowest;
        t[2 * ((p << 4) | n)] = t[2 * ((p << 4) | rest)] ^ powers[2 * k];
        t[2 * ((p << 4) | n) + 1] = t[2 * ((p << 4) | rest) + 1] ^ powers[2 * k + 1];
      }
    }
  }

  /** GHASH of whole blocks b[off, off + 16 * blocks), from zero; returns the high half (bench). */
  public long hash(byte[] b, int off, int blocks) {
    yHigh = 0;
    yLow = 0;
    for (int i = 0; i < blocks; i++, off += 16) {
      multiply(yHigh ^ (long) LONG_BE.get(b, off), yLow ^ (long) LONG_BE.get(b, off + 8));
    }
    return yHigh ^ yLow;
  }

  private void multiply(long xh, long xl) {
    long[] tt = t;
    long h = 0;
    long l = 0;
    for (int p = 0; p < 16; p++) {
      int i = ((p << 4) | (int) ((xh >>> (60 - 4 * p)) & 0xF)) << 1;
      int j = (((p + 16) << 4) | (int) ((xl >>> (60 - 4 * p)) & 0xF)) << 1;
      h ^= tt[i] ^ tt[j];
      l ^= tt[i + 1] ^ tt[j + 1];
    }
    yHigh = h;
    yLow = l;
  }
}
