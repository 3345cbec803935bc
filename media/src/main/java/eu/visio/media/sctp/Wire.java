package eu.visio.media.sctp;

/** Big-endian reads and writes, and the 4-byte padding every SCTP chunk and parameter uses. */
final class Wire {
  private Wire() {}

  static int u8(byte[] b, int off) {
    return b[off] & 0xFF;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  static long u32(byte[] b, int off) {
    return ((long) u16(b, off) << 16) | u16(b, off + 2);
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, long v) {
    put16(b, off, (int) (v >>> 16));
    put16(b, off + 2, (int) v);
  }

  /** {@code n} rounded up to a multiple of 4 (RFC 9260 §3.2: chunks and parameters are padded). */
  static int padded(int n) {
    return (n + 3) & ~3;
  }

  /** DATA and I-DATA flags (RFC 9260 §3.3.1, RFC 7053, RFC 8260): I, U, B, E. */
  static final int IMMEDIATE = 8;

  static final int UNORDERED = 4;
  static final int BEGINNING = 2;
  static final int ENDING = 1;

  static int dataFlags(boolean unordered, boolean beginning, boolean ending, boolean immediate) {
    return (immediate ? IMMEDIATE : 0)
        | (unordered ? UNORDERED : 0)
        | (beginning ? BEGINNING : 0)
        | (ending ? ENDING : 0);
  }

  static void need(boolean ok, String reason) throws SctpParseException {
    if (!ok) {
      throw new SctpParseException(reason);
    }
  }
}
