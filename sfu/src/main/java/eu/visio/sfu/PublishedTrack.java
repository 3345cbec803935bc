package eu.visio.sfu;

import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.nack.NackGenerator;
import eu.visio.sfu.nack.PacketHistory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A track a publisher sends, fanned out to its {@link DownTrack}s. Keeps reception statistics for
 * receiver reports, and throttles keyframe requests so that many subscribers asking at once cost
 * the publisher one PLI.
 *
 * <p>Retransmission (RFC 4585 §6.2.1, RFC 4588): every received packet is copied once into a {@link
 * PacketHistory}, from which the down tracks answer their subscribers' NACKs; a video track's
 * {@link NackGenerator} NACKs the publisher's own losses from {@link #tick}. The publisher's RTX
 * packets are unwrapped into the original packet, which fills the history; it is forwarded to the
 * down tracks only when it was missing from the history, i.e. when it repairs a loss between the
 * publisher and us: then no subscriber can have it yet. A retransmission of a packet we already had
 * (answering a NACK we did not send, or RTX used as a bandwidth probe) reached every subscriber the
 * first time and is not forwarded again.
 */
public final class PublishedTrack {
  private static final Logger log = LoggerFactory.getLogger(PublishedTrack.class);

  /**
   * At most one PLI per this interval reaches the publisher (mediasoup uses 1 s; we retry faster).
   */
  static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(300);

  /** History slots of a video track: about 4 s of 1 Mb/s video, 768 KB. */
  static final int VIDEO_HISTORY = 512;

  /** History slots of an audio track: 2.5 s of 20 ms Opus frames. */
  static final int AUDIO_HISTORY = 128;

  private static final DownTrack[] NONE = new DownTrack[0];

  private final String id;
  private final TrackInfo info;
  private final Publisher publisher;
  private final ReceiveStats stats;
  private final PacketHistory history;
  private final NackGenerator generator;
  private final int transportCcId;
  private final RtpPacket original = new RtpPacket();
  private DownTrack[] downTracks = NONE;
  private long lastKeyframeRequestNanos = Long.MIN_VALUE / 2;
  private long keyframeRequests;
  private long keyframes;
  private boolean waitingForKeyframe;
  private long duplicates;
  private long rtxRecovered;
  private long rtxRedundant;
  private long rtxDropped;
  private long paddingProbes;
  private long nacksSent;

  PublishedTrack(String id, TrackInfo info, Publisher publisher) {
    this.id = id;
    this.info = info;
    this.publisher = publisher;
    this.stats = new ReceiveStats(info.clockRate());
    boolean video = info.kind() == TrackKind.VIDEO;
    this.history = new PacketHistory(video ? VIDEO_HISTORY : AUDIO_HISTORY);
    // Audio is not NACKed: a late Opus frame is concealed, not waited for (Chrome negotiates no
    // NACK for Opus either).
    this.generator = video ? new NackGenerator() : null;
    this.transportCcId = info.extensionIds().getOrDefault(RtpExtensions.TRANSPORT_CC, 0);
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

  /** Media packets received twice (not forwarded again). */
  public long duplicatesReceived() {
    return duplicates;
  }

  /** RTX packets that repaired a loss and were forwarded. */
  public long rtxRecovered() {
    return rtxRecovered;
  }

  /** RTX packets for packets already received (not forwarded). */
  public long rtxRedundant() {
    return rtxRedundant;
  }

  /** RTX packets dropped: before any media, or too large to rebuild. */
  public long rtxDropped() {
    return rtxDropped;
  }

  /** Padding-only RTX packets (bandwidth probes), dropped. */
  public long paddingProbes() {
    return paddingProbes;
  }

  /** Sequence numbers NACKed towards the publisher (each retry counts). */
  public long nacksSent() {
    return nacksSent;
  }

  PacketHistory history() {
    return history;
  }

  NackGenerator nackGenerator() {
    return generator;
  }

  /** The transport-wide-cc extension id on the publisher's m-line, or 0. */
  int transportCcId() {
    return transportCcId;
  }

  /** Scratch to copy a packet out of the history into (one slot). */
  byte[] retransmitBuffer() {
    return publisher.retransmitBuffer();
  }

  /** The media loop's send buffer. */
  byte[] scratch() {
    return publisher.scratch();
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
    long ext = stats.onPacket(p.sequenceNumber(), p.timestamp(), nowNanos);
    if (generator != null) {
      generator.onPacket(ext, nowNanos);
    }
    if (history.contains(ext)) {
      duplicates++; // a network duplicate, or a late original after its RTX: already forwarded
      return;
    }
    history.store(p, ext, nowNanos); // refused only when larger than a slot: then not resendable
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

  /**
   * A retransmission (RFC 4588 §4) from the publisher: rebuilt into the original packet (OSN as
   * sequence number, media SSRC and payload type, padding dropped), stored, and forwarded when it
   * repairs a loss (see the class comment).
   */
  void onRtx(RtpPacket p, long nowNanos, byte[] scratch) {
    if (p.payloadLength() < 2) {
      paddingProbes++; // padding-only: a bandwidth probe, nothing to retransmit
      return;
    }
    byte[] buf = publisher.retransmitBuffer();
    int header = p.headerLength();
    int payloadLength = p.payloadLength() - 2;
    if (!stats.started() || header + payloadLength > buf.length) {
      rtxDropped++;
      return;
    }
    byte[] b = p.buffer();
    int osn = ((b[p.payloadOffset()] & 0xFF) << 8) | (b[p.payloadOffset() + 1] & 0xFF);
    System.arraycopy(b, p.offset(), buf, 0, header);
    System.arraycopy(b, p.payloadOffset() + 2, buf, header, payloadLength);
    buf[0] &= (byte) 0xDF; // RTX padding is not the original's
    original.wrap(buf, 0, header + payloadLength);
    original.setPayloadType(info.payloadType());
    original.setSequenceNumber(osn);
    original.setSsrc(info.ssrc());
    long ext = stats.extend(osn);
    if (generator != null) {
      generator.onRtx(ext, nowNanos);
    }
    if (history.contains(ext) || !history.store(original, ext, nowNanos)) {
      rtxRedundant++;
      return;
    }
    rtxRecovered++;
    for (DownTrack d : downTracks) {
      d.forwardRecovered(original, scratch);
    }
  }

  void onSenderReport(SenderReport sr, long nowNanos, byte[] scratch) {
    stats.onSenderReport(sr.compactNtp(), nowNanos);
    for (DownTrack d : downTracks) {
      d.forwardSenderReport(sr, nowNanos, scratch);
    }
  }

  /**
   * NACKs what the generator says is due and asks for a keyframe when it gave up on NACKing. Called
   * from the publisher's tick (every few tens of milliseconds); allocates only when it sends.
   */
  void tick(long nowNanos, int[] seqs) {
    if (generator == null) {
      return;
    }
    int n = generator.collect(nowNanos, seqs);
    if (n > 0) {
      nacksSent += n;
      publisher.sendRtcp(NackGenerator.toGenericNack(publisher.rtcpSsrc(), info.ssrc(), seqs, n));
    }
    if (generator.takeKeyframeRequest()) {
      log.debug("track={} losses beyond NACK repair, asking for a keyframe", id);
      requestKeyframe(nowNanos);
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

  ReportBlock report(long nowNanos) {
    return stats.started() ? stats.report(info.ssrc(), nowNanos) : null;
  }
}
