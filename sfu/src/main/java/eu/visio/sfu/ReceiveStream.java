package eu.visio.sfu;

import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.nack.NackGenerator;
import eu.visio.sfu.nack.PacketHistory;

/**
 * One RTP stream a publisher sends for a track: the track itself, or one of its simulcast encodings
 * (mediasoup's {@code RtpStreamRecv}). Owns what is per SSRC: reception statistics for receiver
 * reports, the packet history subscribers' NACKs are answered from, the NACK generator towards the
 * publisher, the keyframe-request throttle, and the last sender report (to align timestamps across
 * encodings).
 *
 * <p>A simulcast encoding is known by its rid until its first packet: the SSRC (and that of its RTX
 * stream) is bound from the RFC 8852 header extensions of an authenticated packet.
 */
final class ReceiveStream {
  final int index;
  final String rid;
  private final byte[] ridBytes;
  int ssrc;
  int rtxSsrc;
  final ReceiveStats stats;
  final PacketHistory history;
  final NackGenerator generator;

  long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
  boolean waitingForKeyframe;
  long keyframeRequests;
  long keyframes;
  long duplicates;
  long rtxRecovered;
  long rtxRedundant;
  long rtxDropped;
  long paddingProbes;
  long nacksSent;

  /** The last picture's timestamp (frame starts of codecs without a descriptor flag). */
  int lastTimestamp;

  boolean lastTimestampValid;

  /** Whether the picture of {@link #lastTimestamp} is a keyframe ({@code SourcePacket}). */
  boolean inKeyframe;

  /** Width and height of the last keyframe, when the payload tells (VP8), else 0. */
  int width;

  int height;

  private boolean haveSenderReport;
  private long senderReportNtp;
  private int senderReportRtp;

  ReceiveStream(int index, String rid, int ssrc, int rtxSsrc, int clockRate, boolean video) {
    this.index = index;
    this.rid = rid;
    this.ridBytes = rid == null ? null : rid.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    this.ssrc = ssrc;
    this.rtxSsrc = rtxSsrc;
    this.stats = new ReceiveStats(clockRate);
    this.history =
        new PacketHistory(
            video ? PublishedTrack.VIDEO_HISTORY : PublishedTrack.AUDIO_HISTORY,
            PacketHistory.DEFAULT_SLOT_SIZE);
    // Audio is not NACKed: a late Opus frame is concealed, not waited for (Chrome negotiates no
    // NACK for Opus either).
    this.generator = video ? new NackGenerator() : null;
  }

  /** Whether the packet's {@code extensionId} header extension holds exactly this stream's rid. */
  boolean ridMatches(RtpPacket p, int extensionId) {
    if (ridBytes == null || extensionId == 0) {
      return false;
    }
    int off = p.extensionOffset(extensionId);
    int len = p.extensionLength(extensionId);
    if (off < 0 || len != ridBytes.length) {
      return false;
    }
    byte[] b = p.buffer();
    for (int i = 0; i < len; i++) {
      if (b[off + i] != ridBytes[i]) {
        return false;
      }
    }
    return true;
  }

  /**
   * Rebuilds the original packet (RFC 4588 §4: OSN as sequence number, this stream's SSRC, the
   * codec's payload type, RTX padding dropped) from RTX packet {@code p} into {@code buf}, wrapped
   * by {@code original}, and stores it. Returns true when it repairs a loss (it was missing from
   * the history); padding-only probes, packets before any media and redundant ones are counted and
   * return false.
   */
  boolean unwrapRtx(RtpPacket p, byte[] buf, RtpPacket original, int payloadType, long nowNanos) {
    if (p.payloadLength() < 2) {
      paddingProbes++; // padding-only: a bandwidth probe, nothing to retransmit
      return false;
    }
    int header = p.headerLength();
    int payloadLength = p.payloadLength() - 2;
    if (!stats.started() || header + payloadLength > buf.length) {
      rtxDropped++;
      return false;
    }
    byte[] b = p.buffer();
    int osn = ((b[p.payloadOffset()] & 0xFF) << 8) | (b[p.payloadOffset() + 1] & 0xFF);
    System.arraycopy(b, p.offset(), buf, 0, header);
    System.arraycopy(b, p.payloadOffset() + 2, buf, header, payloadLength);
    buf[0] &= (byte) 0xDF; // RTX padding is not the original's
    original.wrap(buf, 0, header + payloadLength);
    original.setPayloadType(payloadType);
    original.setSequenceNumber(osn);
    original.setSsrc(ssrc);
    long ext = stats.extend(osn);
    if (generator != null) {
      generator.onRtx(ext, nowNanos);
    }
    if (history.contains(ext) || !history.store(original, ext, nowNanos)) {
      rtxRedundant++;
      return false;
    }
    return true;
  }

  void onSenderReport(long ntp, int rtp, int compactNtp, long nowNanos) {
    stats.onSenderReport(compactNtp, nowNanos);
    haveSenderReport = true;
    senderReportNtp = ntp;
    senderReportRtp = rtp;
  }

  boolean haveSenderReport() {
    return haveSenderReport;
  }

  /**
   * This stream's RTP timestamp at the NTP time {@code ntp} (64-bit, RFC 3550 §4), extrapolated
   * from its last sender report at {@code clockRate}.
   */
  long rtpAt(long ntp, int clockRate) {
    long deltaNtp = ntp - senderReportNtp; // 32.32 fixed point, signed
    long ticks = Math.multiplyHigh(deltaNtp, (long) clockRate << 32);
    return (senderReportRtp & 0xFFFFFFFFL) + ticks;
  }

  long senderReportNtp() {
    return senderReportNtp;
  }

  int senderReportRtp() {
    return senderReportRtp;
  }

  ReportBlock report(long nowNanos) {
    return stats.started() && ssrc != 0 ? stats.report(ssrc, nowNanos) : null;
  }
}
