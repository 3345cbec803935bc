package eu.visio.media.srtp;

/**
 * An SRTP/SRTCP session keyed by DTLS-SRTP (RFC 5764 §4.2): the DTLS client protects with the
 * client write keys and unprotects with the server's, and the server the other way round.
 *
 * <p>All four per-packet methods work in place on {@code buf[off..off+len)} and return the new
 * length, or a negative {@link SrtpResult} code; they never throw on packet content and allocate
 * nothing in steady state (only the first packet of a new SSRC creates its state). Protect needs
 * tail room after the packet: {@link #rtpOverhead()} bytes for RTP, {@link #rtcpOverhead()} for
 * RTCP (at most {@link #MAX_RTP_OVERHEAD} and {@link #MAX_RTCP_OVERHEAD}).
 *
 * <p>Memory: with the default AES-GCM engine each of the four GCM keys (RTP and RTCP, in and out)
 * carries a 64 KiB GHASH table, so a GCM session holds ~260 KiB.
 *
 * <p>Not thread-safe: a session belongs to one worker thread at a time.
 */
public final class SrtpSession {
  /** Largest RTP tail room any profile needs (the GCM tag). */
  public static final int MAX_RTP_OVERHEAD = 16;

  /** Largest RTCP tail room any profile needs (GCM tag plus E flag and SRTCP index). */
  public static final int MAX_RTCP_OVERHEAD = 20;

  /** Default cap on SSRCs tracked per direction. */
  public static final int DEFAULT_MAX_SSRCS = 256;

  private final SrtpProfile profile;
  private final SrtpContext outbound;
  private final SrtpContext inbound;

  public SrtpSession(SrtpKeyingMaterial keys, boolean dtlsClient) {
    this(keys, dtlsClient, DEFAULT_MAX_SSRCS);
  }

  /**
   * @param maxSsrcs SSRCs tracked per direction; packets of further SSRCs return {@link
   *     SrtpResult#TOO_MANY_SSRCS}
   */
  public SrtpSession(SrtpKeyingMaterial keys, boolean dtlsClient, int maxSsrcs) {
    this.profile = keys.profile();
    SrtpContext client =
        SrtpContext.fromMaster(profile, keys.clientKey(), keys.clientSalt(), maxSsrcs);
    SrtpContext server =
        SrtpContext.fromMaster(profile, keys.serverKey(), keys.serverSalt(), maxSsrcs);
    this.outbound = dtlsClient ? client : server;
    this.inbound = dtlsClient ? server : client;
  }

  public SrtpProfile profile() {
    return profile;
  }

  /** Tail room {@link #protectRtp} needs. */
  public int rtpOverhead() {
    return outbound.rtpOverhead();
  }

  /** Tail room {@link #protectRtcp} needs. */
  public int rtcpOverhead() {
    return outbound.rtcpOverhead();
  }

  /**
   * Encrypts and authenticates an RTP packet in place (RFC 3711 §3.3, RFC 7714 §8).
   *
   * @return the SRTP length ({@code len + rtpOverhead()}), or a negative {@link SrtpResult}
   */
  public int protectRtp(byte[] buf, int off, int len) {
    return outbound.protectRtp(buf, off, len);
  }

  /**
   * Authenticates, replay-checks and decrypts an SRTP packet in place.
   *
   * @return the RTP length, or a negative {@link SrtpResult}
   */
  public int unprotectRtp(byte[] buf, int off, int len) {
    return inbound.unprotectRtp(buf, off, len);
  }

  /**
   * Encrypts and authenticates a (compound) RTCP packet in place, E flag set (RFC 3711 §3.4, RFC
   * 7714 §9).
   *
   * @return the SRTCP length ({@code len + rtcpOverhead()}), or a negative {@link SrtpResult}
   */
  public int protectRtcp(byte[] buf, int off, int len) {
    return outbound.protectRtcp(buf, off, len);
  }

  /**
   * Authenticates, replay-checks and (if E is set) decrypts an SRTCP packet in place.
   *
   * @return the RTCP length, or a negative {@link SrtpResult}
   */
  public int unprotectRtcp(byte[] buf, int off, int len) {
    return inbound.unprotectRtcp(buf, off, len);
  }

  /** Packets dropped (both directions) because their SSRC exceeded the cap. */
  public long ssrcLimitDrops() {
    return outbound.ssrcLimitDrops() + inbound.ssrcLimitDrops();
  }

  int inboundSsrcCount() {
    return inbound.ssrcCount();
  }

  SrtpContext inbound() {
    return inbound;
  }

  SrtpContext outbound() {
    return outbound;
  }

  @Override
  public String toString() {
    return "SrtpSession[" + profile + ", keys redacted]";
  }
}
