package eu.visio.media.dtls;

/** Demultiplexing of DTLS on a port shared with STUN and SRTP, and a cheap record-layer screen. */
public final class DtlsPacket {
  /** Length of a DTLS 1.2 record header (RFC 6347 §4.1): type, version, epoch, seq, length. */
  public static final int RECORD_HEADER_LENGTH = 13;

  /** DTLS 1.0 on the wire: the record version of a ClientHello may be it (RFC 6347 §4.2.1). */
  static final int VERSION_1_0 = 0xFEFF;

  /** DTLS 1.2 on the wire, the only version we negotiate. */
  static final int VERSION_1_2 = 0xFEFD;

  /**
   * Smallest protected record of every suite we offer: ChaCha20-Poly1305 has no explicit nonce and
   * a 16-byte tag (RFC 7905); AES-GCM adds an 8-byte explicit nonce (RFC 5288 §3).
   */
  static final int MIN_CHACHA20_POLY1305_RECORD = 16;

  static final int MIN_AES_GCM_RECORD = 24;

  private DtlsPacket() {}

  /**
   * RFC 7983 §7: a first byte in 20..63 is DTLS (content types 20..25 today, the rest reserved for
   * future DTLS content types). STUN is 0..3, SRTP/SRTCP 128..191.
   */
  public static boolean isDtls(byte first) {
    int b = first & 0xFF;
    return b >= 20 && b <= 63;
  }

  /**
   * True if every record of the datagram is well formed for us: a whole header, a body within the
   * datagram, version DTLS 1.0 or 1.2, and, for a protected epoch, at least {@code minProtected}
   * bytes (the suite's explicit nonce plus tag).
   *
   * <p>Why we screen at all: RFC 6347 §4.1.2.7 says invalid records are silently discarded, but
   * bctls answers some of them with a fatal alert that ends the connection, e.g. an unknown record
   * version (internal_error) or a protected record shorter than its AEAD overhead (decode_error).
   * One spoofed datagram from the peer's address must not be able to hang up a call.
   */
  public static boolean wellFormed(byte[] buf, int off, int len, int minProtected) {
    if (len < RECORD_HEADER_LENGTH) {
      return false;
    }
    int end = off + len;
    for (int p = off; p < end; ) {
      if (end - p < RECORD_HEADER_LENGTH) {
        return false;
      }
      int version = (buf[p + 1] & 0xFF) << 8 | buf[p + 2] & 0xFF;
      int epoch = (buf[p + 3] & 0xFF) << 8 | buf[p + 4] & 0xFF;
      int length = (buf[p + 11] & 0xFF) << 8 | buf[p + 12] & 0xFF;
      p += RECORD_HEADER_LENGTH;
      if ((version != VERSION_1_2 && version != VERSION_1_0)
          || length > end - p
          || (epoch != 0 && length < minProtected)) {
        return false;
      }
      p += length;
    }
    return true;
  }
}
