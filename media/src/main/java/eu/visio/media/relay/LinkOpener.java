package eu.visio.media.relay;

import eu.visio.media.srtp.GcmEngine;

/**
 * Opens DATA datagrams of one direction of a link under one key epoch's key, in place and without
 * allocation: checks the replay window, then the tag, and only then records the sequence number.
 * The key phase bit (the sequence field's top bit) is part of the IV and the associated data but
 * not of the sequence number; {@link LinkOpeners} picks the opener by it. Not thread-safe: one
 * receiving thread owns it.
 */
public final class LinkOpener {
  /** Datagrams the window remembers behind the newest (reordering tolerated across the network). */
  public static final int WINDOW = 1024;

  private final GcmEngine gcm;
  private final byte[] iv = new byte[12];
  private final long[] seen = new long[WINDOW / 64];
  private long highest = -1;

  LinkOpener(byte[] key, byte[] salt) {
    this.gcm = GcmEngine.create(key);
    System.arraycopy(salt, 0, iv, 0, 4);
  }

  /**
   * Authenticates and decrypts the DATA datagram {@code buf[off, off + len)}; the plaintext is then
   * at {@code off + DATA_HEADER}, {@code len - OVERHEAD} bytes long.
   *
   * @return null when it opened, else why it was refused ({@code buf} may then hold anything)
   */
  public LinkDropReason open(byte[] buf, int off, int len) {
    if (len < LinkDatagram.OVERHEAD || len > LinkDatagram.MAX_DATAGRAM) {
      return LinkDropReason.MALFORMED_DATA;
    }
    if ((buf[off] & 0xFF) != LinkDatagram.TYPE_DATA) {
      return LinkDropReason.UNKNOWN_TYPE;
    }
    long field = LinkDatagram.getLong(buf, off + 1);
    long seq = field & Long.MAX_VALUE;
    if (!fresh(seq)) {
      return LinkDropReason.REPLAY;
    }
    LinkDatagram.putLong(iv, 4, field);
    if (!gcm.open(
        iv,
        buf,
        off,
        LinkDatagram.DATA_HEADER,
        0,
        0,
        off + LinkDatagram.DATA_HEADER,
        len - LinkDatagram.OVERHEAD)) {
      return LinkDropReason.AUTH_FAILED;
    }
    accept(seq);
    return null;
  }

  private boolean fresh(long seq) {
    if (seq > highest) {
      return true;
    }
    long behind = highest - seq;
    return behind < WINDOW && (seen[bit(seq) >>> 6] & (1L << bit(seq))) == 0;
  }

  private void accept(long seq) {
    if (seq > highest) {
      long gap = seq - highest;
      if (gap >= WINDOW) {
        java.util.Arrays.fill(seen, 0L);
      } else {
        for (long s = highest + 1; s < seq; s++) { // clear the slots the window moves past
          seen[bit(s) >>> 6] &= ~(1L << bit(s));
        }
      }
      highest = seq;
    }
    seen[bit(seq) >>> 6] |= 1L << bit(seq);
  }

  /** Slot of {@code seq} in the circular bitmap. */
  private static int bit(long seq) {
    return (int) (seq & (WINDOW - 1));
  }

  /** Zeroes the IV salt and the window; the opener must not be used after. */
  public void destroy() {
    java.util.Arrays.fill(iv, (byte) 0);
    java.util.Arrays.fill(seen, 0L);
  }

  @Override
  public String toString() {
    return "LinkOpener[highest=" + highest + ", key redacted]";
  }
}
