package eu.visio.media.transport;

/** Plaintext RTP and RTCP as a browser would send them, annotated field by field. */
final class MediaFixtures {
  private MediaFixtures() {}

  /** RTP (RFC 3550 §5.1) with sequence number {@code seq} and a five-byte payload. */
  static byte[] rtp(int seq) {
    return bytes(
        0x80, // V=2, P=0, X=0, CC=0
        0x60, // M=0, PT=96
        seq >>> 8, seq, // sequence number
        0x00, 0x01, 0xE2, 0x40, // timestamp 123456
        0x11, 0x22, 0x33, 0x44, // SSRC 0x11223344
        'v', 'i', 's', 'i', 'o'); // payload
  }

  /** RTCP PLI (RFC 4585 §6.3.1): from SSRC 0x55667788 about media SSRC 0x11223344. */
  static byte[] pli() {
    return bytes(
        0x81, // V=2, P=0, FMT=1 (PLI)
        0xCE, // PT=206 payload-specific feedback
        0x00, 0x02, // length: 2 words after the first
        0x55, 0x66, 0x77, 0x88, // sender SSRC
        0x11, 0x22, 0x33, 0x44); // media source SSRC
  }

  private static byte[] bytes(int... v) {
    byte[] b = new byte[v.length];
    for (int i = 0; i < v.length; i++) {
      b[i] = (byte) v[i];
    }
    return b;
  }
}
