package eu.visio.signal.livekit;

import eu.visio.media.sdp.AnswerPolicy;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.transport.WebRtcTransport;
import eu.visio.sfu.DownTrack;
import eu.visio.sfu.Participant;
import eu.visio.sfu.PublishedTrack;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenRefresher;
import java.util.List;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.ReconnectResponse;
import livekit.LivekitRtc.SessionDescription.Builder;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant of a LiveKit room: what it publishes, what it receives, and its peer connection.
 * The client always offers (LiveKit's single peer connection, {@code /rtc/v1}); tracks it publishes
 * arrive on its send m-lines, matched to its {@code AddTrackRequest}s by track id; tracks it
 * receives go out on its receive m-lines ({@link Subscriptions}). Confined to the room's worker.
 */
final class LiveKitParticipant implements RoomData.Member, TrackOwner {
  private static final Logger log = LoggerFactory.getLogger(LiveKitParticipant.class);

  /** What REMB allows a publisher: enough for 1080p simulcast. */
  static final long PUBLISHER_MAX_BITRATE = 6_000_000;

  /** What clients may publish: every codec the SFU forwards (Opus; VP8, H.264, VP9, AV1). */
  static final List<livekit.LivekitModels.Codec> ENABLED_CODECS =
      java.util.stream.Stream.of("audio/opus", "video/VP8", "video/H264", "video/VP9", "video/AV1")
          .map(m -> livekit.LivekitModels.Codec.newBuilder().setMime(m).build())
          .toList();

  /** How often a connected client gets a fresh token (valid 10 minutes). */
  static final long TOKEN_REFRESH_NANOS = 5L * 60 * 1_000_000_000L;

  /** How long after DTLS completes forwarding to the participant starts. */
  static final long SRTP_SETTLE_MILLIS = 30;

  /** A client whose signalling dropped has this long to resume before it leaves. */
  static final long RESUME_WINDOW_NANOS = 20_000_000_000L;

  private final LiveKitRoom room;
  private final String sid;
  private final AccessClaims claims;
  private final boolean singlePc;
  private final boolean autoSubscribe;
  private final Participant sfu;
  private final PeerSession peer;
  private final SubscriberPeer subscriber; // two peer connections (/rtc) only
  private final TransportData publisherData; // data the client sends
  private final TransportData subscriberData; // where we send data to it (the same in /rtc/v1)
  private final Subscriptions subscriptions;
  private final Publications publications = new Publications(this);
  private final ParticipantState state;
  private final TrackPermissions permissions = new TrackPermissions();
  private final ReliableSequence reliableReceived = new ReliableSequence();
  private final RelayOnDemand.Session relays = new RelayOnDemand.Session();
  private SignalSession.Sink sink;
  private long signalLostAt = -1;
  private long tokenRefreshedAt;
  private final long joinedAt = System.nanoTime();
  private boolean mediaUp;
  private boolean closed;
  private boolean negotiated;

  LiveKitParticipant(
      LiveKitRoom room,
      String sid,
      AccessClaims claims,
      JoinRequest request,
      SignalSession.Sink sink,
      boolean singlePc) {
    this.room = room;
    this.sid = sid;
    this.claims = claims;
    this.sink = sink;
    this.singlePc = singlePc;
    this.autoSubscribe =
        !request.hasConnectionSettings() || request.getConnectionSettings().getAutoSubscribe();
    this.state =
        new ParticipantState(
            SignalSession.participantInfo(sid, claims, request, room.rooms().clock().millis()));
    this.publisherData = new TransportData(this, false);
    this.peer =
        new PeerSession(
            sid, room.rooms().media(), room.worker(), new TransportEvents(singlePc, publisherData));
    publisherData.bind(peer);
    this.subscriberData = singlePc ? publisherData : new TransportData(this, true);
    this.subscriber =
        singlePc
            ? null
            : new SubscriberPeer(
                sid,
                room.rooms().media(),
                room.worker(),
                new TransportEvents(true, subscriberData));
    if (subscriber != null) {
      subscriberData.bind(subscriber);
    }
    this.sfu =
        room.sfu().addParticipant(sid, peer, singlePc ? peer : subscriber, PUBLISHER_MAX_BITRATE);
    this.subscriptions = new Subscriptions(this, !singlePc);
  }

  @Override
  public String sid() {
    return sid;
  }

  @Override
  public String identity() {
    return claims.identity();
  }

  @Override
  public ParticipantInfo info() {
    return state.info();
  }

  LiveKitRoom room() {
    return room;
  }

  Participant sfu() {
    return sfu;
  }

  boolean autoSubscribe() {
    return autoSubscribe && info().getPermission().getCanSubscribe();
  }

  List<Publication> publications() {
    return publications.list();
  }

  Publication publication(String trackSid) {
    return publications.get(trackSid);
  }

  ParticipantState state() {
    return state;
  }

  void sendJoin(List<ParticipantInfo> others) {
    send(
        SignalResponse.newBuilder()
            .setJoin(
                JoinResponse.newBuilder()
                    .setRoom(room.info())
                    .setParticipant(info())
                    .addAllOtherParticipants(others)
                    .addAllIceServers(iceServers())
                    .setServerVersion(LiveKitRooms.PROTOCOL_VERSION)
                    .setServerInfo(room.rooms().serverInfo())
                    .setPingInterval(LiveKitRooms.PING_INTERVAL_S)
                    .setPingTimeout(LiveKitRooms.PING_TIMEOUT_S)
                    .setSubscriberPrimary(!singlePc)
                    .addAllEnabledPublishCodecs(ENABLED_CODECS))
            .build());
  }

  /**
   * The STUN and TURN servers this participant is given: the relays held back for those who need
   * them too when it showed it does, in this session or lately ({@link RelayOnDemand}).
   */
  private List<livekit.LivekitRtc.ICEServer> iceServers() {
    LiveKitRooms rooms = room.rooms();
    boolean withRelays =
        relays.offered()
            || (rooms.relaysOnDemand()
                && rooms.relaysNeeded().needs(room.name(), identity(), System.nanoTime()));
    if (withRelays) {
      relays.markOffered();
    }
    return rooms.iceServers(claims, withRelays);
  }

  /** After the JoinResponse: tracks announced in the join request, then its offer. */
  void start(JoinRequest request) {
    refreshToken(System.nanoTime());
    for (AddTrackRequest add : request.getAddTrackRequestsList()) {
      publications.addTrack(add);
    }
    if (request.hasPublisherOffer()) {
      onOffer(request.getPublisherOffer());
    }
  }

  /** A resumed signalling connection: the client gets its ReconnectResponse, then ICE restarts. */
  void resume(SignalSession.Sink newSink, JoinRequest request) {
    SignalSession.Sink old = sink;
    sink = newSink;
    signalLostAt = -1;
    if (old != null && old != newSink) {
      old.close("resumed on another connection");
    }
    send(
        SignalResponse.newBuilder()
            .setReconnect(
                ReconnectResponse.newBuilder()
                    .addAllIceServers(iceServers())
                    .setServerInfo(room.rooms().serverInfo())
                    // the client re-sends its reliable packets numbered above this
                    .setLastMessageSeq(reliableReceived.last()))
            .build());
    log.info("room={} participant={} resumed", room.name(), identity());
    if (subscriber != null) {
      subscriber.restartIce(); // the next offer of our connection restarts ICE
    }
    if (request.hasPublisherOffer()) {
      onOffer(request.getPublisherOffer());
    }
    subscriptions.resync();
  }

  /** A message from the client. */
  void onRequest(SignalRequest r) {
    if (closed) {
      return;
    }
    switch (r.getMessageCase()) {
      case OFFER -> onOffer(r.getOffer());
      case ANSWER -> onAnswer(r.getAnswer());
      case ADD_TRACK -> publications.addTrack(r.getAddTrack());
      case MUTE -> publications.mute(r.getMute());
      case SUBSCRIPTION -> subscriptions.update(r.getSubscription());
      case TRACK_SETTING -> subscriptions.settings(r.getTrackSetting());
      case SUBSCRIPTION_PERMISSION -> {
        permissions.set(r.getSubscriptionPermission());
        room.permissionsChanged(this);
      }
      case UPDATE_METADATA -> {
        if (state.updateMetadata(r.getUpdateMetadata(), this::send)) {
          room.announce(this, null);
        }
      }
      case LEAVE -> {
        log.debug("room={} participant={} leaves", room.name(), identity());
        closeSignal("client left");
        room.leave(this);
      }
      case TRICKLE ->
          // We are ICE-lite: the client's checks reach us from wherever it is.
          log.trace("room={} participant={} trickle ignored", room.name(), identity());
      case MESSAGE_NOT_SET ->
          // A message type newer than ours: ignored, as LiveKit does, and counted.
          room.rooms().signalDrops().count(SignalDrops.Reason.UNKNOWN_TYPE);
      default -> {
        room.rooms().signalDrops().count(SignalDrops.Reason.UNHANDLED);
        log.debug(
            "room={} participant={} {} not handled", room.name(), identity(), r.getMessageCase());
      }
    }
  }

  /** The Room service's UpdateParticipant: name, metadata, attributes, permission. */
  ParticipantInfo updateByAdmin(livekit.LivekitRoom.UpdateParticipantRequest u) {
    state.updateByAdmin(u);
    if (!info().getPermission().getCanPublish()) {
      // Publishing revoked: what it publishes stops reaching anyone.
      publications.revoke();
    } else {
      // A source taken away (a host narrowed what participants may publish): that track stops.
      publications.revokeSourcesNotIn(info().getPermission().getCanPublishSourcesList());
    }
    if (!info().getPermission().getCanSubscribe()) {
      subscriptions.unsubscribeAll();
    }
    room.announce(this, null);
    return info();
  }

  /** The Room service's UpdateSubscriptions. */
  void updateSubscriptionsByAdmin(livekit.LivekitRtc.UpdateSubscription u) {
    subscriptions.update(u);
  }

  /**
   * An offer: receive slots are filled with pending subscriptions, the answer goes back, new send
   * m-lines become publications and vanished ones are unpublished.
   */
  void onOffer(livekit.LivekitRtc.SessionDescription sd) {
    SessionDescription offer;
    try {
      offer = SessionDescription.parse(sd.getSdp());
    } catch (SdpParseException e) {
      refuseOffer("bad SDP offer: " + e.getMessage());
      return;
    }
    subscriptions.offered(offer);
    SdpAnswer answer;
    try {
      answer = peer.answer(offer, AnswerPolicy.session(subscriptions.tracksByMid(), false));
    } catch (SignalException e) {
      refuseOffer(e.getMessage());
      return;
    }
    long now = System.nanoTime();
    publications.sync(offer, answer);
    subscriptions.answered(answer, now);
    Builder reply =
        livekit.LivekitRtc.SessionDescription.newBuilder()
            .setType("answer")
            .setSdp(answer.sdp().write())
            .setId(sd.getId())
            .putAllMidToTrackId(subscriptions.midToTrackId());
    send(SignalResponse.newBuilder().setAnswer(reply).build());
    peer.start();
    negotiated = true;
    subscriptions.requestSlots(now);
  }

  /**
   * Two peer connections: offers our receiving connection with every waiting subscription on an
   * m-line, unless an offer already waits for its answer (the next one follows it).
   */
  void offerSubscriber() {
    if (subscriber == null || subscriber.offering()) {
      return;
    }
    subscriptions.prepareOffer();
    StringBuilder sdp = new StringBuilder();
    int id = subscriber.offer(subscriptions.sections(), sdp);
    send(
        SignalResponse.newBuilder()
            .setOffer(
                livekit.LivekitRtc.SessionDescription.newBuilder()
                    .setType("offer")
                    .setSdp(sdp.toString())
                    .setId(id)
                    .putAllMidToTrackId(subscriptions.midToTrackId()))
            .build());
  }

  /** The client's answer on our receiving connection. */
  private void onAnswer(livekit.LivekitRtc.SessionDescription sd) {
    if (subscriber == null) {
      return;
    }
    SdpAnswer answer;
    try {
      answer = subscriber.accept(sd.getSdp(), sd.getId());
    } catch (SignalException e) {
      refuseOffer(e.getMessage());
      return;
    }
    if (answer != null) {
      negotiated = true;
      subscriptions.answered(answer, System.nanoTime());
    }
  }

  private void refuseOffer(String reason) {
    log.info("room={} participant={} offer refused: {}", room.name(), identity(), reason);
    closeSignal(reason);
    room.leave(this);
  }

  void subscribe(Publication pub) {
    subscriptions.subscribe(pub);
  }

  @Override
  public boolean allows(LiveKitParticipant subscriber, String trackSid) {
    return permissions.allows(subscriber, trackSid);
  }

  /** Who it lets receive its tracks (for the other nodes of a cascaded room). */
  livekit.LivekitRtc.SubscriptionPermission permissionRules() {
    return permissions.rules();
  }

  Subscriptions subscriptions() {
    return subscriptions;
  }

  void unsubscribe(String trackSid) {
    subscriptions.unsubscribe(trackSid);
  }

  void streamStateChanged(DownTrack track, boolean active) {
    subscriptions.streamStateChanged(track, active);
  }

  boolean muteByAdmin(String trackSid, boolean muted) {
    return publications.muteByAdmin(trackSid, muted);
  }

  @Override
  public ReliableSequence reliableReceived() {
    return reliableReceived;
  }

  /** A data packet to this participant, on its channel of that label. */
  @Override
  public boolean sendData(String label, byte[] packet) {
    return !closed && subscriberData.send(label, packet, System.nanoTime());
  }

  /** Dynacast: tells the publisher which of its layers anyone receives. */
  void layersNeeded(PublishedTrack track, int maxSpatial) {
    Publication pub = publications.get(track.id());
    if (pub != null) {
      send(TrackInfos.subscribedQuality(pub, maxSpatial));
    }
  }

  void tick(long nowNanos) {
    if (signalLostAt >= 0 && nowNanos - signalLostAt > RESUME_WINDOW_NANOS) {
      log.info("room={} participant={} did not resume", room.name(), identity());
      room.leave(this);
      return;
    }
    if (peer.closed() || (subscriber != null && subscriber.closed())) {
      log.info("room={} participant={} peer connection closed", room.name(), identity());
      closeSignal("peer connection closed");
      room.leave(this);
      return;
    }
    if (relays.mayAsk(room.rooms().relaysOnDemand())
        && (peer.unreachedFor(nowNanos, RelayOnDemand.WAIT_NANOS)
            || (subscriber != null
                && subscriber.unreachedFor(nowNanos, RelayOnDemand.WAIT_NANOS)))) {
      askToResumeWithRelays(nowNanos);
    }
    subscriptions.tick(nowNanos);
    publisherData.tick(nowNanos);
    if (subscriberData != publisherData) {
      subscriberData.tick(nowNanos);
    }
    if (nowNanos - tokenRefreshedAt > TOKEN_REFRESH_NANOS) {
      refreshToken(nowNanos);
    }
  }

  /**
   * None of our candidates reached: the client resumes (LiveKit's leave with action RESUME) and its
   * ReconnectResponse carries the relays; a client too old for the action reconnects in full
   * ({@code can_reconnect}) and finds them in its JoinResponse, as does its next join.
   */
  private void askToResumeWithRelays(long nowNanos) {
    relays.ask();
    room.rooms().relaysNeeded().remember(room.name(), identity(), nowNanos);
    room.rooms().stats().relaysOnDemand.incrementAndGet();
    log.info(
        "room={} participant={} reached by no ICE check in {} ms: asked to resume with relays",
        room.name(),
        identity(),
        RelayOnDemand.WAIT_NANOS / 1_000_000);
    send(
        SignalResponse.newBuilder()
            .setLeave(
                LeaveRequest.newBuilder()
                    .setCanReconnect(true)
                    .setAction(LeaveRequest.Action.RESUME)
                    .setReason(DisconnectReason.MEDIA_FAILURE))
            .build());
  }

  /** LiveKit's {@code refresh_token}: what the client reconnects with when its token expired. */
  private void refreshToken(long nowNanos) {
    tokenRefreshedAt = nowNanos;
    TokenRefresher r = room.rooms().refresher();
    ParticipantInfo p = info();
    String token =
        r == null ? null : r.refresh(claims, p.getName(), p.getMetadata(), p.getAttributesMap());
    if (token != null) {
      send(SignalResponse.newBuilder().setRefreshToken(token).build());
    }
  }

  /** Sends to the client, if its signalling is up. */
  void send(SignalResponse r) {
    SignalSession.Sink s = sink;
    if (s != null && !closed) {
      s.send(r);
    }
  }

  /**
   * The signalling connection dropped without a leave: a client with media may resume for a while;
   * one that never negotiated leaves now, as does any while this server drains.
   */
  void signalLost(SignalSession.Sink lost) {
    if (sink == lost && !closed && !negotiated) {
      // Nothing to resume: no media was ever negotiated.
      sink = null;
      room.leave(this);
      return;
    }
    if (sink == lost && !closed && room.rooms().draining()) {
      // A draining server refuses the resume: waiting for it would only hold the drain.
      sink = null;
      log.info(
          "room={} participant={} signalling lost while draining: leaves", room.name(), identity());
      room.leave(this);
      return;
    }
    if (sink == lost && !closed) {
      sink = null;
      signalLostAt = System.nanoTime();
      log.info("room={} participant={} signalling lost, may resume", room.name(), identity());
    }
  }

  /**
   * This server drains: a session whose signalling dropped leaves now, as if its resume window had
   * ended, since its resume would be refused ({@link LiveKitRooms#drain}).
   */
  void leaveIfAwaitingResume() {
    if (signalLostAt >= 0 && sink == null && !closed) {
      log.info(
          "room={} participant={} awaiting a resume while draining: leaves",
          room.name(),
          identity());
      room.leave(this);
    }
  }

  void replaced() {
    leaveRequest(DisconnectReason.DUPLICATE_IDENTITY);
    closeSignal("duplicate identity");
  }

  void removed() {
    leaveRequest(DisconnectReason.PARTICIPANT_REMOVED);
    closeSignal("removed from the room");
  }

  void leaveRequest(DisconnectReason reason) {
    send(
        SignalResponse.newBuilder()
            .setLeave(
                LeaveRequest.newBuilder()
                    .setAction(LeaveRequest.Action.DISCONNECT)
                    .setReason(reason))
            .build());
  }

  /** Closes the signalling connection (the participant still has to leave the room). */
  void closeSignal(String reason) {
    SignalSession.Sink s = sink;
    sink = null;
    if (s != null) {
      s.close(reason);
    }
  }

  /** Leaves the SFU and closes the transport; called by the room once. */
  void close() {
    if (closed) {
      return;
    }
    closeSignal("left");
    closed = true;
    room.rooms().stats().publications.addAndGet(-publications.size());
    subscriptions.close();
    room.sfu().removeParticipant(sfu);
    publisherData.close();
    if (subscriberData != publisherData) {
      subscriberData.close();
    }
    peer.close("participant left");
    if (subscriber != null) {
      subscriber.close("participant left");
    }
  }

  /** Whether the connection that carries what this participant receives is up. */
  boolean receiving() {
    return subscriber != null ? subscriber.connected() : peer.connected();
  }

  /** Whether an offer was answered: before, the client is not ready for requests to offer. */
  boolean hasNegotiated() {
    return negotiated || subscriber != null;
  }

  boolean isClosed() {
    return closed;
  }

  /** The transport's events, on the worker. */
  private final class TransportEvents implements WebRtcTransport.Listener {
    /** Whether this transport carries what the participant receives. */
    private final boolean receiving;

    private final TransportData data;

    TransportEvents(boolean receiving, TransportData data) {
      this.receiving = receiving;
      this.data = data;
    }

    @Override
    public void onApplicationData(byte[] packet) {
      data.receive(packet, System.nanoTime());
    }

    @Override
    public void onRtp(byte[] buf, int off, int len) {
      sfu.onRtp(buf, off, len, System.nanoTime());
    }

    @Override
    public void onRtcp(byte[] buf, int off, int len) {
      sfu.onRtcp(buf, off, len, System.nanoTime());
    }

    @Override
    public void onConnected() {
      if (!mediaUp) {
        mediaUp = true;
        room.rooms().stats().joined(System.nanoTime() - joinedAt);
      }
      log.info("room={} participant={} media connected", room.name(), identity());
      data.connected(System.nanoTime());
      if (receiving) {
        // Our DTLS side completes a moment before the browser has its SRTP keys in place (it
        // installs them on another thread): a keyframe sent at once can be dropped there, and
        // the picture then waits for the next one. Forwarding starts a little later.
        room.worker()
            .schedule(
                () -> {
                  if (!closed) {
                    subscriptions.start(System.nanoTime());
                  }
                },
                SRTP_SETTLE_MILLIS,
                java.util.concurrent.TimeUnit.MILLISECONDS);
      }
    }

    @Override
    public void onClosed(String reason) {
      log.info("room={} participant={} media closed: {}", room.name(), identity(), reason);
    }
  }
}
