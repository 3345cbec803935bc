package eu.visio.sfu;

import eu.visio.media.rtcp.GenericNack;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.alloc.StreamAllocator;
import eu.visio.sfu.audio.Red;
import eu.visio.sfu.layer.ForwardDrops;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.LayerForwarder;
import eu.visio.sfu.layer.LayerSelector;
import eu.visio.sfu.layer.LayerSelector.Decision;
import eu.visio.sfu.layer.SequenceRewriter;
import eu.visio.sfu.layer.Vp8Descriptor;
import eu.visio.sfu.svc.Av1LayerFilter;
import eu.visio.sfu.svc.SvcLayerFilter;
import eu.visio.sfu.svc.Vp9LayerFilter;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One published track as one subscriber receives it (mediasoup's {@code Consumer}). Owns the
 * subscriber's view of the stream: its SSRC, payload types and extension ids, the layers it gets,
 * and the rewriting that keeps the output one gapless stream across simulcast switches, dropped
 * temporal layers, pauses and publisher reconnections ({@link LayerForwarder}).
 *
 * <p>Layer choice: a simulcast source (or any single-encoding one) goes through a {@link
 * LayerSelector}: one encoding at a time, switched at its keyframes, upper temporal layers dropped
 * by whole frames. A scalable source (VP9, or AV1 with the dependency descriptor) goes through an
 * {@link SvcLayerFilter} instead. The target layers come from {@link #setTargetLayers} (the
 * bandwidth allocator or the subscriber's preferences). Video starts only at a keyframe; the
 * timestamps of a new encoding are placed on the old one's clock from both encodings' sender
 * reports when available.
 *
 * <p>Retransmissions (NACKs answered from the history, as RTX) are its {@link Retransmitter}'s; RED
 * is passed through or unwrapped by {@link Red}; what it sends is numbered for the subscriber's
 * congestion control by its {@link Downlink}.
 */
public final class DownTrack {
  private static final Logger log = LoggerFactory.getLogger(DownTrack.class);
  private static final LayerDropReason[] REASONS = LayerDropReason.values();

  /** Room left in the send buffer after a packet for the SRTP tag and MKI. */
  static final int SRTP_ROOM = 20;

  private final String id;
  private final TrackInfo out;
  private final RtpSink sink;
  private final LayerForwarder forwarder;
  private final LayerSelector selector;
  private SvcLayerFilter svc;
  private PublishedTrack source;
  private SourcePacket.Codec codec = SourcePacket.Codec.OTHER;
  private ExtensionIdMap extensions;
  private final byte[] payloadTypes = new byte[128];
  private int redIn = -1;
  private int targetSpatial;
  private int targetTemporal = SvcLayerFilter.MAX_TEMPORAL;
  private int preferredSpatial = Integer.MAX_VALUE;
  private int allocationHandle = -1;
  private final StreamAllocator.Layers layers = new DownTrackLayers(this);

  /** Encoding of the last packet sent, or -1: where a switch comes from. */
  private int sentEncoding = -1;

  private long packetsSent;
  private long octetsSent;
  private long redUnwrapped;
  private int lastFractionLost;
  private ForwardDrops totals;
  private Downlink downlink;
  private int sourceTwccId;
  private final long[] svcDropsBefore = new long[REASONS.length];

  private final int[] aligned = new int[1];
  private final Retransmitter retransmitter = new Retransmitter(this);

  public DownTrack(String id, TrackInfo out, RtpSink sink) {
    this.id = id;
    this.out = out;
    this.sink = sink;
    this.forwarder = new LayerForwarder(id, out.clockRate());
    this.selector = forwarder.selector();
    // Until told otherwise, the best encoding; the selector keeps this for audio too (one layer).
    this.targetSpatial = out.kind() == TrackKind.AUDIO ? 0 : Integer.MAX_VALUE;
  }

  public String id() {
    return id;
  }

  public TrackInfo info() {
    return out;
  }

  public PublishedTrack source() {
    return source;
  }

  public long packetsSent() {
    return packetsSent;
  }

  /** Video packets dropped while waiting for the keyframe that starts (or switches) the stream. */
  public long droppedBeforeKeyframe() {
    return dropCount(LayerDropReason.NOT_KEYFRAME_YET);
  }

  /** Packets not sent for {@code reason}. */
  public long dropCount(LayerDropReason reason) {
    long n = selector.dropCount(reason) + svcDropsBefore[reason.ordinal()];
    return svc == null ? n : n + svc.dropCount(reason);
  }

  /** Whether packets flow: started on an encoding (or SVC layers) of the current source. */
  public boolean started() {
    return svc != null
        ? svc.currentSpatial() != SvcLayerFilter.NONE
        : selector.currentSpatial() >= 0;
  }

  /** The encoding (simulcast) or spatial layer (SVC) being sent, or -1. */
  public int currentSpatial() {
    return svc != null ? svc.currentSpatial() : selector.currentSpatial();
  }

  /** The temporal layer being sent. */
  public int currentTemporal() {
    return svc != null ? svc.currentTemporal() : selector.currentTemporal();
  }

  /** Switches whose timestamps were aligned by sender reports. */
  public long alignedSwitches() {
    return forwarder.alignedSwitches();
  }

  /** Retransmissions sent: NACKs answered from the history and recovered packets forwarded. */
  public long retransmissionsSent() {
    return retransmitter.sent();
  }

  /** NACKed numbers answered from the history. */
  public long nacksServed() {
    return retransmitter.responder().served();
  }

  /** NACKed numbers no longer (or never) in the history. */
  public long nacksMissingFromHistory() {
    return retransmitter.responder().missingFromHistory();
  }

  /** NACKed numbers not resent because they were resent less than an RTT ago. */
  public long nacksRateLimited() {
    return retransmitter.responder().rateLimited();
  }

  /** NACKed numbers this subscriber never received from the current source. */
  public long nacksUnmapped() {
    return retransmitter.responder().unmapped();
  }

  /** Smoothed round-trip time to the subscriber, or the default before a measurement. */
  public long rttNanos() {
    return retransmitter.rttNanos();
  }

  /**
   * Sets the layers this subscriber should get: a spatial layer (simulcast encoding index, or SVC
   * spatial id; clamped to what the source has; -1 pauses) and the highest temporal layer. Takes
   * effect at the packets that allow it (keyframes, switching points, frame starts).
   */
  public void setTargetLayers(int spatial, int temporal) {
    targetSpatial = spatial;
    targetTemporal = temporal;
    applyTarget();
  }

  public int targetSpatial() {
    return targetSpatial;
  }

  /**
   * The highest spatial layer this subscriber's preferences ask for (size, disabled), set by its
   * allocator; the source's dynacast takes the highest over its subscribers.
   */
  int preferredSpatial() {
    return preferredSpatial;
  }

  void setPreferredSpatial(int spatial) {
    if (spatial == preferredSpatial) {
      return;
    }
    preferredSpatial = spatial;
    if (source != null && source.layersNeeded() != null) {
      source.layersNeeded().set(this, spatial);
    }
  }

  /** The source's layers as the allocator sees them (none while detached). */
  StreamAllocator.Layers layers() {
    return layers;
  }

  /**
   * Whether padding probes can go out as this track's RTX (video with RTX and transport-cc, and
   * started, so the subscriber knows the RTX stream's timestamps).
   */
  boolean canCarryProbes() {
    Integer twcc = out.extensionIds().get(RtpExtensions.TRANSPORT_CC);
    return out.kind() == TrackKind.VIDEO
        && out.hasRtx()
        && twcc != null
        && twcc >= 1
        && twcc <= 14
        && sentEncoding >= 0;
  }

  /** The timestamp of the last packet sent. */
  int lastTimestamp() {
    return forwarder.timestamp();
  }

  /** The allocator's handle for this track in its subscriber, or -1. */
  int allocationHandle() {
    return allocationHandle;
  }

  void setAllocationHandle(int handle) {
    allocationHandle = handle;
  }

  /** The encoding a keyframe is needed from to start this subscriber (simulcast), else 0. */
  int wantedEncoding() {
    return svc != null || source == null ? 0 : Math.clamp(targetSpatial, 0, source.encodings() - 1);
  }

  private void applyTarget() {
    if (source == null) {
      return;
    }
    int s = targetSpatial;
    if (s >= 0 && svc == null) {
      s = Math.min(s, source.encodings() - 1);
    } else if (s >= 0) {
      s = Math.min(s, 7);
    }
    if (svc != null) {
      svc.setTarget(s, targetTemporal);
    } else {
      selector.setTarget(s, Math.min(targetTemporal, LayerSelector.MAX_TEMPORAL));
    }
  }

  /** Attaches to a (new) source. Output continues from where it stopped at the next keyframe. */
  void attach(PublishedTrack track) {
    source = track;
    TrackInfo in = track.info();
    codec = SourcePacket.Codec.of(in);
    extensions = new ExtensionIdMap(in.extensionIds(), out.extensionIds(), out.mid());
    java.util.Arrays.fill(payloadTypes, (byte) -1);
    // The subscriber negotiated the publisher's codec, under its own payload type numbers.
    payloadTypes[in.payloadType()] = (byte) out.payloadType();
    redIn = in.redPayloadType();
    sourceTwccId = in.extensionIds().getOrDefault(RtpExtensions.TRANSPORT_CC, 0);
    if (redIn >= 0) {
      // RED goes through as RED where both sides have it; otherwise its primary block alone.
      payloadTypes[redIn] = (byte) (out.hasRed() ? out.redPayloadType() : out.payloadType());
    }
    selector.restart();
    if (svc != null) {
      for (LayerDropReason r : REASONS) {
        svcDropsBefore[r.ordinal()] += svc.dropCount(r);
      }
    }
    svc =
        !in.svc()
            ? null
            : codec == SourcePacket.Codec.VP9 ? new Vp9LayerFilter(id) : new Av1LayerFilter(id);
    if (svc != null) {
      svc.countInto(totals);
    }
    sentEncoding = -1;
    applyTarget();
    retransmitter.reset();
  }

  void detach() {
    source = null;
    selector.restart();
  }

  /**
   * Forwards one packet of the source if this subscriber's layers include it. {@code scratch} is
   * the loop's send buffer, with room for the SRTP tag after the largest packet.
   */
  void forward(SourcePacket sp, long nowNanos, byte[] scratch) {
    RtpPacket p = sp.packet;
    int seq = p.sequenceNumber();
    if (p.length() > scratch.length - SRTP_ROOM) {
      selector.countDrop(LayerDropReason.MALFORMED); // no datagram of ours is this large
      return;
    }
    int pt = payloadTypes[p.payloadType()];
    if (pt < 0) {
      selector.countDrop(LayerDropReason.UNKNOWN_PAYLOAD_TYPE);
      if (sp.encoding == sentEncoding) {
        forwarder.dropInStream(seq); // keep the output gapless
      }
      return;
    }
    int redPrimary = -1;
    if (p.payloadType() == redIn) {
      redPrimary = Red.primaryOffset(p.buffer(), p.payloadOffset(), p.payloadLength());
      int primaryPt =
          redPrimary < 0
              ? -1
              : Red.primaryPayloadType(p.buffer(), p.payloadOffset(), p.payloadLength());
      if (primaryPt < 0 || payloadTypes[primaryPt] < 0) {
        selector.countDrop(LayerDropReason.MALFORMED_RED);
        if (sp.encoding == sentEncoding) {
          forwarder.dropInStream(seq);
        }
        return;
      }
    }
    Decision decision;
    if (svc != null) {
      decision =
          switch (svc) {
            case Vp9LayerFilter f -> f.decideVp9(sp.vp9, sp.parsed, p.timestamp(), p.marker());
            case Av1LayerFilter f ->
                f.decideAv1(sp.dependencyDescriptor(), sp.parsed, p.timestamp(), p.marker());
          };
    } else if (!sp.parsed) {
      selector.countDrop(LayerDropReason.MALFORMED);
      return;
    } else {
      decision = selector.decide(sp.encoding, sp.tid, sp.layerSync, sp.keyframe, sp.frameStart);
    }
    long alignedTs = LayerForwarder.NOT_ALIGNED;
    if (decision == Decision.SWITCH
        && sentEncoding >= 0
        && sentEncoding != sp.encoding
        && source.alignTimestamp(sp.encoding, sentEncoding, p.timestamp(), aligned)) {
      alignedTs = aligned[0] + forwarder.timestampOffset();
    }
    Vp8Descriptor vp8 = codec == SourcePacket.Codec.VP8 ? sp.vp8 : null;
    boolean send = forwarder.apply(decision, seq, p.timestamp(), vp8, nowNanos, alignedTs);
    requestKeyframeIfNeeded(nowNanos);
    if (!send) {
      return;
    }
    if (decision == Decision.SWITCH && sentEncoding != sp.encoding) {
      log.debug(
          "downtrack={} now on encoding {} (from {}) at seq={} ts={}",
          id,
          sp.encoding,
          sentEncoding,
          forwarder.sequence(),
          Integer.toUnsignedString(forwarder.timestamp()));
    }
    sentEncoding = sp.encoding;
    int len = p.length();
    System.arraycopy(p.buffer(), p.offset(), scratch, 0, len);
    writeHeader(scratch, out.ssrc(), pt, forwarder.sequence(), forwarder.timestamp());
    if (svc != null) {
      scratch[1] = (byte) ((scratch[1] & 0x7F) | (svc.setMarker() ? 0x80 : 0));
    }
    extensions.apply(p, scratch, -p.offset());
    if (vp8 != null) {
      forwarder.writeDescriptor(vp8, scratch, p.payloadOffset() - p.offset());
    }
    if (redPrimary >= 0) {
      int n = Red.adapt(p, redPrimary, scratch, out.hasRed(), payloadTypes);
      redUnwrapped += n < len ? 1 : 0;
      len = n;
    }
    int twcc = stamp(p, scratch, -p.offset(), len, nowNanos);
    if (send(scratch, len, twcc)) {
      packetsSent++;
      octetsSent += len - p.headerLength();
    }
  }

  /** RED packets sent as their primary block alone. */
  public long redUnwrapped() {
    return redUnwrapped;
  }

  /** RED packets dropped: malformed, or their primary codec unknown to the subscriber. */
  public long droppedMalformedRed() {
    return dropCount(LayerDropReason.MALFORMED_RED);
  }

  /** The subscriber asked for a keyframe (PLI, FIR): ask the encoding it receives. */
  void requestKeyframe(long nowNanos) {
    if (source != null) {
      source.requestKeyframe(
          svc == null && sentEncoding >= 0 ? sentEncoding : wantedEncoding(), nowNanos);
    }
  }

  private void requestKeyframeIfNeeded(long nowNanos) {
    if (codec == SourcePacket.Codec.AUDIO) {
      return;
    }
    if (svc != null) {
      if (svc.keyframeRequest(nowNanos)) {
        source.requestKeyframe(0, nowNanos);
      }
      return;
    }
    int encoding = selector.keyframeRequest(nowNanos);
    if (encoding >= 0) {
      source.requestKeyframe(encoding, nowNanos);
    }
  }

  /**
   * Forwards a packet the source recovered from the publisher's RTX stream, if it belongs to what
   * this subscriber receives (a packet from before its start, or of another encoding, is of no use
   * to it).
   */
  void forwardRecovered(RtpPacket original, int encoding, long nowNanos, byte[] scratch) {
    if (encoding == sentEncoding && started()) {
      retransmitter.recovered(original, nowNanos, scratch);
    }
  }

  /** A NACK from the subscriber for this track: answered from the source's history. */
  void onNack(GenericNack nack, long nowNanos) {
    if (source != null && sentEncoding >= 0) {
      retransmitter.onNack(nack, source, sentEncoding, nowNanos);
    }
  }

  /** A report block the subscriber sent about this track (RTT). */
  void onReportBlock(ReportBlock block, long nowNanos) {
    retransmitter.onReportBlock(block, nowNanos);
    lastFractionLost = block.fractionLost();
  }

  /** Loss the subscriber last reported for this track, 0..255 (/256), RFC 3550 §6.4.1. */
  int lastFractionLost() {
    return lastFractionLost;
  }

  // For the Retransmitter.

  LayerForwarder forwarder() {
    return forwarder;
  }

  SourcePacket.Codec codec() {
    return codec;
  }

  ExtensionIdMap extensions() {
    return extensions;
  }

  /** This subscriber's payload type for the source's {@code pt}, or -1. */
  int mappedPayloadType(int pt) {
    return payloadTypes[pt];
  }

  /**
   * Rewrites the sender report of encoding {@code encoding} for this subscriber (same NTP↔RTP
   * mapping, on this subscriber's timestamps), if it is the encoding being sent.
   */
  void forwardSenderReport(SenderReport sr, int encoding, long nowNanos, byte[] scratch) {
    if (encoding != sentEncoding || !started()) {
      return;
    }
    retransmitter.onSenderReportSent(sr.compactNtp(), nowNanos);
    SenderReport mine =
        new SenderReport(
            out.ssrc(),
            sr.ntpTimestamp(),
            sr.rtpTimestamp() + forwarder.timestampOffset(),
            (int) packetsSent,
            (int) octetsSent,
            List.of());
    int n = mine.write(scratch, 0);
    sink.sendRtcp(scratch, 0, n);
  }

  /**
   * Maps a sequence number the subscriber reported lost back to the source's numbering, or -1 when
   * it was not sent from the current encoding.
   */
  int sourceSequence(int outSeq) {
    int in = forwarder.sourceSequence(outSeq);
    return in == SequenceRewriter.REJECTED ? -1 : in;
  }

  /** Writes payload type (keeping the marker), sequence number, timestamp and SSRC. */
  static void writeHeader(byte[] b, int ssrc, int pt, int seq, int ts) {
    b[1] = (byte) ((b[1] & 0x80) | (pt & 0x7F));
    RtpHeaders.write(b, seq, ts, ssrc);
  }

  long droppedUnknownPayload() {
    return dropCount(LayerDropReason.UNKNOWN_PAYLOAD_TYPE);
  }

  /**
   * Numbers what this track sends with the subscriber transport's transport-wide sequence numbers,
   * if the subscriber negotiated transport-cc.
   */
  void useDownlink(Downlink d) {
    downlink = out.extensionIds().containsKey(RtpExtensions.TRANSPORT_CC) ? d : null;
  }

  /**
   * Writes the next transport-wide number into the copy of {@code src} at {@code scratch}; returns
   * it, or -1 when none was written.
   */
  int stamp(RtpPacket src, byte[] scratch, int delta, int len, long nowNanos) {
    if (downlink == null) {
      return -1;
    }
    int at = -1;
    if (sourceTwccId != 0 && src.extensionLength(sourceTwccId) == 2) {
      at = src.extensionOffset(sourceTwccId) + delta;
    }
    return downlink.stamp(scratch, at, len, nowNanos);
  }

  /**
   * Hands a packet {@link #stamp} numbered {@code twcc} to the transport; if it is refused the
   * number is taken back, so feedback does not count a packet that never left as lost.
   */
  boolean send(byte[] b, int len, int twcc) {
    if (sink.sendRtp(b, 0, len)) {
      return true;
    }
    if (downlink != null) {
      downlink.unsent(twcc);
    }
    return false;
  }

  /** Also counts this track's drops into the worker's totals. */
  public void countDropsInto(ForwardDrops totals) {
    this.totals = totals;
    selector.countInto(totals);
    if (svc != null) {
      svc.countInto(totals);
    }
  }
}
