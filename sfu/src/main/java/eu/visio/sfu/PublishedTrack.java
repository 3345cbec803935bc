package eu.visio.sfu;

import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A track a publisher sends, fanned out to its {@link DownTrack}s. Keeps reception statistics for
 * receiver reports, and throttles keyframe requests so that many subscribers asking at once cost
 * the publisher one PLI.
 */
public final class PublishedTrack {
  private static final Logger log = LoggerFactory.getLogger(PublishedTrack.class);

  /**
   * At most one PLI per this interval reaches the publisher (mediasoup uses 1 s; we retry faster).
   */
  static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  private static final DownTrack[] NONE = new DownTrack[0];

  private final String id;
  private final TrackInfo info;
  private final Publisher publisher;
  private final ReceiveStats stats;
  private DownTrack[] downTracks = NONE;
  private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
  private long keyframeRequests;
  private long keyframes;
  private boolean waitingForKeyframe;

  PublishedTrack(String id, TrackInfo info, Publisher publisher) {
    this.id = id;
    this.info = info;
    this.publisher = publisher;
    this.stats = new ReceiveStats(info.clockRate());
  }

  public String id() {
    return id;
  }

  public TrackInfo info() {
    return info;
  }

  public long packetsReceived() {
    return stats.received();
  }

  public long keyframesReceived() {
    return keyframes;
  }

  public long keyframeRequestsSent() {
    return keyframeRequests;
  }

  public int downTrackCount() {
    return downTracks.length;
  }

  /** Starts forwarding to {@code down}; video waits for a keyframe, which is requested now. */
  public void addDownTrack(DownTrack down, long nowNanos) {
    if (down.source() == this) {
      return; // already fed (e.g. the same publisher set again): never forward twice
    }
    if (down.source() != null) {
      down.source().removeDownTrack(down);
    }
    down.attach(this);
    DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
    next[next.length - 1] = down;
    downTracks = next;
    if (info.kind() == TrackKind.VIDEO) {
      requestKeyframe(nowNanos);
    }
  }

  public void removeDownTrack(DownTrack down) {
    int n = 0;
    DownTrack[] next = new DownTrack[downTracks.length];
    for (DownTrack d : downTracks) {
      if (d != down) {
        next[n++] = d;
      }
    }
    downTracks = n == 0 ? NONE : Arrays.copyOf(next, n);
    if (down.source() == this) {
      down.detach();
    }
  }

  /** Hands every down track to another source (the publisher was replaced). */
  DownTrack[] detachAll() {
    DownTrack[] all = downTracks;
    downTracks = NONE;
    for (DownTrack d : all) {
      d.detach();
    }
    return all;
  }

  void onRtp(RtpPacket p, long nowNanos, byte[] scratch) {
    stats.onPacket(p.sequenceNumber(), p.timestamp(), nowNanos);
    boolean keyframe =
        info.kind() == TrackKind.VIDEO
            && Keyframes.isKeyframe(info.codec(), p.buffer(), p.payloadOffset(), p.payloadLength());
    if (keyframe) {
      keyframes++;
      if (waitingForKeyframe) {
        waitingForKeyframe = false;
        log.debug("track={} keyframe arrived", id);
      }
    }
    for (DownTrack d : downTracks) {
      d.forward(p, keyframe, nowNanos, scratch);
    }
    if (waitingForKeyframe
        && nowNanos - lastKeyframeRequestNanos > 3 * KEYFRAME_REQUEST_INTERVAL_NANOS) {
      requestKeyframe(nowNanos); // the last request got no keyframe: ask again
    }
  }

  void onRtx(RtpPacket p, byte[] scratch) {
    for (DownTrack d : downTracks) {
      d.forwardRtx(p, scratch);
    }
  }

  void onSenderReport(SenderReport sr, long nowNanos, byte[] scratch) {
    stats.onSenderReport(sr.compactNtp(), nowNanos);
    for (DownTrack d : downTracks) {
      d.forwardSenderReport(sr, scratch);
    }
  }

  /**
   * Asks the publisher for a keyframe, at most once per {@link #KEYFRAME_REQUEST_INTERVAL_NANOS}.
   */
  public void requestKeyframe(long nowNanos) {
    if (info.kind() != TrackKind.VIDEO) {
      return;
    }
    waitingForKeyframe = true;
    if (nowNanos - lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
      return;
    }
    lastKeyframeRequestNanos = nowNanos;
    keyframeRequests++;
    publisher.sendRtcp(new PictureLossIndication(publisher.rtcpSsrc(), info.ssrc()));
  }

  /** Forwards a subscriber's NACK to the publisher in the publisher's numbering. */
  void nack(DownTrack down, List<Integer> lostOut) {
    if (lostOut.isEmpty()) {
      return;
    }
    Integer[] lost = new Integer[lostOut.size()];
    for (int i = 0; i < lost.length; i++) {
      lost[i] = down.sourceSequence(lostOut.get(i));
    }
    publisher.sendRtcp(GenericNack.fromLost(publisher.rtcpSsrc(), info.ssrc(), List.of(lost)));
  }

  ReportBlock report(long nowNanos) {
    return stats.started() ? stats.report(info.ssrc(), nowNanos) : null;
  }
}
