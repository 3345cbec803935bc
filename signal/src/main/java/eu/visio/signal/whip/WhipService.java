package eu.visio.signal.whip;

import eu.visio.media.DropCounters;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsFingerprint;
import eu.visio.media.dtls.DtlsRole;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.ice.IceCredentials;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.sdp.AnswerPolicy;
import eu.visio.media.sdp.CodecId;
import eu.visio.media.sdp.LocalTrack;
import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.NegotiatedMedia;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SdpAnswerer;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.srtp.SrtpSession;
import eu.visio.media.transport.WebRtcTransport;
import eu.visio.sfu.Broadcast;
import eu.visio.sfu.DownTrack;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.Publisher;
import eu.visio.sfu.Subscriber;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackKind;
import eu.visio.sfu.WorkerContext;
import eu.visio.sfu.layer.ForwardDrops;
import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.signal.rtc.MediaNegotiation;
import eu.visio.signal.rtc.TransportSink;
import eu.visio.signal.rtc.WorkerCall;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WHIP ingest (RFC 9725) and WHEP playback on the SFU: negotiates SDP, creates the peer's {@link
 * WebRtcTransport}, and wires it to a {@link Broadcast}. HTTP concerns (content types,
 * authentication, status codes) belong to the caller; failures come back as {@link WhipException}
 * with the status to use.
 *
 * <p>Threading: called on HTTP threads. Each stream is placed on one {@link MediaWorker} (the least
 * loaded) when its first session starts, and stays there while any of its sessions lives: its
 * publisher's and viewers' transports are owned by that worker, and everything touching its {@link
 * Broadcast} runs there. Each worker ticks and reports for its own streams.
 */
