package eu.visio.media.relay;

import eu.visio.media.srtp.GcmEngine;

/**
 * Seals DATA datagrams of one direction of a link under one key epoch's key, in place and without
 * allocation: the sequence number goes up by one per datagram, so no IV repeats under the key, and
 * the top bit of the sequence field carries the epoch's key phase. Not thread-safe: one sending
 * thread (the room's worker) owns it.
 *
 * <p>Usage bound: the IV is the salt and a 63-bit counter (NIST SP 800-38D §8.2.1, deterministic
 * construction; RFC 5116 §3.2 recommends exactly this), so the IV space (2^63 per key) is never the
 * limit (SP 800-38D §8.3 caps invocations per key at 2^32 only for other IV constructions; here the
 * invocation field's size is the cap). The limit is the amount of data one key may safely protect:
 * RFC 9001 §6.6 (analysis in its Appendix B.1, after draft-irtf-cfrg-aead-limits) sets
 * AES-128-GCM's confidentiality limit at 2^23 packets, for packets larger than ours (at most 1.5
 * KB), so 2^23 has margin. Its integrity limit (2^52 forged packets) is out of reach. A link
 * re-keys after {@link #REKEY_PACKETS} datagrams (or its time limit, whichever comes first) and
 * refuses to seal beyond {@link #MAX_PACKETS} if a re-key never completes (the peer is gone).
 */
public final class LinkSealer {
  private final GcmEngine gcm;
  private final byte[] iv = new byte[12];
  private final long phaseBit;
  private long sequence;

  /** Datagrams after which a link starts a re-key: RFC 9001 §6.6's AES-GCM limit, 2^23. */
  public static final long REKEY_PACKETS = 1L << 23;

  /** Datagrams after which a sealer refuses to seal (twice the re-key point). */
  public static final long MAX_PACKETS = 1L << 24;

  LinkSealer(byte[] key, byte[] salt, int phase) {
    this.gcm = GcmEngine.create(key);
    this.phaseBit = (long) (phase & 1) << 63;
    System.arraycopy(salt, 0, iv, 0, 4);
  }

  /**
   * Seals the plaintext at {@code buf[off + DATA_HEADER, +plainLen)}: writes the outer header at
   * {@code off} and the tag after the plaintext ({@code buf} needs {@link LinkDatagram#TAG} bytes
   * of room there).
   *
   * @return the datagram's length, or -1 once {@link #MAX_PACKETS} datagrams were sealed
   */
  public int seal(byte[] buf, int off, int plainLen) {
    if (sequence >= MAX_PACKETS) {
      return -1;
    }
    long field = phaseBit | sequence++;
    buf[off] = (byte) LinkDatagram.TYPE_DATA;
    LinkDatagram.putLong(buf, off + 1, field);
    LinkDatagram.putLong(iv, 4, field);
    gcm.seal(
        iv, buf, off, LinkDatagram.DATA_HEADER, 0, 0, off + LinkDatagram.DATA_HEADER, plainLen);
    return plainLen + LinkDatagram.OVERHEAD;
  }

  /** Datagrams sealed so far. */
  public long sequence() {
    return sequence;
  }

  /** The key phase bit this sealer writes. */
  public int phase() {
    return (int) (phaseBit >>> 63);
  }

  /** Zeroes the IV salt; the sealer must not be used after. */
  public void destroy() {
    java.util.Arrays.fill(iv, (byte) 0);
  }

  @Override
  public String toString() {
    return "LinkSealer[seq=" + sequence + ", key redacted]";
  }
}
