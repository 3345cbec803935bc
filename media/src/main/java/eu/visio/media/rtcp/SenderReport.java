package eu.visio.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Sender report, PT=200 (RFC 3550 §6.4.1): sender info plus up to 31 report blocks. A
 * profile-specific extension after the blocks is accepted and ignored, not re-emitted.
 *
 * @param ssrc sender SSRC
 * @param ntpTimestamp 64-bit NTP timestamp (32.32 fixed point seconds since 1900)
 * @param rtpTimestamp the same instant in the stream's RTP clock
 * @param packetCount sender's packet count (unsigned 32-bit)
 * @param octetCount sender's payload octet count (unsigned 32-bit)
 */
public record SenderReport(
    int ssrc,
    long ntpTimestamp,
    int rtpTimestamp,
    int packetCount,
    int octetCount,
    List<ReportBlock> reports)
    implements RtcpPacket {

  private static final int SENDER_INFO = 24;

  public SenderReport {
    reports = List.copyOf(reports);
    if (reports.size() > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("at most 31 report blocks per SR: " + reports.size());
    }
  }

  /**
   * The "middle 32 bits" of the NTP timestamp, echoed as LSR in report blocks (RFC 3550 §6.4.1).
   */
  public int compactNtp() {
    return (int) (ntpTimestamp >>> 16);
  }

  static SenderReport parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    int rc = RtcpHeader.count(b, off);
    RtcpHeader.require(
        off, end, RtcpHeader.LENGTH + SENDER_INFO + rc * ReportBlock.LENGTH, "SR too short");
    int p = off + RtcpHeader.LENGTH;
    List<ReportBlock> blocks = new ArrayList<>(rc);
    for (int i = 0; i < rc; i++) {
      blocks.add(ReportBlock.read(b, p + SENDER_INFO + i * ReportBlock.LENGTH));
    }
    return new SenderReport(
        ByteIo.u32(b, p),
        ByteIo.u64(b, p + 4),
        ByteIo.u32(b, p + 12),
        ByteIo.u32(b, p + 16),
        ByteIo.u32(b, p + 20),
        blocks);
  }

  @Override
  public int length() {
    return RtcpHeader.LENGTH + SENDER_INFO + reports.size() * ReportBlock.LENGTH;
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, reports.size(), RtcpHeader.SR, length);
    int p = off + RtcpHeader.LENGTH;
    ByteIo.put32(b, p, ssrc);
    ByteIo.put64(b, p + 4, ntpTimestamp);
    ByteIo.put32(b, p + 12, rtpTimestamp);
    ByteIo.put32(b, p + 16, packetCount);
    ByteIo.put32(b, p + 20, octetCount);
    p += SENDER_INFO;
    for (ReportBlock r : reports) {
      r.write(b, p);
      p += ReportBlock.LENGTH;
    }
    return length;
  }
}
