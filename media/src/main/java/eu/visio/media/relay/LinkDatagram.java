package eu.visio.media.relay;

/** The outer layout of link datagrams (see the package comment): types, sizes, offsets. */
public final class LinkDatagram {
  private LinkDatagram() {}

  /** First byte of a HELLO. */
  public static final int TYPE_HELLO = 0xE0;

  /** First byte of a DATA datagram. */
  public static final int TYPE_DATA = 0xE1;

  /** Type and sequence number, in clear: the AEAD's associated data. */
  public static final int DATA_HEADER = 9;

  /** The AES-GCM tag. */
  public static final int TAG = 16;

  /** What sealing adds around the plaintext. */
  public static final int OVERHEAD = DATA_HEADER + TAG;

  /** The largest RTP or RTCP packet carried (the media MTU the SFU accepts). */
  public static final int MAX_PACKET = 1500;

  /** The largest link datagram: a packet, its link header and the overhead. */
  public static final int MAX_DATAGRAM = MAX_PACKET + LinkHeader.LENGTH + OVERHEAD;

  static void putLong(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return (b[off] & 0xFF) << 24
        | (b[off + 1] & 0xFF) << 16
        | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }

  static long getLong(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }
}
