package eu.visio.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Receiver report, PT=201 (RFC 3550 §6.4.2): reporter SSRC and up to 31 report blocks (none is
 * valid: the minimal packet that opens a compound when nothing was received).
 */
public record ReceiverReport(int ssrc, List<ReportBlock> reports) implements RtcpPacket {

  public ReceiverReport {
    reports = List.copyOf(reports);
    if (reports.size() > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("at most 31 report blocks per RR: " + reports.size());
    }
  }

  static ReceiverReport parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    int rc = RtcpHeader.count(b, off);
    RtcpHeader.require(off, end, RtcpHeader.LENGTH + 4 + rc * ReportBlock.LENGTH, "RR too short");
    List<ReportBlock> blocks = new ArrayList<>(rc);
    for (int i = 0; i < rc; i++) {
      blocks.add(ReportBlock.read(b, off + 8 + i * ReportBlock.LENGTH));
    }
    return new ReceiverReport(ByteIo.u32(b, off + 4), blocks);
  }

  @Override
  public int length() {
    return 8 + reports.size() * ReportBlock.LENGTH;
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, reports.size(), RtcpHeader.RR, length);
    ByteIo.put32(b, off + 4, ssrc);
    int p = off + 8;
    for (ReportBlock r : reports) {
      r.write(b, p);
      p += ReportBlock.LENGTH;
    }
    return length;
  }
}
