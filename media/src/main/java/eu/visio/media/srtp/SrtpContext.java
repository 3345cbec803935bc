package eu.visio.media.srtp;

/**
 * One direction of an SRTP session: the RTP and RTCP transforms of one set of session keys plus the
 * per-SSRC state (RFC 3711 §3.2). {@link SrtpSession} holds an outbound and an inbound context.
 *
 * <p>Inbound order matters for security: parse, look up (never create) the SSRC state, estimate the
 * index, check replay, authenticate, and only then create or update any state. A forged packet
 * therefore leaves no trace but its return code.
 */
final class SrtpContext {
  private static final int RTP_HEADER = 12;
  private static final int RTCP_HEADER = 8;

  private final SrtpTransform rtp;
  private final SrtpTransform rtcp;
  private final SsrcTable ssrcs;
  private long ssrcLimitDrops;

  SrtpContext(
      SrtpProfile profile,
      SrtpKeyDerivation.SessionKeys rtpKeys,
      SrtpKeyDerivation.SessionKeys rtcpKeys,
      int maxSsrcs) {
    this(profile, rtpKeys, rtcpKeys, maxSsrcs, false);
  }

  SrtpContext(
      SrtpProfile profile,
      SrtpKeyDerivation.SessionKeys rtpKeys,
      SrtpKeyDerivation.SessionKeys rtcpKeys,
      int maxSsrcs,
      boolean jceGcm) {
    this.rtp = SrtpTransform.create(profile, rtpKeys, jceGcm);
    this.rtcp = SrtpTransform.create(profile, rtcpKeys, jceGcm);
    this.ssrcs = new SsrcTable(maxSsrcs);
  }

  static SrtpContext fromMaster(
      SrtpProfile profile, byte[] masterKey, byte[] masterSalt, int maxSsrcs) {
    return new SrtpContext(
        profile,
        SrtpKeyDerivation.sessionKeys(profile, masterKey, masterSalt, false),
        SrtpKeyDerivation.sessionKeys(profile, masterKey, masterSalt, true),
        maxSsrcs);
  }

  int rtpOverhead() {
    return rtp.rtpOverhead();
  }

  int rtcpOverhead() {
    return rtcp.rtcpOverhead();
  }

  int protectRtp(byte[] buf, int off, int len) {
    if (outOfBounds(buf, off, len)) {
      return SrtpResult.MALFORMED;
    }
    int headerLen = rtpHeaderLength(buf, off, len);
    if (headerLen < 0) {
      return headerLen;
    }
    if (buf.length - off - len < rtp.rtpOverhead()) {
      return SrtpResult.NO_ROOM;
    }
    int ssrc = readInt(buf, off + 8);
    int seq = readUnsignedShort(buf, off + 2);
    SsrcState state = ssrcs.get(ssrc);
    if (state == null) {
      if (ssrcs.isFull()) {
        ssrcLimitDrops++;
        return SrtpResult.TOO_MANY_SSRCS;
      }
      state = ssrcs.add(ssrc, seq);
    }
    // The sender's ROC follows the same estimate, so reordered forwarding keeps the right ROC.
    long index = state.estimateIndex(seq);
    if (!state.rtpReplay.isFresh(index)) {
      // Never protect an index twice: for GCM that would reuse a nonce (RFC 7714 §8.1) and for
      // AES-CM a keystream. Retransmissions use their own SSRC and sequence (RFC 4588).
      return SrtpResult.REPLAYED;
    }
    state.acceptRtp(index);
    return rtp.protectRtp(buf, off, len, headerLen, ssrc, index);
  }

  int unprotectRtp(byte[] buf, int off, int len) {
    if (outOfBounds(buf, off, len)) {
      return SrtpResult.MALFORMED;
    }
    int tagLen = rtp.rtpOverhead();
    if (len < RTP_HEADER + tagLen) {
      return SrtpResult.TOO_SHORT;
    }
    int headerLen = rtpHeaderLength(buf, off, len - tagLen);
    if (headerLen < 0) {
      return headerLen;
    }
    int ssrc = readInt(buf, off + 8);
    int seq = readUnsignedShort(buf, off + 2);
    SsrcState state = ssrcs.get(ssrc);
    long index;
    if (state == null) {
      if (ssrcs.isFull()) {
        ssrcLimitDrops++;
        return SrtpResult.TOO_MANY_SSRCS;
      }
      index = seq; // first packet of an SSRC: ROC = 0 (RFC 3711 §3.3.1)
    } else {
      index = state.estimateIndex(seq);
      if (!state.rtpReplay.isFresh(index)) {
        return SrtpResult.REPLAYED;
      }
    }
    if (!rtp.unprotectRtp(buf, off, len, headerLen, ssrc, index)) {
      return SrtpResult.AUTH_FAILED;
    }
    if (state == null) {
      state = ssrcs.add(ssrc, seq); // authenticated: now, and only now, state may be created
    }
    state.acceptRtp(index);
    return len - tagLen;
  }

