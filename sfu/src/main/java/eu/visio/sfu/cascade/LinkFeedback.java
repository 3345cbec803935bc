package eu.visio.sfu.cascade;

import eu.visio.media.relay.LinkHeader;
import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtcp.RtcpHeader;
import eu.visio.media.rtcp.RtcpParseException;
import eu.visio.sfu.RtpSink;

/**
 * The relay participants' transport: what the mirrors' publishers send "to the publisher". Keyframe
 * requests (PLI, or FIR turned into PLI) and NACKs go over the link on the channel whose mirror the
 * SSRC belongs to; receiver reports, SDES, REMB and transport-cc mean nothing to the origin (it has
 * its own publisher's) and are dropped.
 */
final class LinkFeedback implements RtpSink {
  private final RelayLink link;
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final byte[] pli = new byte[PictureLossIndication.LENGTH];

  LinkFeedback(RelayLink link) {
    this.link = link;
  }

  @Override
  public boolean sendRtp(byte[] buf, int off, int len) {
    return false;
  }

  @Override
  public boolean sendRtcp(byte[] buf, int off, int len) {
    rtcp.wrap(buf, off, len);
    try {
      while (rtcp.hasNext()) {
        rtcp.next();
        int pt = rtcp.packetType();
        int fmt = rtcp.count();
        if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_PLI && rtcp.packetLength() >= 12) {
          LinkReceiver r = link.importOf(rtcp.mediaSsrc());
          if (r != null) {
            link.send(
                LinkHeader.KIND_PLI,
                0,
                r.channel(),
                rtcp.buffer(),
                rtcp.packetOffset(),
                rtcp.packetLength());
          }
        } else if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_FIR) {
          if (rtcp.parse() instanceof FullIntraRequest fir) {
            for (FullIntraRequest.Entry e : fir.entries()) {
              LinkReceiver r = link.importOf(e.ssrc());
              if (r != null) {
                int n = new PictureLossIndication(fir.senderSsrc(), e.ssrc()).write(pli, 0);
                link.send(LinkHeader.KIND_PLI, 0, r.channel(), pli, 0, n);
              }
            }
          }
        } else if (pt == RtcpHeader.RTPFB
            && fmt == RtcpHeader.FMT_NACK
            && rtcp.packetLength() >= 16) {
          LinkReceiver r = link.importOf(rtcp.mediaSsrc());
          if (r != null) {
            link.send(
                LinkHeader.KIND_NACK,
                0,
                r.channel(),
                rtcp.buffer(),
                rtcp.packetOffset(),
                rtcp.packetLength());
          }
        }
      }
    } catch (RtcpParseException e) {
      // Our own mirror wrote it: cannot happen; nothing to do if it did.
    }
    return true;
  }
}
