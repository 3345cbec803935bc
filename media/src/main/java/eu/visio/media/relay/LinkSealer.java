package eu.visio.media.relay;

import eu.visio.media.srtp.GcmEngine;

/**
 * Seals DATA datagrams of one direction of a link, in place and without allocation: the sequence
 * number goes up by one per datagram, so no IV repeats under the key. Not thread-safe: one sending
 * thread (the room's worker) owns it.
 */
public final class LinkSealer {
  private final GcmEngine gcm;
  private final byte[] iv = new byte[12];
  private long sequence;

  LinkSealer(byte[] key, byte[] salt) {
    this.gcm = GcmEngine.create(key);
    System.arraycopy(salt, 0, iv, 0, 4);
  }

  /**
   * Seals the plaintext at {@code buf[off + DATA_HEADER, +plainLen)}: writes the outer header at
   * {@code off} and the tag after the plaintext ({@code buf} needs {@link LinkDatagram#TAG} bytes
   * of room there).
   *
   * @return the datagram's length
   */
  public int seal(byte[] buf, int off, int plainLen) {
    long seq = sequence++;
    buf[off] = (byte) LinkDatagram.TYPE_DATA;
    LinkDatagram.putLong(buf, off + 1, seq);
    LinkDatagram.putLong(iv, 4, seq);
    gcm.seal(
        iv, buf, off, LinkDatagram.DATA_HEADER, 0, 0, off + LinkDatagram.DATA_HEADER, plainLen);
    return plainLen + LinkDatagram.OVERHEAD;
  }

  /** Datagrams sealed so far. */
  public long sequence() {
    return sequence;
  }

  @Override
  public String toString() {
    return "LinkSealer[seq=" + sequence + ", key redacted]";
  }
}
