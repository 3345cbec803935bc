package eu.visio.media.dtls;

/** Demultiplexing of DTLS on a port shared with STUN and SRTP. */
public final class DtlsPacket {
  /** Length of a DTLS 1.2 record header (RFC 6347 §4.1): type, version, epoch, seq, length. */
  public static final int RECORD_HEADER_LENGTH = 13;

  private DtlsPacket() {}

  /**
   * RFC 7983 §7: a first byte in 20..63 is DTLS (content types 20..25 today, the rest reserved for
   * future DTLS content types). STUN is 0..3, SRTP/SRTCP 128..191.
   */
  public static boolean isDtls(byte first) {
    int b = first & 0xFF;
    return b >= 20 && b <= 63;
  }
}
