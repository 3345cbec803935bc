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
import eu.visio.sfu.alloc.StreamAllocator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sending side of one subscribing peer: its {@link DownTrack}s by the SSRC it receives them on,
 * and its feedback routed to them: PLI and FIR to the published track (throttled keyframe
 * requests), NACKs answered by the down track from the published track's history, report blocks
 * measuring the round-trip time.
 *
 * <p>It owns its downlink's congestion control ({@link Downlink}) and shares the estimate among its
 * tracks with a {@link StreamAllocator}, every {@link #ALLOCATION_INTERVAL_NANOS} and whenever the
 * estimate or a preference changes: screen shares first, then active speakers' cameras, then the
 * other cameras, each no larger than the subscriber asked for; what does not fit is paused and
 * reported ({@link StreamStateListener}), and resumed when the estimate recovers. When the estimate
 * is below what the subscriptions want, padding probes test for more.
 */
public final class Subscriber implements StreamAllocator.Listener {
  /** How often the allocation is recomputed without a trigger. */
  static final long ALLOCATION_INTERVAL_NANOS = 100_000_000L;

  /** Told when a down track is paused for bandwidth or resumed. */
  @FunctionalInterface
  public interface StreamStateListener {
    void onStreamStateChanged(DownTrack track, boolean active);
  }

  private final String id;
  private final DropCounters drops;
  private final Map<Integer, DownTrack> bySsrc = new HashMap<>();
  private final RtcpCompoundIterator rtcp = new RtcpCompoundIterator();

  private final Downlink downlink;
  private final RtpSink sink;
  private final StreamAllocator allocator;
  private DownTrack[] byHandle = new DownTrack[8];
  private StreamStateListener streamStates = (track, active) -> {};
  private boolean allocationDue = true;
  private long lastAllocation = Long.MIN_VALUE / 2;

  /** A subscriber that does not probe its downlink (no transport to send padding on). */
  public Subscriber(String id, DropCounters drops) {
    this(id, drops, null);
  }

  /**
   * @param sink the subscriber's transport, for padding probes (null: no probing)
   */
  public Subscriber(String id, DropCounters drops, RtpSink sink) {
    this.id = id;
    this.drops = drops;
    this.sink = sink;
    this.downlink = new Downlink(id);
    this.allocator = new StreamAllocator(id, this);
  }

  public void setStreamStateListener(StreamStateListener listener) {
    this.streamStates = listener;
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

  /** Adds a down track of a camera (video) or microphone (audio). */
  public void addDownTrack(DownTrack down) {
    addDownTrack(down, TrackSource.UNKNOWN);
  }

  /** Adds a down track; a screen share's video is served first when bandwidth is short. */
  public void addDownTrack(DownTrack down, TrackSource source) {
    bySsrc.put(down.info().ssrc(), down);
    down.useDownlink(downlink);
    StreamAllocator.Source kind =
        down.info().kind() == TrackKind.AUDIO
            ? StreamAllocator.Source.AUDIO
            : source.screen() ? StreamAllocator.Source.SCREEN : StreamAllocator.Source.CAMERA;
    int h =
        allocator.add(down.id(), kind, kind == StreamAllocator.Source.AUDIO ? null : down.layers());
    if (h >= byHandle.length) {
      byHandle = java.util.Arrays.copyOf(byHandle, Math.max(h + 1, byHandle.length * 2));
    }
    byHandle[h] = down;
    down.setAllocationHandle(h);
    down.setPreferredSpatial(allocator.preferredSpatial(h));
    allocationDue = true;
  }

  /**
   * The subscriber's wishes for one track, as adaptive streaming sends them: the size of the
   * element showing it, the frame rate it needs (0 = no limit), or disabled (not shown at all).
   */
  public void setPreferences(
      DownTrack down, int maxWidth, int maxHeight, int maxFps, boolean disabled) {
    int h = down.allocationHandle();
    if (h < 0 || byHandle[h] != down) {
      return;
    }
    allocator.setPreferences(h, maxWidth, maxHeight, maxFps, disabled);
    down.setPreferredSpatial(disabled ? -1 : allocator.preferredSpatial(h));
    allocationDue = true;
  }

  /** Marks the camera of an active speaker, which goes before other cameras. */
  public void setSpeaker(DownTrack down, boolean speaker) {
    int h = down.allocationHandle();
    if (h >= 0 && byHandle[h] == down) {
      allocator.setSpeaker(h, speaker);
      allocationDue = true;
    }
  }

  /** Whether {@code down} is paused for lack of bandwidth. */
  public boolean paused(DownTrack down) {
    int h = down.allocationHandle();
    return h >= 0 && byHandle[h] == down && allocator.paused(h);
  }

  /** What the subscriptions would need at their preferred layers, in bit/s. */
  public long desiredBitrate(long nowNanos) {
    return allocator.desiredBps(nowNanos);
  }

  /**
   * Periodic work, every few tens of milliseconds: reallocates when due (interval, estimate change,
   * new track or preferences) and sends padding probes when the estimate is short of what the
   * subscriptions want.
   */
  public void tick(long nowNanos) {
    if (allocationDue
        || downlink.takeChanged()
        || nowNanos - lastAllocation >= ALLOCATION_INTERVAL_NANOS) {
      allocationDue = false;
      lastAllocation = nowNanos;
      allocator.allocate(downlink.estimate(), nowNanos);
      for (DownTrack d : byHandle) {
        if (d != null && d.allocationHandle() >= 0) {
          d.setPreferredSpatial(preferredOf(d));
        }
      }
    }
    if (sink != null) {
      probe(nowNanos);
    }
  }

  private int preferredOf(DownTrack d) {
    return allocator.preferredSpatial(d.allocationHandle());
  }

  private void probe(long nowNanos) {
    for (DownTrack d : byHandle) {
      if (d != null && d.canCarryProbes()) {
        TrackInfo out = d.info();
        downlink.probe(
            nowNanos,
            allocator.desiredBps(nowNanos),
            sink,
            out.rtxSsrc(),
            out.rtxPayloadType(),
            out.extensionIds().get(eu.visio.media.sdp.RtpExtensions.TRANSPORT_CC),
            d.lastTimestamp());
        return;
      }
    }
  }

  @Override
  public void onTargetChanged(int handle, int spatial, int temporal) {
    DownTrack d = byHandle[handle];
    if (d != null) {
      d.setTargetLayers(spatial, temporal);
    }
  }

  @Override
  public void onStreamStateChanged(int handle, boolean active) {
    DownTrack d = byHandle[handle];
    if (d != null) {
      streamStates.onStreamStateChanged(d, active);
    }
  }

  public Iterable<DownTrack> downTracks() {
    return bySsrc.values();
  }

  /** A copy of its down tracks. */
  public List<DownTrack> downTracksList() {
    return List.copyOf(bySsrc.values());
  }

  public void removeDownTrack(DownTrack down) {
    if (!bySsrc.remove(down.info().ssrc(), down)) {
      return;
    }
    int h = down.allocationHandle();
    if (h >= 0 && byHandle[h] == down) {
      allocator.remove(h);
      byHandle[h] = null;
      down.setAllocationHandle(-1);
    }
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
          keyframe(rtcp.mediaSsrc(), nowNanos);
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

  private void keyframe(int ssrc, long nowNanos) {
    DownTrack down = bySsrc.get(ssrc);
    if (down != null) {
      down.requestKeyframe(nowNanos);
    }
  }
}
