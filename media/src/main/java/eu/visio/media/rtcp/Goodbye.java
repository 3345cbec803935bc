package eu.visio.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * BYE, PT=203 (RFC 3550 §6.6): the sources leaving and an optional reason ("" when absent).
 *
 * <pre>
 * header (SC sources) | SSRC/CSRC x SC | [length (8) | reason ... | zero pad to 32 bits]
 * </pre>
 */
public record Goodbye(List<Integer> ssrcs, String reason) implements RtcpPacket {

  public Goodbye {
    ssrcs = List.copyOf(ssrcs);
    if (ssrcs.size() > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("at most 31 sources per BYE: " + ssrcs.size());
    }
    if (reason.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new IllegalArgumentException("BYE reason longer than 255 bytes");
    }
  }

  static Goodbye parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    int sc = RtcpHeader.count(b, off);
    RtcpHeader.require(off, end, RtcpHeader.LENGTH + 4 * sc, "BYE too short");
    List<Integer> ssrcs = new ArrayList<>(sc);
    int p = off + RtcpHeader.LENGTH;
    for (int i = 0; i < sc; i++, p += 4) {
      ssrcs.add(ByteIo.u32(b, p));
    }
    String reason = "";
    if (p < end) {
      int reasonLength = ByteIo.u8(b, p);
      RtcpHeader.require(p + 1, end, reasonLength, "BYE reason overruns packet");
      reason =
          SourceDescription.truncateUtf8(
              new String(b, p + 1, reasonLength, StandardCharsets.UTF_8));
    }
    return new Goodbye(ssrcs, reason);
  }

  @Override
  public int length() {
    int reasonBytes = reason.isEmpty() ? 0 : 1 + reason.getBytes(StandardCharsets.UTF_8).length;
    return RtcpHeader.LENGTH + 4 * ssrcs.size() + ((reasonBytes + 3) & ~3);
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, ssrcs.size(), RtcpHeader.BYE, length);
    int p = off + RtcpHeader.LENGTH;
    for (int ssrc : ssrcs) {
      ByteIo.put32(b, p, ssrc);
      p += 4;
    }
    if (!reason.isEmpty()) {
      byte[] text = reason.getBytes(StandardCharsets.UTF_8);
      b[p] = (byte) text.length;
      System.arraycopy(text, 0, b, p + 1, text.length);
      p += 1 + text.length;
    }
    while (p < off + length) {
      b[p++] = 0;
    }
    return length;
  }
}