  int protectRtcp(byte[] buf, int off, int len) {
    if (outOfBounds(buf, off, len)) {
      return SrtpResult.MALFORMED;
    }
    if (len < RTCP_HEADER) {
      return SrtpResult.TOO_SHORT;
    }
    if ((buf[off] & 0xC0) != 0x80) {
      return SrtpResult.MALFORMED;
    }
    if (buf.length - off - len < rtcp.rtcpOverhead()) {
      return SrtpResult.NO_ROOM;
    }
    int ssrc = readInt(buf, off + 4);
    SsrcState state = ssrcs.get(ssrc);
    if (state == null) {
      if (ssrcs.isFull()) {
        ssrcLimitDrops++;
        return SrtpResult.TOO_MANY_SSRCS;
      }
      state = ssrcs.add(ssrc, 0);
    }
    if (state.nextRtcpIndex > 0x7FFFFFFFL) {
      return SrtpResult.INDEX_EXHAUSTED;
    }
    int index = (int) state.nextRtcpIndex++;
    return rtcp.protectRtcp(buf, off, len, ssrc, index);
  }

  int unprotectRtcp(byte[] buf, int off, int len) {
    if (outOfBounds(buf, off, len)) {
      return SrtpResult.MALFORMED;
    }
    int overhead = rtcp.rtcpOverhead();
    if (len < RTCP_HEADER + overhead) {
      return SrtpResult.TOO_SHORT;
    }
    if ((buf[off] & 0xC0) != 0x80) {
      return SrtpResult.MALFORMED;
    }
    int ssrc = readInt(buf, off + 4);
    int eAndIndex = readInt(buf, off + rtcp.rtcpTrailerOffset(len));
    long index = eAndIndex & 0x7FFFFFFFL;
    SsrcState state = ssrcs.get(ssrc);
    if (state == null) {
      if (ssrcs.isFull()) {
        ssrcLimitDrops++;
        return SrtpResult.TOO_MANY_SSRCS;
      }
    } else if (!state.rtcpReplay.isFresh(index)) {
      return SrtpResult.REPLAYED;
    }
    if (!rtcp.unprotectRtcp(buf, off, len, ssrc, eAndIndex)) {
      return SrtpResult.AUTH_FAILED;
    }
    if (state == null) {
      state = ssrcs.add(ssrc, 0);
    }
    state.rtcpReplay.accept(index);
    return len - overhead;
  }

  int ssrcCount() {
    return ssrcs.size();
  }

  /** Drops all per-SSRC state (ROC, replay windows). Test and benchmark use only. */
  void forgetSsrcs() {
    ssrcs.clear();
  }

  long ssrcLimitDrops() {
    return ssrcLimitDrops;
  }

  /** Testing hook: the state of an SSRC, or null. */
  SsrcState state(int ssrc) {
    return ssrcs.get(ssrc);
  }

  /**
   * Length of the RTP header (RFC 3550 §5.1, §5.3.1) including CSRCs and the extension, which SRTP
   * authenticates but does not encrypt; or a negative {@link SrtpResult} code.
   */
  static int rtpHeaderLength(byte[] buf, int off, int len) {
    if (len < RTP_HEADER) {
      return SrtpResult.TOO_SHORT;
    }
    int b0 = buf[off] & 0xFF;
    if ((b0 & 0xC0) != 0x80) {
      return SrtpResult.MALFORMED;
    }
    int headerLen = RTP_HEADER + 4 * (b0 & 0x0F);
    if ((b0 & 0x10) != 0) {
      if (headerLen + 4 > len) {
        return SrtpResult.MALFORMED;
      }
      headerLen += 4 + 4 * readUnsignedShort(buf, off + headerLen + 2);
    }
    return headerLen <= len ? headerLen : SrtpResult.MALFORMED;
  }

  private static boolean outOfBounds(byte[] buf, int off, int len) {
    return off < 0 || len < 0 || off > buf.length - len;
  }

  private static int readInt(byte[] b, int at) {
    return (b[at] & 0xFF) << 24
        | (b[at + 1] & 0xFF) << 16
        | (b[at + 2] & 0xFF) << 8
        | (b[at + 3] & 0xFF);
  }

  private static int readUnsignedShort(byte[] b, int at) {
    return ((b[at] & 0xFF) << 8) | (b[at + 1] & 0xFF);
  }
}
