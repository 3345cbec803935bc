package eu.visio.sfu;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.rtcp.Goodbye;
import eu.visio.media.rtcp.ReceiverEstimatedMaxBitrate;
import eu.visio.media.rtcp.ReceiverReport;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.RtcpCompound;
import eu.visio.media.rtcp.RtcpCompoundIterator;
import eu.visio.media.rtcp.RtcpHeader;
import eu.visio.media.rtcp.RtcpPacket;
import eu.visio.media.rtcp.RtcpParseException;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtcp.SourceDescription;
import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.nack.PacketHistory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The receiving side of one publishing peer: maps its SSRCs to {@link PublishedTrack}s, feeds them
 * its RTP and sender reports, and sends it feedback: receiver reports, REMB, NACKs and
 * transport-wide congestion control feedback.
 *
 * <p>{@link #tick} runs every {@link #TICK_NANOS} or so: it sends the NACKs each track's generator
 * has due, and every {@link #FEEDBACK_INTERVAL_NANOS} the transport-cc feedback for the packets
 * that arrived since the last one (when the publisher negotiated the extension). {@link
 * #sendReports} runs about once a second.
 *
 * <p>REMB stays, as a cap: with transport-cc, Chrome's send-side estimator computes the rate from
 * our feedback, and still applies a received REMB as an upper limit (libwebrtc's
 * SendSideBandwidthEstimation receiver limit). So the estimator follows the network and REMB keeps
 * a publisher from sending more than a viewer could use; a publisher without transport-cc falls
 * back to REMB alone.
 */
public final class Publisher {
  /** How often {@link #tick} is meant to run: NACK timing resolution. */
  public static final long TICK_NANOS = 20_000_000L;

  /** Interval between transport-cc feedback packets (libwebrtc sends every 50 to 250 ms). */
  static final long FEEDBACK_INTERVAL_NANOS = 50_000_000L;

  /** Arrivals remembered for transport-cc feedback. */
  private static final int FEEDBACK_CAPACITY = 1024;

  private final String id;
  private final RtpSink transport;
  private final DropCounters drops;
  private final int rtcpSsrc = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
  private final String cname;
  private final long maxBitrate;
  private final List<PublishedTrack> tracks = new ArrayList<>();
  // Looked up per packet by a linear scan: a peer publishes a handful of tracks, and a map keyed by
  // Integer would box every SSRC outside the small-value cache (16 bytes per packet).
  private PublishedTrack[] trackArray = new PublishedTrack[0];
  private final RtpPacket packet = new RtpPacket();
  private final boolean[] rtx = new boolean[1];
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();
  private final byte[] scratch;
  private final byte[] retransmitBuffer = new byte[PacketHistory.DEFAULT_SLOT_SIZE];
  private final byte[] rtcpOut = new byte[1500];
  private final int[] nackSeqs = new int[128];
  private final TransportCcRecorder arrivals = new TransportCcRecorder(FEEDBACK_CAPACITY);
  private boolean transportCc;
  private long lastFeedbackNanos;
  private boolean feedbackStarted;

  /**
   * @param scratch the media loop's send buffer (shared by everything on the loop)
   * @param maxBitrate what REMB tells the publisher it may send, in bit/s
   */
  public Publisher(
      String id, RtpSink transport, DropCounters drops, byte[] scratch, long maxBitrate) {
    this.id = id;
    this.transport = transport;
    this.drops = drops;
    this.scratch = scratch;
    this.maxBitrate = maxBitrate;
    this.cname = "visio-" + Integer.toHexString(rtcpSsrc);
  }

  public String id() {
    return id;
  }

  int rtcpSsrc() {
    return rtcpSsrc;
  }

  public List<PublishedTrack> tracks() {
    return List.copyOf(tracks);
  }

  /** Its tracks, without a copy (do not modify). */
  PublishedTrack[] trackArray() {
    return trackArray;
  }

  byte[] scratch() {
    return scratch;
  }

  byte[] retransmitBuffer() {
    return retransmitBuffer;
  }

  public PublishedTrack addTrack(String trackId, TrackInfo info) {
    PublishedTrack track = new PublishedTrack(trackId, info, this);
    tracks.add(track);
    trackArray = tracks.toArray(new PublishedTrack[0]);
    transportCc |= track.transportCcId() != 0;
    return track;
  }

  /** Stops receiving {@code track}: its packets are dropped as of an unknown SSRC from now on. */
  public void removeTrack(PublishedTrack track) {
    if (tracks.remove(track)) {
      trackArray = tracks.toArray(new PublishedTrack[0]);
      track.detachAll();
    }
  }

  /** Transport-cc feedback packets sent. */
  public long transportFeedbackSent() {
    return arrivals.feedbacks();
  }

  /** A decrypted RTP packet from the publisher. */
  public void onRtp(byte[] buf, int off, int len, long nowNanos) {
    if (!packet.wrap(buf, off, len)) {
      drops.drop(DropReason.MALFORMED_RTP);
      return;
    }
    for (PublishedTrack track : trackArray) {
      ReceiveStream s = track.match(packet, rtx);
      if (s != null) {
        // RTX and padding probes count for the publisher's bandwidth estimate too.
        recordArrival(track, packet.ssrc(), nowNanos);
        if (rtx[0]) {
          track.onRtx(packet, s, nowNanos, scratch);
        } else {
          track.onRtp(packet, s, nowNanos, scratch);
        }
        return;
      }
    }
    drops.drop(DropReason.UNKNOWN_SSRC);
  }

  /** A decrypted RTCP compound packet from the publisher. */
  public void onRtcp(byte[] buf, int off, int len, long nowNanos) {
    rtcp.wrap(buf, off, len);
    try {
      while (rtcp.hasNext()) {
        rtcp.next();
        if (rtcp.packetType() == RtcpHeader.SR) {
          int ssrc = rtcp.ssrc();
          for (PublishedTrack track : trackArray) {
            ReceiveStream s = track.streamBySsrc(ssrc);
            if (s != null && rtcp.parse() instanceof SenderReport sr) {
              track.onSenderReport(sr, s, nowNanos, scratch);
            }
          }
        } else if (rtcp.packetType() == RtcpHeader.BYE && rtcp.parse() instanceof Goodbye bye) {
          for (int ssrc : bye.ssrcs()) {
            for (PublishedTrack track : trackArray) {
              ReceiveStream s = track.streamBySsrc(ssrc);
              if (s != null) {
                track.onBye(s);
              }
            }
          }
        }
        // RR about what we send (nothing) and SDES need no action here.
      }
    } catch (RtcpParseException e) {
      drops.drop(DropReason.MALFORMED_RTCP);
    }
  }

  private void recordArrival(PublishedTrack track, int ssrc, long nowNanos) {
    int id = track.transportCcId();
    if (id != 0 && packet.extensionLength(id) == 2) {
      arrivals.onPacket((int) packet.readExtension(id), ssrc, nowNanos);
    }
  }

  /**
   * Sends due NACKs (and keyframe requests the NACK generators asked for) and, every {@link
   * #FEEDBACK_INTERVAL_NANOS}, transport-cc feedback. Call every {@link #TICK_NANOS} or so, on the
   * media loop.
   */
  public void tick(long nowNanos) {
    for (PublishedTrack t : trackArray) {
      t.tick(nowNanos, nackSeqs);
    }
    if (!transportCc) {
      return;
    }
    if (feedbackStarted && nowNanos - lastFeedbackNanos < FEEDBACK_INTERVAL_NANOS) {
      return;
    }
    feedbackStarted = true;
    lastFeedbackNanos = nowNanos;
    TransportCcFeedback feedback = arrivals.build(rtcpSsrc);
    if (feedback != null) {
      sendRtcp(feedback);
    }
  }

  /** Sends RR (one block per received stream), SDES CNAME and REMB. Call about once a second. */
  public void sendReports(long nowNanos) {
    List<ReportBlock> blocks = new ArrayList<>();
    List<Integer> ssrcs = new ArrayList<>();
    for (PublishedTrack t : tracks) {
      t.reports(nowNanos, blocks, ssrcs);
    }
    if (blocks.isEmpty()) {
      return;
    }
    List<RtcpPacket> compound = new ArrayList<>();
    compound.add(new ReceiverReport(rtcpSsrc, blocks));
    compound.add(SourceDescription.cname(rtcpSsrc, cname));
    compound.add(new ReceiverEstimatedMaxBitrate(rtcpSsrc, maxBitrate, ssrcs));
    int n = RtcpCompound.write(rtcpOut, 0, compound);
    transport.sendRtcp(rtcpOut, 0, n);
  }

  /** The transport its feedback goes out on (a pipe finds its relay's shared feedback there). */
  RtpSink transport() {
    return transport;
  }

  void sendRtcp(RtcpPacket p) {
    int n = p.write(rtcpOut, 0);
    transport.sendRtcp(rtcpOut, 0, n);
  }
}
