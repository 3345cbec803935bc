package eu.visio.sfu;

/** Writes the numbered fields of an RTP fixed header (RFC 3550 §5.1) in place. */
final class RtpHeaders {
  private RtpHeaders() {}

  /** Sequence number (bytes 2-3), timestamp (4-7) and SSRC (8-11), big-endian. */
  static void write(byte[] b, int seq, int ts, int ssrc) {
    b[2] = (byte) (seq >>> 8);
    b[3] = (byte) seq;
    b[4] = (byte) (ts >>> 24);
    b[5] = (byte) (ts >>> 16);
    b[6] = (byte) (ts >>> 8);
    b[7] = (byte) ts;
    b[8] = (byte) (ssrc >>> 24);
    b[9] = (byte) (ssrc >>> 16);
    b[10] = (byte) (ssrc >>> 8);
    b[11] = (byte) ssrc;
  }
}
