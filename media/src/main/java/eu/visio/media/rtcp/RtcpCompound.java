package eu.visio.media.rtcp;

import java.util.ArrayList;
import java.util.List;

/**
 * Whole-compound helpers. RFC 3550 §6.1 wants a regular compound to start with SR or RR and carry
 * an SDES CNAME, e.g. {@code write(buf, 0, rr, sdes)}; RFC 5506 reduced-size feedback may be sent
 * alone. Neither rule is enforced here: the caller picks what it sends.
 */
public final class RtcpCompound {
  private RtcpCompound() {}

  /** Total bytes {@link #write} produces for these packets. */
  public static int length(List<? extends RtcpPacket> packets) {
    int total = 0;
    for (RtcpPacket p : packets) {
      total += p.length();
    }
    return total;
  }

  /** Writes the packets back to back at {@code buf[off]} and returns the compound length. */
  public static int write(byte[] buf, int off, List<? extends RtcpPacket> packets) {
    int p = off;
    for (RtcpPacket packet : packets) {
      p += packet.write(buf, p);
    }
    return p - off;
  }

  /** Decodes every packet of the compound; the first malformed one fails the whole compound. */
  public static List<RtcpPacket> parse(byte[] buf, int off, int len) throws RtcpParseException {
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    it.wrap(buf, off, len);
    List<RtcpPacket> out = new ArrayList<>();
    while (it.hasNext()) {
      it.next();
      out.add(it.parse());
    }
    return out;
  }
}
