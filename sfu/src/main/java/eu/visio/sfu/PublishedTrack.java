package eu.visio.sfu;

import eu.visio.media.rtcp.FullIntraRequest;
import eu.visio.media.rtcp.PictureLossIndication;
import eu.visio.media.rtcp.ReportBlock;
import eu.visio.media.rtcp.SenderReport;
import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import eu.visio.sfu.alloc.LayerBitrates;
import eu.visio.sfu.alloc.LayersNeeded;
import eu.visio.sfu.audio.AudioLevel;
import eu.visio.sfu.audio.SpeakerDetector;
import eu.visio.sfu.nack.NackGenerator;
import eu.visio.sfu.nack.PacketHistory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A track a publisher sends, fanned out to its {@link DownTrack}s: one {@link ReceiveStream} per
 * encoding (one, or one per simulcast rid), read once per packet into a {@link SourcePacket} that
 * every down track decides on. Keyframe requests are throttled per encoding, so many subscribers
 * asking at once cost the publisher one PLI (or FIR where PLI was not negotiated).
 *
 * <p>Retransmission (RFC 4585 §6.2.1, RFC 4588): every received packet is copied once into its
 * stream's {@link PacketHistory}, from which the down tracks answer their subscribers' NACKs; a
 * video stream's {@link NackGenerator} NACKs the publisher's own losses from {@link #tick}. The
 * publisher's RTX packets are unwrapped into the original packet, which fills the history; it is
 * forwarded to the down tracks only when it was missing from the history, i.e. when it repairs a
 * loss between the publisher and us: then no subscriber can have it yet. A retransmission of a
 * packet we already had (answering a NACK we did not send, or RTX used as a bandwidth probe)
 * reached every subscriber the first time and is not forwarded again.
 */
public final class PublishedTrack {
  private static final Logger log = LoggerFactory.getLogger(PublishedTrack.class);

  /**
   * At most one keyframe request per encoding per this interval reaches the publisher (mediasoup
   * uses 1 s; we retry faster). libwebrtc ignores a request that comes within 300 ms of the last
   * one it acted on, so requests are spaced a little more than that, jitter included.
   */
  static final long KEYFRAME_REQUEST_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(350);

  /** A requested keyframe not there after this long is asked for again (the request was lost). */
  static final long KEYFRAME_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  /** History slots of a video stream: about 4 s of 1 Mb/s video, 768 KB. */
  static final int VIDEO_HISTORY = 512;

  /** History slots of an audio stream: 2.5 s of 20 ms Opus frames. */
  static final int AUDIO_HISTORY = 128;

  private static final DownTrack[] NONE = new DownTrack[0];

  /** Spatial layers assumed for an SVC track until its packets show more (browsers send L3T3). */
  static final int SVC_LAYERS = 3;

  private final String id;
  private final TrackInfo info;
  private final Publisher publisher;
  private final ReceiveStream[] streams;
  private final SourcePacket source;
  private final int transportCcId;
  private final StreamMatcher matcher;
  private final RtpPacket original = new RtpPacket();
  private DownTrack[] downTracks = NONE;
  private TrackOutlet[] pipes = new TrackOutlet[0];
  private int firSequence;
  private TrackSource trackSource = TrackSource.UNKNOWN;
  private SpeakerDetector speakers;
  private int speakerHandle = -1;
  private final int audioLevelId;
  private final LayerBitrates bitrates;
  private final LayersNeeded layersNeeded;

  PublishedTrack(String id, TrackInfo info, Publisher publisher) {
    this.id = id;
    this.info = info;
    this.publisher = publisher;
    boolean video = info.kind() == TrackKind.VIDEO;
    int n = info.encodings();
    this.streams = new ReceiveStream[n];
    for (int i = 0; i < n; i++) {
      String rid = info.rids().isEmpty() ? null : info.rids().get(i);
      int ssrc = rid == null ? info.ssrc() : 0;
      int rtx = rid == null ? info.rtxSsrc() : 0;
      streams[i] = new ReceiveStream(i, rid, ssrc, rtx, info.clockRate(), video);
    }
    this.source = new SourcePacket(info);
    this.transportCcId = info.extensionIds().getOrDefault(RtpExtensions.TRANSPORT_CC, 0);
    this.matcher = new StreamMatcher(id, info, streams);
    this.audioLevelId = info.extensionIds().getOrDefault(RtpExtensions.AUDIO_LEVEL, 0);
    this.bitrates = video ? new LayerBitrates(info.svc() ? SVC_LAYERS : n, info.svc()) : null;
    this.layersNeeded = video ? new LayersNeeded(id, info.svc() ? SVC_LAYERS : n) : null;
  }

  /** Received bitrate per layer (video), for the subscribers' allocators; null for audio. */
  LayerBitrates bitrates() {
    return bitrates;
  }

  /** The highest layer any subscriber wants (video, for dynacast); null for audio. */
  LayersNeeded layersNeeded() {
    return layersNeeded;
  }

  /**
   * Holds the layers {@code key} (something other than a local subscriber: a cascade link) needs,
   * up to {@code maxSpatial} ({@code -1}: none), in this track's dynacast (worker only; no effect
   * on audio).
   */
  public void holdLayers(Object key, int maxSpatial) {
    if (layersNeeded != null) {
      layersNeeded.set(key, maxSpatial);
    }
  }

  /** Forgets what {@link #holdLayers} held for {@code key}. */
  public void releaseLayers(Object key) {
    if (layersNeeded != null) {
      layersNeeded.remove(key);
    }
  }

  /** The id of the participant (publisher) sending this track. */
  public String publisherId() {
    return publisher.id();
  }

  public TrackSource source() {
    return trackSource;
  }

  void setSource(TrackSource source) {
    this.trackSource = source;
  }

  /** Feeds this audio track's RFC 6464 levels to the room's speaker detector as {@code handle}. */
  void observeAudioLevels(SpeakerDetector detector, int handle) {
    this.speakers = detector;
    this.speakerHandle = handle;
  }

  /** The speaker detector handle, or -1. */
  int speakerHandle() {
    return speakerHandle;
  }

  public String id() {
    return id;
  }

  public TrackInfo info() {
    return info;
  }

  /** Number of encodings (simulcast rids, or one). */
  public int encodings() {
    return streams.length;
  }

  /** The SSRC encoding {@code i} arrives on, or 0 while unknown (a rid not seen yet). */
  public int ssrc(int i) {
    return streams[i].ssrc;
  }

  /** Width of encoding {@code i}'s last keyframe when the codec tells (VP8), else 0. */
  public int width(int i) {
    return streams[i].width;
  }

  /** Height of encoding {@code i}'s last keyframe when the codec tells (VP8), else 0. */
  public int height(int i) {
    return streams[i].height;
  }

  /** Packets received on encoding {@code i}. */
  public long packetsReceived(int i) {
    return streams[i].stats.received();
  }

  public int downTrackCount() {
    return downTracks.length;
  }

  /** The worst loss among its encodings since the previous call (for connection quality). */
  double lossSinceLastCheck() {
    double loss = 0;
    for (ReceiveStream s : streams) {
      loss = Math.max(loss, s.stats.lossSinceLastCheck());
    }
    return loss;
  }

  /** What this track's streams received and asked for so far, summed over its encodings. */
  public ReceiveCounters counters() {
    long[] c = new long[9];
    for (ReceiveStream s : streams) {
      c[0] += s.stats.received();
      c[1] += s.keyframes;
      c[2] += s.keyframeRequests;
      c[3] += s.duplicates;
      c[4] += s.rtxRecovered;
      c[5] += s.rtxRedundant;
      c[6] += s.rtxDropped;
      c[7] += s.paddingProbes;
      c[8] += s.nacksSent;
    }
    return new ReceiveCounters(c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[8]);
  }

  ReceiveStream stream(int i) {
    return streams[i];
  }

  PacketHistory history(int encoding) {
    return streams[encoding].history;
  }

  NackGenerator nackGenerator() {
    return streams[0].generator;
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

  /**
   * The stream a packet with this SSRC belongs to, binding a simulcast encoding on first sight
   * ({@link StreamMatcher}); {@code rtx[0]} tells whether it is the stream's RTX. Null when the
   * packet is not this track's.
   */
  ReceiveStream match(RtpPacket p, boolean[] rtx) {
    return matcher.match(p, rtx);
  }

  /** The stream whose media SSRC is {@code ssrc}, or null. */
  ReceiveStream streamBySsrc(int ssrc) {
    return matcher.bySsrc(ssrc);
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
    if (layersNeeded != null) {
      layersNeeded.set(down, down.preferredSpatial());
    }
    DownTrack[] next = Arrays.copyOf(downTracks, downTracks.length + 1);
    next[next.length - 1] = down;
    downTracks = next;
    if (info.kind() == TrackKind.VIDEO) {
      requestKeyframe(down.wantedEncoding(), nowNanos);
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
    if (layersNeeded != null) {
      layersNeeded.remove(down);
    }
    if (down.source() == this) {
      down.detach();
    }
  }

  /** The down tracks fed by this track. */
  public List<DownTrack> downTracks() {
    return List.of(downTracks);
  }

  /** Hands every down track to another source (the publisher was replaced). */
  DownTrack[] detachAll() {
    DownTrack[] all = downTracks;
    downTracks = NONE;
    for (DownTrack d : all) {
      if (layersNeeded != null) {
        layersNeeded.remove(d);
      }
      d.detach();
    }
    return all;
  }

  void onRtp(RtpPacket p, ReceiveStream s, long nowNanos, byte[] scratch) {
    long ext = s.stats.onPacket(p.sequenceNumber(), p.timestamp(), nowNanos);
    if (s.generator != null) {
      s.generator.onPacket(ext, nowNanos);
    }
    if (s.history.contains(ext)) {
      s.duplicates++; // a network duplicate, or a late original after its RTX: already forwarded
      return;
    }
    s.history.store(p, ext, nowNanos); // refused only when larger than a slot: not resendable
    SourcePacket sp = source;
    sp.read(p, s);
    if (speakers != null) {
      int level = AudioLevel.read(p, audioLevelId);
      if (level != AudioLevel.ABSENT) {
        speakers.onAudioLevel(
            speakerHandle, AudioLevel.level(level), AudioLevel.voiceActivity(level), nowNanos);
      }
    }
    if (sp.keyframe && info.kind() == TrackKind.VIDEO && sp.frameStart) {
      s.keyframes++;
      if (s.waitingForKeyframe) {
        s.waitingForKeyframe = false;
        log.debug("track={} encoding={} keyframe arrived", id, s.index);
      }
    }
    if (bitrates != null && sp.parsed) {
      bitrates.onPacket(sp.spatial, sp.tid, p.length(), sp.ofKeyframe, nowNanos);
      if (sp.sizeChanged) {
        log.debug("track={} encoding={} is {}x{}", id, s.index, s.width, s.height);
        bitrates.setSize(s.index, s.width, s.height);
      } else if (sp.codec == SourcePacket.Codec.VP9 && sp.vp9.resolutionsPresent()) {
        for (int i = 0; i < Math.min(sp.vp9.spatialLayers(), LayerBitrates.MAX_LAYERS); i++) {
          bitrates.setSize(i, sp.vp9.width(i), sp.vp9.height(i));
        }
      }
    }
    for (DownTrack d : downTracks) {
      d.forward(sp, nowNanos, scratch);
    }
    for (TrackOutlet pipe : pipes) {
      pipe.offerRtp(p, s.index);
    }
    if (s.waitingForKeyframe && nowNanos - s.lastKeyframeRequestNanos > KEYFRAME_RETRY_NANOS) {
      requestKeyframe(s.index, nowNanos); // the last request got no keyframe: ask again
    }
  }

  /**
   * A retransmission (RFC 4588 §4) from the publisher: rebuilt into the original packet (OSN as
   * sequence number, media SSRC and payload type, padding dropped), stored, and forwarded when it
   * repairs a loss (see the class comment).
   */
  void onRtx(RtpPacket p, ReceiveStream s, long nowNanos, byte[] scratch) {
    if (!s.unwrapRtx(p, publisher.retransmitBuffer(), original, info.payloadType(), nowNanos)) {
      return;
    }
    s.rtxRecovered++;
    for (DownTrack d : downTracks) {
      d.forwardRecovered(original, s.index, nowNanos, scratch);
    }
    for (TrackOutlet pipe : pipes) {
      pipe.offerRtp(original, s.index);
    }
  }

  void onSenderReport(SenderReport sr, ReceiveStream s, long nowNanos, byte[] scratch) {
    s.onSenderReport(sr.ntpTimestamp(), sr.rtpTimestamp(), sr.compactNtp(), nowNanos);
    for (DownTrack d : downTracks) {
      d.forwardSenderReport(sr, s.index, nowNanos, scratch);
    }
    if (pipes.length > 0) {
      int n = sr.write(scratch, 0);
      for (TrackOutlet pipe : pipes) {
        pipe.offerSenderReport(scratch, 0, n);
      }
    }
  }

  // ---- pipes to room shards on other workers (TrackPipe) and links to other nodes (cascade)

  void addPipe(TrackPipe pipe) {
    addOutlet(pipe);
  }

  void removePipe(TrackPipe pipe) {
    removeOutlet(pipe);
  }

  /** Copies every packet and sender report of this track into {@code outlet} too (worker only). */
  public void addOutlet(TrackOutlet outlet) {
    pipes = Arrays.copyOf(pipes, pipes.length + 1);
    pipes[pipes.length - 1] = outlet;
  }

  /** Stops copying into {@code outlet} (worker only). */
  public void removeOutlet(TrackOutlet outlet) {
    pipes = Arrays.stream(pipes).filter(x -> x != outlet).toArray(TrackOutlet[]::new);
  }

  /**
   * The encoding whose media SSRC is {@code ssrc}, or -1: for an outlet answering feedback from the
   * other side.
   */
  public int encodingOf(int ssrc) {
    ReceiveStream s = streamBySsrc(ssrc);
    return s == null ? -1 : s.index;
  }

  /**
   * Copies packet {@code seq} (RTP sequence number) of encoding {@code encoding} out of the history
   * into {@code buf[off]}: for an outlet answering a NACK from the other side.
   *
   * @return its length, or 0 when the history no longer holds it
   */
  public int readHistory(int encoding, int seq, byte[] buf, int off) {
    if (encoding < 0 || encoding >= streams.length) {
      return 0;
    }
    return streams[encoding].history.readSeq16(seq & 0xFFFF, buf, off);
  }

  /** Pipes and links feeding mirrors of this track on other workers or nodes. */
  public int pipeCount() {
    return pipes.length;
  }

  /**
   * A packet of encoding {@code encoding} coming through a pipe (this track is a mirror): handled
   * as if the publisher had sent it, its SSRC bound to the encoding on first sight.
   */
  public void onRelayedRtp(RtpPacket p, int encoding, long nowNanos) {
    if (encoding < 0 || encoding >= streams.length) {
      return;
    }
    ReceiveStream s = streams[encoding];
    if (s.ssrc != p.ssrc()) {
      if (s.ssrc != 0) {
        return; // the source rebinds only after a BYE, which the mirror never sees: keep the first
      }
      s.ssrc = p.ssrc();
    }
    onRtp(p, s, nowNanos, publisher.scratch());
  }

  /** A mirror's keyframe request for the stream it knows by {@code ssrc}. */
  public void requestKeyframeBySsrc(int ssrc, long nowNanos) {
    ReceiveStream s = streamBySsrc(ssrc);
    if (s != null) {
      requestKeyframe(s.index, nowNanos);
    }
  }

  /** A BYE for one of this track's streams: a simulcast encoding forgets its SSRC binding. */
  void onBye(ReceiveStream s) {
    log.debug("track={} encoding={} ended (BYE)", id, s.index);
    if (s.rid != null) {
      s.ssrc = 0;
      s.rtxSsrc = 0;
    }
    s.waitingForKeyframe = false;
  }

  /**
   * Maps timestamp {@code ts} of encoding {@code from} onto encoding {@code to}'s clock, from both
   * encodings' latest sender reports (the same capture instant has different RTP timestamps on
   * each: every stream starts at a random offset). Returns false when a sender report is missing.
   */
  boolean alignTimestamp(int from, int to, int ts, int[] out) {
    ReceiveStream a = streams[from];
    ReceiveStream b = streams[to];
    if (!a.haveSenderReport() || !b.haveSenderReport()) {
      return false;
    }
    long bAtA = b.rtpAt(a.senderReportNtp(), info.clockRate());
    out[0] = (int) (ts - (a.senderReportRtp() & 0xFFFFFFFFL) + bAtA);
    return true;
  }

  /**
   * NACKs what the generators say is due and asks for a keyframe when one gave up on NACKing.
   * Called from the publisher's tick (every few tens of milliseconds); allocates only when it
   * sends.
   */
  void tick(long nowNanos, int[] seqs) {
    for (ReceiveStream s : streams) {
      if (s.generator == null || s.ssrc == 0) {
        continue;
      }
      int n = s.generator.collect(nowNanos, seqs);
      if (n > 0) {
        s.nacksSent += n;
        publisher.sendRtcp(NackGenerator.toGenericNack(publisher.rtcpSsrc(), s.ssrc, seqs, n));
      }
      if (s.generator.takeKeyframeRequest()) {
        log.debug("track={} encoding={} losses beyond NACK repair, keyframe", id, s.index);
        requestKeyframe(s.index, nowNanos);
      }
    }
  }

  /** Asks for a keyframe on every encoding (a subscriber's PLI when its encoding is unknown). */
  public void requestKeyframe(long nowNanos) {
    for (ReceiveStream s : streams) {
      requestKeyframe(s.index, nowNanos);
    }
  }

  /**
   * Asks the publisher for a keyframe of {@code encoding}, at most once per {@link
   * #KEYFRAME_REQUEST_INTERVAL_NANOS}: PLI, or FIR (RFC 5104 §4.3.1) when PLI was not negotiated.
   */
  public void requestKeyframe(int encoding, long nowNanos) {
    if (info.kind() != TrackKind.VIDEO || encoding < 0 || encoding >= streams.length) {
      return;
    }
    ReceiveStream s = streams[encoding];
    s.waitingForKeyframe = true;
    if (s.ssrc == 0 || nowNanos - s.lastKeyframeRequestNanos < KEYFRAME_REQUEST_INTERVAL_NANOS) {
      return;
    }
    s.lastKeyframeRequestNanos = nowNanos;
    s.keyframeRequests++;
    if (info.firOnly()) {
      firSequence = (firSequence + 1) & 0xFF;
      publisher.sendRtcp(
          new FullIntraRequest(
              publisher.rtcpSsrc(), List.of(new FullIntraRequest.Entry(s.ssrc, firSequence))));
    } else {
      publisher.sendRtcp(new PictureLossIndication(publisher.rtcpSsrc(), s.ssrc));
    }
  }

  void reports(long nowNanos, List<ReportBlock> blocks, List<Integer> ssrcs) {
    for (ReceiveStream s : streams) {
      ReportBlock block = s.report(nowNanos);
      if (block != null) {
        blocks.add(block);
        ssrcs.add(s.ssrc);
      }
    }
  }
}
