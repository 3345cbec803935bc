package eu.visio.sfu;

import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds which of a track's {@link ReceiveStream}s a packet belongs to. Announced SSRCs match
 * directly. A simulcast encoding, announced by rid only (RFC 8853), is bound to the SSRC of the
 * first packet that names this track's m-line (RFC 8843 {@code sdes:mid}) and the encoding's rid
 * (RFC 8852 {@code rtp-stream-id}, or {@code repaired-rtp-stream-id} for its RTX stream); browsers
 * stop sending those extensions once bound. The caller has authenticated the packet (SRTP), so a
 * forged packet creates no binding. Allocation-free.
 */
final class StreamMatcher {
  private static final Logger log = LoggerFactory.getLogger(StreamMatcher.class);

  private final String trackId;
  private final ReceiveStream[] streams;
  private final boolean simulcast;
  private final String mid;
  private final int midId;
  private final int ridId;
  private final int repairedRidId;

  StreamMatcher(String trackId, TrackInfo info, ReceiveStream[] streams) {
    this.trackId = trackId;
    this.streams = streams;
    this.simulcast = !info.rids().isEmpty();
    this.mid = info.mid();
    this.midId = info.extensionIds().getOrDefault(RtpExtensions.MID, 0);
    this.ridId = info.extensionIds().getOrDefault(RtpExtensions.RTP_STREAM_ID, 0);
    this.repairedRidId = info.extensionIds().getOrDefault(RtpExtensions.REPAIRED_RTP_STREAM_ID, 0);
  }

  /** The stream of {@code p}, binding a rid on first sight; {@code rtx[0]}: its RTX stream. */
  ReceiveStream match(RtpPacket p, boolean[] rtx) {
    int ssrc = p.ssrc();
    for (ReceiveStream s : streams) {
      if (s.ssrc == ssrc && ssrc != 0) {
        rtx[0] = false;
        return s;
      }
      if (s.rtxSsrc == ssrc && ssrc != 0) {
        rtx[0] = true;
        return s;
      }
    }
    if (!simulcast || (midId != 0 && !midMatches(p))) {
      return null;
    }
    for (ReceiveStream s : streams) {
      if (s.ssrc == 0 && s.ridMatches(p, ridId)) {
        s.ssrc = ssrc;
        rtx[0] = false;
        log.debug(
            "track={} rid={} bound to ssrc={}", trackId, s.rid, Integer.toUnsignedString(ssrc));
        return s;
      }
      if (s.rtxSsrc == 0 && s.ridMatches(p, repairedRidId)) {
        s.rtxSsrc = ssrc;
        rtx[0] = true;
        log.debug(
            "track={} rid={} rtx bound to ssrc={}", trackId, s.rid, Integer.toUnsignedString(ssrc));
        return s;
      }
    }
    return null;
  }

  /** The stream whose media SSRC is {@code ssrc}, or null. */
  ReceiveStream bySsrc(int ssrc) {
    for (ReceiveStream s : streams) {
      if (s.ssrc == ssrc && ssrc != 0) {
        return s;
      }
    }
    return null;
  }

  /** Whether {@code p}'s {@code sdes:mid} element names this track's m-line. */
  private boolean midMatches(RtpPacket p) {
    if (mid == null) {
      return false;
    }
    int off = p.extensionOffset(midId);
    int len = p.extensionLength(midId);
    if (off < 0 || len != mid.length()) {
      return false;
    }
    for (int i = 0; i < len; i++) {
      if (p.buffer()[off + i] != mid.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
