package eu.visio.sfu.cascade;

import eu.visio.media.relay.LinkDatagram;
import eu.visio.media.relay.LinkHeader;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.TrackOutlet;

/**
 * The origin side of one exported track: every packet and sender report of the track goes onto the
 * link once (all encodings), whatever the number of subscribers on the other node. Feedback from
 * the other node: a NACK is answered from the track's history by sending the original packet again
 * (the link has no RTX: the receiving node's history takes it as the missing packet); a PLI becomes
 * the track's keyframe request, throttled there with every local subscriber's.
 *
 * <p>A video track no subscriber on the other node needs ({@link RelayLink#wantLayers} with -1)
 * stays off the link until one does, or until a keyframe request comes from there.
 *
 * <p>Runs on the room's worker; allocation-free.
 */
public final class LinkSender implements TrackOutlet {
  private final RelayLink link;
  private final PublishedTrack track;
  private final int channel;
  private final byte[] resend = new byte[LinkDatagram.MAX_PACKET];
  private long packets;
  // No subscriber on the other node needs any layer of this (video) track: its packets stay here
  // until one does (or asks for a keyframe).
  private boolean unwanted;
  private long retransmitted;
  private long keyframeRequests;

  LinkSender(RelayLink link, PublishedTrack track, int channel) {
    this.link = link;
    this.track = track;
    this.channel = channel;
  }

  /** The track it exports. */
  public PublishedTrack track() {
    return track;
  }

  public int channel() {
    return channel;
  }

  /** RTP packets of the track put on the link (retransmissions not included). */
  public long packets() {
    return packets;
  }

  /** Packets sent again because the other node NACKed them. */
  public long retransmitted() {
    return retransmitted;
  }

  /** PLIs from the other node passed to the track. */
  public long keyframeRequests() {
    return keyframeRequests;
  }

  /** Whether the other node needs none of this track now (its packets are not sent). */
  public boolean unwanted() {
    return unwanted;
  }

  void setUnwanted(boolean unwanted) {
    this.unwanted = unwanted;
  }

  @Override
  public void offerRtp(RtpPacket p, int encoding) {
    if (!unwanted
        && encoding < LinkHeader.MAX_ENCODINGS
        && link.send(LinkHeader.KIND_RTP, encoding, channel, p.buffer(), p.offset(), p.length())) {
      packets++;
    }
  }

  @Override
  public void offerSenderReport(byte[] b, int off, int len) {
    link.send(LinkHeader.KIND_SENDER_REPORT, 0, channel, b, off, len);
  }

  /**
   * A generic NACK (RFC 4585 §6.2.1) from the other node, {@code buf[off, +len)}: sender SSRC,
   * media SSRC, then (PID, BLP) pairs. Packets the history still holds go again.
   */
  void onNack(byte[] buf, int off, int len) {
    if (len < 16) {
      return;
    }
    int encoding = track.encodingOf(readInt(buf, off + 8));
    if (encoding < 0) {
      return;
    }
    for (int at = off + 12; at + 4 <= off + len; at += 4) {
      int pid = ((buf[at] & 0xFF) << 8) | (buf[at + 1] & 0xFF);
      int blp = ((buf[at + 2] & 0xFF) << 8) | (buf[at + 3] & 0xFF);
      for (int bit = -1; bit < 16; bit++) {
        if (bit >= 0 && (blp & (1 << bit)) == 0) {
          continue;
        }
        int n = track.readHistory(encoding, (pid + bit + 1) & 0xFFFF, resend, 0);
        if (n > 0 && link.send(LinkHeader.KIND_RTP, encoding, channel, resend, 0, n)) {
          retransmitted++;
        }
      }
    }
  }

  /** A PLI from the other node for the media SSRC it names. */
  void onPli(byte[] buf, int off, int len, long nowNanos) {
    if (len < 12) {
      return;
    }
    keyframeRequests++;
    unwanted = false; // a subscriber there wants it now, before its layers reach us
    track.requestKeyframeBySsrc(readInt(buf, off + 8), nowNanos);
  }

  private static int readInt(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24)
        | ((b[off + 1] & 0xFF) << 16)
        | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }
}
