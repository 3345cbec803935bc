package eu.visio.media.srtp;

/**
 * Per-SSRC cryptographic state of one direction (RFC 3711 §3.2.1): rollover counter and highest
 * sequence number for SRTP, replay windows for SRTP and SRTCP, and the next SRTCP index when we
 * send.
 */
final class SsrcState {
  final int ssrc;

  /** ROC: how many times the 16-bit sequence number has wrapped (32 bits, held unsigned). */
  private long roc;

  /** s_l: the highest sequence number accepted so far. */
  private int highestSeq;

  final ReplayWindow rtpReplay = new ReplayWindow();
  final ReplayWindow rtcpReplay = new ReplayWindow();

  /** Next SRTCP index to send (31 bits; exhaustion means re-keying, RFC 3711 §3.3.1). */
  long nextRtcpIndex;

  SsrcState(int ssrc, int firstSeq) {
    this.ssrc = ssrc;
    this.highestSeq = firstSeq;
  }

  /**
   * Estimates the 48-bit index of a packet with sequence number {@code seq} (RFC 3711 §3.3.1,
   * Appendix A): the ROC value v among ROC-1, ROC, ROC+1 that puts the index closest to s_l.
   */
  long estimateIndex(int seq) {
    long v = roc;
    if (highestSeq < 0x8000) {
      if (seq - highestSeq > 0x8000 && roc > 0) {
        v = roc - 1; // late packet from before the last wrap
      }
    } else if (highestSeq - 0x8000 > seq) {
      v = (roc + 1) & 0xFFFFFFFFL; // the sequence number wrapped
    }
    return (v << 16) | seq;
  }

  /** Records an authenticated (or, outbound, sent) index: advances ROC/s_l and the window. */
  void acceptRtp(long index) {
    if (index > rtpReplay.highest()) {
      roc = index >>> 16;
      highestSeq = (int) (index & 0xFFFF);
    }
    rtpReplay.accept(index);
  }

  long roc() {
    return roc;
  }
}
