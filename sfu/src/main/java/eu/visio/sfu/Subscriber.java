package eu.visio.sfu;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.ReceiverEstimatedMaxBitrate;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtcp.RtcpHeader;
import eu.visio.media.rtcp.RtcpParseException;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtcp.TransportCcFeedback;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sending side of one subscribing peer: its {@link DownTrack}s by the SSRC it receives them on,
 * and its feedback routed to them: PLI and FIR to the published track (throttled keyframe
 * requests), NACKs answered by the down track from the published track's history, report blocks
 * measuring the round-trip time.
 */
public final class Subscriber {
  private final String id;
  private final DropCounters drops;
  private final Map<Integer, DownTrack> bySsrc = new HashMap<>();
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();

  private final Downlink downlink;

  public Subscriber(String id, DropCounters drops) {
    this.id = id;
    this.drops = drops;
    this.downlink = new Downlink(id);
  }

  /** Downlink bandwidth estimate in bit/s (transport-cc feedback, else REMB). */
  public long bandwidthEstimate() {
    return downlink.estimate();
  }

  /** Packets numbered for transport-cc. */
  public long transportCcStamped() {
    return downlink.stamped();
  }

  /** Padding probes sent. */
  public long probesSent() {
    return downlink.probesSent();
  }

  Downlink downlink() {
    return downlink;
  }

  public String id() {
    return id;
  }

  public void addDownTrack(DownTrack down) {
    bySsrc.put(down.info().ssrc(), down);
    down.useDownlink(downlink);
  }

  public Iterable<DownTrack> downTracks() {
    return bySsrc.values();
  }

  /** A copy of its down tracks. */
  public List<DownTrack> downTracksList() {
    return List.copyOf(bySsrc.values());
  }

  public void removeDownTrack(DownTrack down) {
    bySsrc.remove(down.info().ssrc(), down);
  }

  /** A decrypted RTCP compound packet from the subscriber. */
  public void onRtcp(byte[] buf, int off, int len, long nowNanos) {
    rtcp.wrap(buf, off, len);
    try {
      while (rtcp.hasNext()) {
        rtcp.next();
        int pt = rtcp.packetType();
        int fmt = rtcp.count();
        if ((pt == RtcpHeader.PSFB || pt == RtcpHeader.RTPFB) && rtcp.packetLength() < 12) {
          drops.drop(DropReason.MALFORMED_RTCP); // feedback needs sender and media SSRCs
          continue;
        }
        if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_PLI) {
          keyframe(mediaSsrc(), nowNanos);
        } else if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_FIR) {
          if (rtcp.parse() instanceof FullIntraRequest fir) {
            for (FullIntraRequest.Entry e : fir.entries()) {
              keyframe(e.ssrc(), nowNanos);
            }
          }
        } else if (pt == RtcpHeader.RTPFB && fmt == RtcpHeader.FMT_NACK) {
          if (rtcp.parse() instanceof GenericNack nack) {
            DownTrack down = bySsrc.get(nack.mediaSsrc());
            if (down != null) {
              down.onNack(nack, nowNanos);
            }
          }
        } else if (pt == RtcpHeader.RR || pt == RtcpHeader.SR) {
          List<ReportBlock> blocks =
              switch (rtcp.parse()) {
                case ReceiverReport rr -> rr.reports();
                case SenderReport sr -> sr.reports();
                default -> List.of();
              };
          for (ReportBlock block : blocks) {
            DownTrack down = bySsrc.get(block.ssrc());
            if (down != null) {
              down.onReportBlock(block, nowNanos);
            }
          }
        } else if (pt == RtcpHeader.RTPFB && fmt == RtcpHeader.FMT_TWCC) {
          if (rtcp.parse() instanceof TransportCcFeedback feedback) {
            downlink.estimator().onFeedback(feedback, nowNanos);
          }
        } else if (pt == RtcpHeader.PSFB && fmt == RtcpHeader.FMT_AFB) {
          if (rtcp.parse() instanceof ReceiverEstimatedMaxBitrate remb) {
            downlink.estimator().onRemb(remb.bitrate(), nowNanos);
          }
        }
      }
    } catch (RtcpParseException e) {
      drops.drop(DropReason.MALFORMED_RTCP);
    }
  }

  private int mediaSsrc() {
    // Feedback packets (RFC 4585 §6.1): the media source SSRC follows the sender SSRC.
    byte[] b = rtcp.buffer();
    int p = rtcp.packetOffset() + 8;
    return ((b[p] & 0xFF) << 24)
        | ((b[p + 1] & 0xFF) << 16)
        | ((b[p + 2] & 0xFF) << 8)
        | (b[p + 3] & 0xFF);
  }

  private void keyframe(int ssrc, long nowNanos) {
    DownTrack down = bySsrc.get(ssrc);
    if (down != null) {
      down.requestKeyframe(nowNanos);
    }
  }
}
