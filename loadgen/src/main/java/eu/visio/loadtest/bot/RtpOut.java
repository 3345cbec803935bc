package eu.visio.loadtest.bot;

/**
 * Writes RTP headers with one-byte header extensions (RFC 8285 §4.2) as a browser sends them, and
 * the few RTCP packets bots send, straight into a byte array: nothing is allocated per packet.
 */
final class RtpOut {
  /** Extension ids of the bots' offers (the answerer keeps them, RFC 8285 §5). */
  static final int EXT_AUDIO_LEVEL = 1;

  static final int EXT_TRANSPORT_CC = 3;
  static final int EXT_MID = 4;
  static final int EXT_RID = 10;

  static final int AUDIO_PT = 111;
  static final int VP8_PT = 96;
  static final int RTX_PT = 97;

  private RtpOut() {}

  /** The fixed header (V=2, X=1) at 0. Returns 12. */
  static int header(byte[] b, boolean marker, int pt, int seq, int timestamp, int ssrc) {
    b[0] = (byte) 0x90;
    b[1] = (byte) ((marker ? 0x80 : 0) | pt);
    b[2] = (byte) (seq >>> 8);
    b[3] = (byte) seq;
    Stamp.putInt(b, 4, timestamp);
    Stamp.putInt(b, 8, ssrc);
    return 12;
  }

  /**
   * The extension block at 12 with transport-cc, mid and either rid (video) or audio level: 12
   * bytes (0xBEDE, two words of elements, zero padded). Returns the payload offset, 24.
   */
  static int extensions(byte[] b, int twccSeq, char mid, char ridOrZero, int audioLevel) {
    b[12] = (byte) 0xBE;
    b[13] = (byte) 0xDE;
    b[14] = 0;
    b[15] = 2;
    int p = 16;
    b[p++] = (byte) (EXT_TRANSPORT_CC << 4 | 1);
    b[p++] = (byte) (twccSeq >>> 8);
    b[p++] = (byte) twccSeq;
    b[p++] = (byte) (EXT_MID << 4);
    b[p++] = (byte) mid;
    if (ridOrZero != 0) {
      b[p++] = (byte) (EXT_RID << 4);
      b[p++] = (byte) ridOrZero;
    } else {
      b[p++] = (byte) (EXT_AUDIO_LEVEL << 4);
      b[p++] = (byte) (0x80 | audioLevel); // voice activity, -level dBov
    }
    b[p++] = 0;
    return 24;
  }

  /**
   * A sender report without report blocks (28 bytes) at {@code off}: NTP from the wall clock, the
   * RTP time of the same instant, counts.
   */
  static int senderReport(
      byte[] b, int off, int ssrc, long ntp, int rtpTimestamp, int packets, int octets) {
    b[off] = (byte) 0x80;
    b[off + 1] = (byte) 200;
    b[off + 2] = 0;
    b[off + 3] = 6;
    Stamp.putInt(b, off + 4, ssrc);
    Stamp.putInt(b, off + 8, (int) (ntp >>> 32));
    Stamp.putInt(b, off + 12, (int) ntp);
    Stamp.putInt(b, off + 16, rtpTimestamp);
    Stamp.putInt(b, off + 20, packets);
    Stamp.putInt(b, off + 24, octets);
    return 28;
  }

  /** A PLI (12 bytes) at {@code off}. */
  static int pli(byte[] b, int off, int senderSsrc, int mediaSsrc) {
    b[off] = (byte) 0x81;
    b[off + 1] = (byte) 206;
    b[off + 2] = 0;
    b[off + 3] = 2;
    Stamp.putInt(b, off + 4, senderSsrc);
    Stamp.putInt(b, off + 8, mediaSsrc);
    return 12;
  }

  /** The current wall-clock time as a 64-bit NTP timestamp (RFC 3550 §4). */
  static long ntpNow() {
    long ms = System.currentTimeMillis();
    long seconds = ms / 1000 + 2_208_988_800L;
    long fraction = ((ms % 1000) << 32) / 1000;
    return seconds << 32 | fraction;
  }
}
