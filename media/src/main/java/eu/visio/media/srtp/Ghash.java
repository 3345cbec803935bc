package eu.visio.media.srtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * GHASH, the universal hash of GCM (NIST SP 800-38D §6.4), streaming and allocation-free.
 *
 * <p>Multiplication by the hash subkey H uses per-byte-position tables: {@code T[p][b]} is the
 * field element with byte {@code b} at position {@code p}, times H. A product is then 16 lookups
 * and XORs with no data-dependent shifts or reductions (a constant-time-per-block table walk is not
 * claimed: lookups are indexed by secret-dependent data as in every table GHASH). The tables take
 * 64 KiB per key, the price of reaching ~1 ns/byte without the carry-less multiply instruction that
 * Java does not expose.
 *
 * <p>Field elements are two longs in GCM's bit order: bit 0 of the block (the most significant bit
 * of byte 0) is the coefficient of x^0.
 */
final class Ghash {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** The reduction polynomial x^128 + x^7 + x^2 + x + 1, as it enters the top after a shift. */
  private static final long R = 0xE100000000000000L;

  /** {@code table[((p << 8) | b) * 2]} high half, {@code + 1} low half. */
  private final long[] table = new long[16 * 256 * 2];

  private final byte[] partial = new byte[16];
  private int partialLen;
  private long yHigh;
  private long yLow;

  Ghash(byte[] h) {
    long[] powers = new long[128 * 2];
    long hi = (long) LONG_BE.get(h, 0);
    long lo = (long) LONG_BE.get(h, 8);
    for (int k = 0; k < 128; k++) {
      powers[2 * k] = hi; // H * x^k
      powers[2 * k + 1] = lo;
      boolean carry = (lo & 1) != 0;
      lo = (lo >>> 1) | (hi << 63);
      hi >>>= 1;
      if (carry) {
        hi ^= R;
      }
    }
    for (int p = 0; p < 16; p++) {
      int base = p << 8;
      for (int b = 1; b < 256; b++) {
        int lowest = b & -b;
        // The single bit 'lowest' of byte p is bit (8p + 7 - log2(lowest)) of the block.
        int k = 8 * p + 7 - Integer.numberOfTrailingZeros(lowest);
        int rest = b ^ lowest;
        table[2 * (base | b)] = table[2 * (base | rest)] ^ powers[2 * k];
        table[2 * (base | b) + 1] = table[2 * (base | rest) + 1] ^ powers[2 * k + 1];
      }
    }
  }

  void reset() {
    yHigh = 0;
    yLow = 0;
    partialLen = 0;
  }

  void update(byte[] b, int off, int len) {
    if (partialLen > 0) {
      int n = Math.min(len, 16 - partialLen);
      System.arraycopy(b, off, partial, partialLen, n);
      partialLen += n;
      off += n;
      len -= n;
      if (partialLen < 16) {
        return;
      }
      block(partial, 0);
      partialLen = 0;
    }
    for (; len >= 16; off += 16, len -= 16) {
      block(b, off);
    }
    if (len > 0) {
      System.arraycopy(b, off, partial, 0, len);
      partialLen = len;
    }
  }

  /** Zero-pads a pending partial block: ends the AAD or ciphertext section. */
  void pad() {
    if (partialLen > 0) {
      java.util.Arrays.fill(partial, partialLen, 16, (byte) 0);
      block(partial, 0);
      partialLen = 0;
    }
  }

  /** Pads, hashes the length block (bit lengths of AAD and ciphertext) and writes the 16-byte S. */
  void finish(long aadBytes, long ciphertextBytes, byte[] out, int outOff) {
    pad();
    multiply(yHigh ^ (aadBytes << 3), yLow ^ (ciphertextBytes << 3));
    LONG_BE.set(out, outOff, yHigh);
    LONG_BE.set(out, outOff + 8, yLow);
  }

  private void block(byte[] b, int off) {
    multiply(yHigh ^ (long) LONG_BE.get(b, off), yLow ^ (long) LONG_BE.get(b, off + 8));
  }

  /** Y = X * H. */
  private void multiply(long xHigh, long xLow) {
    long[] t = table;
    long zh = 0;
    long zl = 0;
    for (int p = 0; p < 8; p++) {
      int i = ((p << 8) | (int) ((xHigh >>> (56 - 8 * p)) & 0xFF)) << 1;
      zh ^= t[i];
      zl ^= t[i + 1];
    }
    for (int p = 0; p < 8; p++) {
      int i = (((p + 8) << 8) | (int) ((xLow >>> (56 - 8 * p)) & 0xFF)) << 1;
      zh ^= t[i];
      zl ^= t[i + 1];
    }
    yHigh = zh;
    yLow = zl;
  }
}