public final class WhipService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WhipService.class);

  /** Stream names are path segments: keep them boring. */
  private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");

  /** A deleted or expired resource answers 410 for this long, then 404. */
  static final Duration TOMBSTONE_TTL = Duration.ofMinutes(10);

  /** Bit rate REMB allows a publisher: enough for 1080p30. */
  static final long PUBLISHER_MAX_BITRATE = 4_000_000;

  private final UdpMediaPort port;
  private final DtlsCertificate certificate;
  private final List<IceCandidate> candidates;
  private final DropCounters drops;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, MediaSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, Long> tombstones = new ConcurrentHashMap<>();
  // One per media worker, by index.
  private final List<WorkerStreams> workers = new ArrayList<>();
  // The worker of each stream that has sessions; changed only under the map's compute.
  private final Map<String, StreamHome> homes = new ConcurrentHashMap<>();

  public WhipService(
      UdpMediaPort port, DtlsCertificate certificate, List<IceCandidate> candidates) {
    this.port = port;
    this.certificate = certificate;
    this.candidates = List.copyOf(candidates);
    this.drops = port.drops();
    for (MediaWorker w : port.workers()) {
      workers.add(new WorkerStreams(w, drops));
    }
  }

  /** WHIP: {@code offer} publishes to {@code stream}, replacing a previous publisher. */
  public WhipResource publish(String stream, String offer) throws WhipException {
    checkStreamName(stream);
    IceCredentials ice = IceCredentials.generate();
    SdpAnswer answer = negotiate(offer, ice, ingestPolicy());
    DtlsFingerprint remoteFingerprint = remoteFingerprint(answer);
    List<NegotiatedMedia> media = receivedMedia(answer);
    String id = newId();
    MediaSession session = new MediaSession(id, SessionKind.WHIP, stream);
    List<TrackInfo> infos = new ArrayList<>();
    for (NegotiatedMedia m : media) {
      infos.add(MediaNegotiation.publishedInfo(m));
    }
    StreamHome home = acquireHome(stream);
    onHome(
        home,
        () -> {
          Publisher[] publisher = new Publisher[1];
          WebRtcTransport transport =
              newTransport(
                  home,
                  session,
                  ice,
                  answer,
                  remoteFingerprint,
                  new WebRtcTransport.Listener() {
                    @Override
                    public void onRtp(byte[] buf, int off, int len) {
                      publisher[0].onRtp(buf, off, len, System.nanoTime());
                    }

                    @Override
                    public void onRtcp(byte[] buf, int off, int len) {
                      publisher[0].onRtcp(buf, off, len, System.nanoTime());
                    }

                    @Override
                    public void onConnected() {
                      home.streams.broadcast(stream).setPublisher(publisher[0], System.nanoTime());
                      log.info("stream={} resource={} publisher connected", stream, id);
                    }

                    @Override
                    public void onClosed(String reason) {
                      ended(session, reason);
                    }
                  });
          publisher[0] =
              new Publisher(
                  id,
                  new TransportSink(transport),
                  drops,
                  home.streams.scratch,
                  PUBLISHER_MAX_BITRATE);
          for (int i = 0; i < infos.size(); i++) {
            publisher[0].addTrack(media.get(i).mid(), infos.get(i));
          }
          session.onClose =
              () -> {
                Broadcast b = home.streams.broadcasts.get(stream);
                if (b != null) {
                  b.removePublisher(publisher[0]);
                  home.streams.forgetIfEmpty(b);
                }
                releaseHome(home);
              };
        });
    return started(session, answer);
  }

  /** WHEP: {@code offer} plays {@code stream}, which must have a publisher. */
  public WhipResource play(String stream, String offer) throws WhipException {
    return play(stream, offer, 0, 0);
  }

  /**
   * WHEP: {@code offer} plays {@code stream}, which must have a publisher, at the simulcast
   * encoding that best covers {@code width} x {@code height} (0 = the best there is).
   */
  public WhipResource play(String stream, String offer, int width, int height)
      throws WhipException {
    checkStreamName(stream);
    List<TrackInfo> published = publishedTracks(stream);
    if (published.isEmpty()) {
      throw WhipException.notFound("no stream named " + stream + " is being published");
    }
    String id = newId();
    List<LocalTrack> local = new ArrayList<>();
    for (TrackInfo t : published) {
      CodecId codec = MediaNegotiation.codecId(t.codec());
      MediaKind kind = t.kind() == TrackKind.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
      local.add(
          new LocalTrack(
              kind,
              List.of(codec),
              randomSsrc(),
              randomSsrc(),
              stream,
              id + "-" + kind.name().toLowerCase(java.util.Locale.ROOT),
              "visio"));
    }
    IceCredentials ice = IceCredentials.generate();
    SdpAnswer answer = negotiate(offer, ice, AnswerPolicy.whepEgress(local));
    DtlsFingerprint remoteFingerprint = remoteFingerprint(answer);
    List<TrackInfo> outs = new ArrayList<>();
    for (NegotiatedMedia m : answer.media()) {
      if (m.localTrack() != null && m.primaryCodec() != null) {
        outs.add(MediaNegotiation.sentInfo(m));
      }
    }
    if (outs.isEmpty()) {
      throw WhipException.badRequest("offer accepts none of the stream's tracks");
    }
    MediaSession session = new MediaSession(id, SessionKind.WHEP, stream);
    StreamHome home = acquireHome(stream);
    onHome(
        home,
        () -> {
          List<DownTrack> downs = new ArrayList<>();
          Subscriber[] subscriber = new Subscriber[1];
          WebRtcTransport transport =
              newTransport(
                  home,
                  session,
                  ice,
                  answer,
                  remoteFingerprint,
                  new WebRtcTransport.Listener() {
                    @Override
                    public void onRtp(byte[] buf, int off, int len) {
                      // A viewer sends no media; its SRTP was authenticated, nothing to forward.
                    }

                    @Override
                    public void onRtcp(byte[] buf, int off, int len) {
                      subscriber[0].onRtcp(buf, off, len, System.nanoTime());
                    }

                    @Override
                    public void onConnected() {
                      Broadcast b = home.streams.broadcast(stream);
                      b.addViewer(subscriber[0], downs, System.nanoTime());
                      log.info("stream={} resource={} viewer connected", stream, id);
                    }

                    @Override
                    public void onClosed(String reason) {
                      ended(session, reason);
                    }
                  });
          TransportSink sink = new TransportSink(transport);
          subscriber[0] = new Subscriber(id, drops, sink);
          for (TrackInfo out : outs) {
            DownTrack d = new DownTrack(id + "/" + out.kind(), out, sink);
            d.countDropsInto(home.streams.context.forwardDrops());
            downs.add(d);
            subscriber[0].addDownTrack(d);
            if (out.kind() == TrackKind.VIDEO) {
              subscriber[0].setPreferences(d, width, height, 0, false);
            }
          }
          session.onClose =
              () -> {
                Broadcast b = home.streams.broadcasts.get(stream);
                if (b != null) {
                  b.removeViewer(subscriber[0], downs);
                  home.streams.forgetIfEmpty(b);
                }
                releaseHome(home);
              };
        });
    return started(session, answer);
  }

  /**
   * DELETE of a WHIP or WHEP resource: closes the session. Returns once it is closed, so a request
   * that follows the DELETE response already finds the tombstone (410), not the live session.
   */
  public void delete(SessionKind kind, String stream, String id) throws WhipException {
    MediaSession session = lookup(kind, stream, id);
    onLoop(session.transport.worker(), () -> session.transport.close("deleted by client"));
  }

  /**
   * PATCH with an SDP fragment (RFC 9725 §4.4, RFC 8840). Trickled candidates need no action: we
   * are ICE-lite, so the client's checks reach us from wherever they are. New ice-ufrag and ice-pwd
   * mean an ICE restart: the session gets new local credentials, returned as a fragment (checks
   * with the old ones keep working until the client uses the new ones).
   *
   * <p>RFC 9725 §4.4: a restart is asked for with {@code If-Match: "*"}; without it, a fragment
   * naming other credentials than the session's belongs to another ICE session (422).
   *
   * @param restart whether the request carried {@code If-Match: "*"}
   * @return the answer fragment for an ICE restart, or empty for a plain trickle
   */
  public Optional<String> patch(
      SessionKind kind, String stream, String id, String fragment, boolean restart)
      throws WhipException {
    MediaSession session = lookup(kind, stream, id);
    String ufrag = fragmentAttribute(fragment, "ice-ufrag");
    String pwd = fragmentAttribute(fragment, "ice-pwd");
    if (!restart) {
      if (ufrag != null && !ufrag.equals(session.remoteUfrag)) {
        throw new WhipException(422, "the fragment's ice-ufrag does not match this session");
      }
      return Optional.empty();
    }
    if (ufrag == null || pwd == null) {
      throw WhipException.badRequest("an ICE restart needs both a=ice-ufrag and a=ice-pwd");
    }
    if (ufrag.equals(session.remoteUfrag)) {
      throw WhipException.badRequest("an ICE restart needs a new a=ice-ufrag");
    }
    IceCredentials local = IceCredentials.generate();
    session.remoteUfrag = ufrag;
    session.transport.restartIce(local, ufrag);
    StringBuilder answer = new StringBuilder();
    answer.append("a=ice-lite\r\n");
    answer.append("a=ice-ufrag:").append(local.ufrag()).append("\r\n");
    answer.append("a=ice-pwd:").append(local.pwd()).append("\r\n");
    for (IceCandidate c : candidates) {
      answer.append("a=").append(c.toSdpAttribute()).append("\r\n");
    }
    answer.append("a=end-of-candidates\r\n");
    log.info("stream={} resource={} ICE restart", stream, id);
    return Optional.of(answer.toString());
  }

  private static String fragmentAttribute(String fragment, String name) throws WhipException {
    if (fragment.length() > 16 * 1024) {
      throw WhipException.badRequest("SDP fragment too large");
    }
    String prefix = "a=" + name + ":";
    for (String line : fragment.split("\r?\n")) {
      if (line.startsWith(prefix)) {
        String value = line.substring(prefix.length()).trim();
        if (value.isEmpty()
            || value.length() > 256
            || !value.chars().allMatch(ch -> ch > 32 && ch < 127)) {
          throw WhipException.badRequest("bad a=" + name);
        }
        return value;
      }
    }
    return null;
  }

  public int activeSessions() {
    return sessions.size();
  }

  private MediaSession lookup(SessionKind kind, String stream, String id) throws WhipException {
    MediaSession session = sessions.get(id);
    if (session == null || session.kind != kind || !session.stream.equals(stream)) {
      Long gone = tombstones.get(id);
      if (gone != null && System.nanoTime() - gone < TOMBSTONE_TTL.toNanos()) {
        throw WhipException.gone("this session has ended");
      }
      throw WhipException.notFound("no such session");
    }
    return session;
  }

  private WebRtcTransport newTransport(
      StreamHome home,
      MediaSession session,
      IceCredentials ice,
      SdpAnswer answer,
      DtlsFingerprint remoteFingerprint,
      WebRtcTransport.Listener l) {
    SdpAnswer.RemoteTransport remote = answer.remote();
    DtlsRole role = MediaNegotiation.dtlsRole(answer);
    WebRtcTransport t =
        new WebRtcTransport(
            session.id,
            home.streams.worker,
            ice,
            remote.iceUfrag(),
            certificate,
            remoteFingerprint,
            role,
            l);
    session.transport = t;
    session.remoteUfrag = remote.iceUfrag();
    return t;
  }

  private WhipResource started(MediaSession session, SdpAnswer answer) {
    if (log.isDebugEnabled()) {
      log.debug("stream={} resource={} answer:\n{}", session.stream, session.id, answer.sdp());
    }
    sessions.put(session.id, session);
    session.transport.start();
    String base = session.kind == SessionKind.WHIP ? "/whip/" : "/whep/";
    log.info("stream={} resource={} {} session created", session.stream, session.id, session.kind);
    return new WhipResource(
        session.id, base + session.stream + "/" + session.id, answer.sdp().write());
  }

  private void ended(MediaSession session, String reason) {
    if (sessions.remove(session.id) != null) {
      tombstones.put(session.id, System.nanoTime());
      session.onClose.run();
      log.info(
          "stream={} resource={} {} session ended: {}",
          session.stream,
          session.id,
          session.kind,
          reason);
    }
    long now = System.nanoTime();
    tombstones.values().removeIf(t -> now - t > TOMBSTONE_TTL.toNanos());
  }

  private SdpAnswer negotiate(String offer, IceCredentials ice, AnswerPolicy policy)
      throws WhipException {
    try {
      return SdpAnswerer.answer(
          offer, MediaNegotiation.localParams(ice, certificate, candidates), policy);
    } catch (SdpParseException e) {
      throw WhipException.badRequest("bad SDP offer: " + e.getMessage());
    }
  }

  private static DtlsFingerprint remoteFingerprint(SdpAnswer answer) throws WhipException {
    DtlsFingerprint fp = MediaNegotiation.bestFingerprint(answer.remote());
    if (fp == null) {
      throw WhipException.badRequest("the offer has no usable a=fingerprint");
    }
    return fp;
  }

  private static List<NegotiatedMedia> receivedMedia(SdpAnswer answer) throws WhipException {
    List<NegotiatedMedia> media = new ArrayList<>();
    for (NegotiatedMedia m : answer.media()) {
      if (m.kind() == MediaKind.APPLICATION || m.primaryCodec() == null) {
        continue;
      }
      if (m.remoteSsrcs().isEmpty() && m.remoteRids().isEmpty()) {
        throw WhipException.badRequest(
            "m-line " + m.mid() + " announces neither an SSRC nor simulcast rids");
      }
      media.add(m);
    }
    if (media.isEmpty()) {
      throw WhipException.badRequest("the offer has no audio or video we can receive");
    }
    return media;
  }

  private List<TrackInfo> publishedTracks(String stream) throws WhipException {
    StreamHome home = homes.get(stream);
    if (home == null) {
      return List.of();
    }
    return onLoopResult(
        home.streams.worker,
        () -> {
          Broadcast b = home.streams.broadcasts.get(stream);
          if (b == null || b.publisher() == null) {
            return List.of();
          }
          List<TrackInfo> infos = new ArrayList<>();
          for (PublishedTrack t : b.publisher().tracks()) {
            infos.add(t.info());
          }
          return infos;
        });
  }

  private static AnswerPolicy ingestPolicy() {
    AnswerPolicy p = AnswerPolicy.whipIngest();
    // RED would need de-encapsulation for viewers that did not negotiate it: receive plain Opus.
    return new AnswerPolicy(
        p.receive(),
        p.sendTracks(),
        p.codecs(),
        false,
        p.audioExtensions(),
        p.videoExtensions(),
        false,
        p.sctpPort(),
        p.maxMessageSize(),
        p.tracksByMid(),
        p.idleInactive());
  }

  /**
   * Pins {@code stream} to its worker (placing it on the least loaded one) for one more session.
   */
  private StreamHome acquireHome(String stream) {
    return homes.compute(
        stream,
        (name, home) -> {
          StreamHome h =
              home != null
                  ? home
                  : new StreamHome(name, workers.get(port.leastLoadedWorker().index()));
          h.sessions++;
          return h;
        });
  }

  /** One session of the stream is gone; the last one frees the stream to move. */
  private void releaseHome(StreamHome home) {
    homes.computeIfPresent(home.stream, (name, h) -> h == home && --h.sessions == 0 ? null : h);
  }

  /** Runs a new session's setup on its stream's worker; if that fails, the session never was. */
  private void onHome(StreamHome home, Runnable task) throws WhipException {
    try {
      onLoop(home.streams.worker, task);
    } catch (WhipException e) {
      releaseHome(home);
      throw e;
    }
  }

  private void checkStreamName(String stream) throws WhipException {
    // "." and ".." would make the Location a dot-segment (RFC 3986 §5.2.4): clients resolve
    // /whip/../{id} to /{id} and could never DELETE the resource.
    if (stream == null
        || !STREAM_NAME.matcher(stream).matches()
        || stream.equals(".")
        || stream.equals("..")) {
      throw WhipException.badRequest(
          "stream names are 1 to 128 of A-Z a-z 0-9 _ . ~ -, not . or ..");
    }
  }

  private String newId() {
    byte[] b = new byte[12];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private int randomSsrc() {
    return random.nextInt(1, Integer.MAX_VALUE);
  }

  private void onLoop(MediaWorker worker, Runnable task) throws WhipException {
    onLoopResult(
        worker,
        () -> {
          task.run();
          return null;
        });
  }

  private <T> T onLoopResult(MediaWorker worker, java.util.function.Supplier<T> task)
      throws WhipException {
    try {
      return WorkerCall.call(worker, task);
    } catch (WorkerCall.Failure e) {
      throw new WhipException(
          e.getCause() instanceof InterruptedException ? 503 : 500, "internal error");
    }
  }

  @Override
  public void close() {
    for (WorkerStreams w : workers) {
      w.reports.cancel(false);
      w.ticks.cancel(false);
    }
    for (MediaSession s : sessions.values()) {
      s.transport.close("server shutting down");
    }
  }

  /** Packets the viewers' down tracks did not send for {@code reason}, over every worker. */
  public long forwardDrops(LayerDropReason reason) {
    long n = 0;
    for (WorkerStreams w : workers) {
      n += w.context.forwardDrops().get(reason);
    }
    return n;
  }

  /** The streams on one media worker and its timers; touched only on that worker. */
  private static final class WorkerStreams {
    final MediaWorker worker;
    final Map<String, Broadcast> broadcasts = new HashMap<>();
    // The send buffer and forwarding drop totals: one per thread.
    final WorkerContext context;
    final byte[] scratch;
    final ScheduledFuture<?> reports;
    final ScheduledFuture<?> ticks;

    WorkerStreams(MediaWorker worker, DropCounters drops) {
      this.worker = worker;
      this.context =
          new WorkerContext(
              drops,
              new ForwardDrops(),
              new byte[UdpMediaPort.MAX_DATAGRAM + SrtpSession.MAX_RTCP_OVERHEAD]);
      this.scratch = context.scratch();
      this.reports = worker.scheduleAtFixedRate(this::sendReports, 1, TimeUnit.SECONDS);
      // NACK timing and transport-cc feedback need a finer clock than the reports.
      this.ticks =
          worker.scheduleAtFixedRate(this::tick, Publisher.TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    Broadcast broadcast(String stream) {
      return broadcasts.computeIfAbsent(stream, Broadcast::new);
    }

    void forgetIfEmpty(Broadcast b) {
      if (b.isEmpty()) {
        broadcasts.remove(b.name(), b);
      }
    }

    void sendReports() {
      long now = System.nanoTime();
      for (Broadcast b : broadcasts.values()) {
        b.sendReports(now);
      }
    }

    void tick() {
      long now = System.nanoTime();
      for (Broadcast b : broadcasts.values()) {
        b.tick(now);
      }
    }
  }

  /** The worker a stream lives on, while {@code sessions} (guarded by {@code homes}) hold it. */
  private static final class StreamHome {
    final String stream;
    final WorkerStreams streams;
    int sessions;

    StreamHome(String stream, WorkerStreams streams) {
      this.stream = stream;
      this.streams = streams;
    }
  }
}
