package eu.visio.media.rtcp;

/** Big-endian field access shared by the RTCP codecs. Callers check bounds first. */
final class ByteIo {
  private ByteIo() {}

  static int u8(byte[] b, int p) {
    return b[p] & 0xFF;
  }

  static int u16(byte[] b, int p) {
    return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
  }

  static int u24(byte[] b, int p) {
    return ((b[p] & 0xFF) << 16) | ((b[p + 1] & 0xFF) << 8) | (b[p + 2] & 0xFF);
  }

  static int u32(byte[] b, int p) {
    return ((b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  static long u64(byte[] b, int p) {
    return ((long) u32(b, p) << 32) | (u32(b, p + 4) & 0xFFFFFFFFL);
  }

  static void put16(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 8);
    b[p + 1] = (byte) v;
  }

  static void put24(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 16);
    b[p + 1] = (byte) (v >>> 8);
    b[p + 2] = (byte) v;
  }

  static void put32(byte[] b, int p, int v) {
    b[p] = (byte) (v >>> 24);
    b[p + 1] = (byte) (v >>> 16);
    b[p + 2] = (byte) (v >>> 8);
    b[p + 3] = (byte) v;
  }

  static void put64(byte[] b, int p, long v) {
    put32(b, p, (int) (v >>> 32));
    put32(b, p + 4, (int) v);
  }
}
