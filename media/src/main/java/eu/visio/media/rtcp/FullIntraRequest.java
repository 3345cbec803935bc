package eu.visio.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Full Intra Request, PSFB (PT=206) FMT=4 (RFC 5104 §4.3.1). The media source field is unused
 * (written 0, ignored on parse); each 8-byte FCI entry names a target SSRC and a command sequence
 * number that the sender uses to spot repeats (§4.3.1.2).
 *
 * <pre>
 * FCI entry: SSRC (32) | Seq nr. (8) | Reserved (24)
 * </pre>
 */
public record FullIntraRequest(int senderSsrc, List<FullIntraRequest.Entry> entries)
    implements RtcpPacket {

  /**
   * One FCI entry.
   *
   * @param ssrc media sender asked for a decoder refresh point
   * @param sequenceNumber command sequence number, 0..255, incremented per new request
   */
  public record Entry(int ssrc, int sequenceNumber) {
    public Entry {
      if (sequenceNumber < 0 || sequenceNumber > 255) {
        throw new IllegalArgumentException("FIR seq nr must be 0..255: " + sequenceNumber);
      }
    }
  }

  public FullIntraRequest {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("FIR needs at least one entry");
    }
  }

  static FullIntraRequest parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    RtcpHeader.require(off, end, 20, "FIR too short");
    int n = (end - off - 12) / 8; // a ragged tail shorter than an entry is ignored
    List<Entry> entries = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int p = off + 12 + 8 * i;
      entries.add(new Entry(ByteIo.u32(b, p), ByteIo.u8(b, p + 4)));
    }
    return new FullIntraRequest(ByteIo.u32(b, off + 4), entries);
  }

  @Override
  public int length() {
    return 12 + 8 * entries.size();
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, RtcpHeader.FMT_FIR, RtcpHeader.PSFB, length);
    ByteIo.put32(b, off + 4, senderSsrc);
    ByteIo.put32(b, off + 8, 0);
    int p = off + 12;
    for (Entry e : entries) {
      ByteIo.put32(b, p, e.ssrc());
      ByteIo.put32(b, p + 4, e.sequenceNumber() << 24);
      p += 8;
    }
    return length;
  }
}
