package eu.visio.signal.livekit;

import eu.visio.media.sdp.AnswerPolicy;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.NegotiatedMedia;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SdpParseException;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.transport.WebRtcTransport;
import eu.visio.sfu.DownTrack;
import eu.visio.sfu.Participant;
import eu.visio.sfu.PublishedTrack;
import eu.visio.signal.rtc.MediaNegotiation;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenRefresher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.MuteTrackRequest;
import livekit.LivekitRtc.ReconnectResponse;
import livekit.LivekitRtc.SessionDescription.Builder;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.TrackPublishedResponse;
import livekit.LivekitRtc.TrackUnpublishedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant of a LiveKit room: what it publishes, what it receives, and its peer connection.
 * The client always offers (LiveKit's single peer connection, {@code /rtc/v1}); tracks it publishes
 * arrive on its send m-lines, matched to its {@code AddTrackRequest}s by track id; tracks it
 * receives go out on its receive m-lines ({@link Subscriptions}). Confined to the room's worker.
 */
final class LiveKitParticipant {
  private static final Logger log = LoggerFactory.getLogger(LiveKitParticipant.class);

  /** What REMB allows a publisher: enough for 1080p simulcast. */
  static final long PUBLISHER_MAX_BITRATE = 6_000_000;

  /** How often a connected client gets a fresh token (valid 10 minutes). */
  static final long TOKEN_REFRESH_NANOS = 5L * 60 * 1_000_000_000L;

  /** A client whose signalling dropped has this long to resume before it leaves. */
  static final long RESUME_WINDOW_NANOS = 20_000_000_000L;

  private final LiveKitRoom room;
  private final String sid;
  private final AccessClaims claims;
  private final boolean singlePc;
  private final boolean autoSubscribe;
  private final Participant sfu;
  private final PeerSession peer;
  private final Subscriptions subscriptions;
  private final Map<String, Publication> publications = new LinkedHashMap<>();
  private final Map<String, Publication> pendingByCid = new LinkedHashMap<>();
  private final ParticipantState state;
  private final TrackPermissions permissions = new TrackPermissions();
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
    this.peer = new PeerSession(sid, room.rooms().media(), room.worker(), new TransportEvents());
    this.sfu = room.sfu().addParticipant(sid, peer, peer, PUBLISHER_MAX_BITRATE);
    this.subscriptions = new Subscriptions(this);
  }

  String sid() {
    return sid;
  }

  String identity() {
    return claims.identity();
  }

  ParticipantInfo info() {
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
    return List.copyOf(publications.values());
  }

  Publication publication(String trackSid) {
    return publications.get(trackSid);
  }

  void sendJoin(List<ParticipantInfo> others) {
    send(
        SignalResponse.newBuilder()
            .setJoin(
                JoinResponse.newBuilder()
                    .setRoom(room.info())
                    .setParticipant(info())
                    .addAllOtherParticipants(others)
                    .addAllIceServers(room.rooms().iceServers())
                    .setServerVersion(LiveKitRooms.PROTOCOL_VERSION)
                    .setServerInfo(room.rooms().serverInfo())
                    .setPingInterval(LiveKitRooms.PING_INTERVAL_S)
                    .setPingTimeout(LiveKitRooms.PING_TIMEOUT_S)
                    .setSubscriberPrimary(!singlePc))
            .build());
  }

  /** After the JoinResponse: tracks announced in the join request, then its offer. */
  void start(JoinRequest request) {
    refreshToken(System.nanoTime());
    for (AddTrackRequest add : request.getAddTrackRequestsList()) {
      addTrack(add);
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
                    .addAllIceServers(room.rooms().iceServers())
                    .setServerInfo(room.rooms().serverInfo()))
            .build());
    log.info("room={} participant={} resumed", room.name(), identity());
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
      case ADD_TRACK -> addTrack(r.getAddTrack());
      case MUTE -> mute(r.getMute());
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

  /** {@code AddTrackRequest}: checked against the token, answered with the track's info. */
  private void addTrack(AddTrackRequest add) {
    Publication existing = pendingByCid.get(add.getCid());
    if (existing == null) {
      for (Publication p : publications.values()) {
        if (p.cid.equals(add.getCid())) {
          existing = p;
        }
      }
    }
    if (existing != null) {
      sendPublished(existing);
      return;
    }
    String refusal = state.publishRefusal(add);
    if (refusal != null) {
      log.info(
          "room={} participant={} may not publish {}: {}",
          room.name(),
          identity(),
          add.getSource(),
          refusal);
      // LiveKit answers nothing: the client's publish times out with its own error.
      return;
    }
    TrackInfo info = TrackInfos.announced(LiveKitRooms.sid("TR_"), add);
    Publication pub = new Publication(this, add.getCid(), info);
    pendingByCid.put(add.getCid(), pub);
    sendPublished(pub);
  }

  private void sendPublished(Publication pub) {
    send(
        SignalResponse.newBuilder()
            .setTrackPublished(
                TrackPublishedResponse.newBuilder().setCid(pub.cid).setTrack(pub.info()))
            .build());
  }

  private void mute(MuteTrackRequest m) {
    Publication pub = publications.get(m.getSid());
    if (pub == null || pub.info().getMuted() == m.getMuted()) {
      return;
    }
    pub.setInfo(pub.info().toBuilder().setMuted(m.getMuted()).build());
    state.setTracks(trackInfos());
    log.debug(
        "room={} participant={} track={} muted={}",
        room.name(),
        identity(),
        m.getSid(),
        m.getMuted());
    room.announce(this, null);
  }

  /** Mutes or unmutes a track for the Room service: the client is told to, everyone sees it. */
  boolean muteByAdmin(String trackSid, boolean muted) {
    Publication pub = publications.get(trackSid);
    if (pub == null) {
      return false;
    }
    send(
        SignalResponse.newBuilder()
            .setMute(MuteTrackRequest.newBuilder().setSid(trackSid).setMuted(muted))
            .build());
    mute(MuteTrackRequest.newBuilder().setSid(trackSid).setMuted(muted).build());
    return true;
  }

  /** The Room service's UpdateParticipant: name, metadata, attributes, permission. */
  ParticipantInfo updateByAdmin(livekit.LivekitRoom.UpdateParticipantRequest u) {
    state.updateByAdmin(u);
    if (!info().getPermission().getCanPublish()) {
      // Publishing revoked: what it publishes stops reaching anyone.
      pendingByCid.clear();
      for (Publication pub : List.copyOf(publications.values())) {
        unpublish(pub);
      }
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
    syncPublications(offer, answer);
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

  private void refuseOffer(String reason) {
    log.info("room={} participant={} offer refused: {}", room.name(), identity(), reason);
    closeSignal(reason);
    room.leave(this);
  }

  /** Publishes what the offer now sends us, unpublishes what it stopped sending. */
  private void syncPublications(SessionDescription offer, SdpAnswer answer) {
    for (Publication pub : List.copyOf(publications.values())) {
      NegotiatedMedia m = answer.media(pub.mid());
      if (m == null || !m.direction().receives()) {
        unpublish(pub);
      }
    }
    for (NegotiatedMedia m : answer.media()) {
      if (m.primaryCodec() == null || !m.direction().receives() || publishedOn(m.mid())) {
        continue;
      }
      MediaDescription offered = offer.media(m.mid());
      String cid = m.remoteMsid() != null ? m.remoteMsid().trackId() : null;
      Publication pub = cid == null ? null : pendingByCid.remove(cid);
      if (pub == null) {
        pub = pendingOfKind(m, offered);
      }
      if (pub == null) {
        continue; // a send m-line no AddTrackRequest announced: its packets are dropped
      }
      eu.visio.sfu.TrackInfo in = MediaNegotiation.publishedInfo(m);
      PublishedTrack t = room.sfu().publish(sfu, pub.sid(), in, TrackInfos.source(pub.info()));
      pub.negotiated(m.mid(), t);
      room.rooms().stats().publications.incrementAndGet();
      pub.setInfo(TrackInfos.negotiated(pub.info(), m));
      publications.put(pub.sid(), pub);
      state.setTracks(trackInfos());
      log.info(
          "room={} participant={} published track={} {} mid={}",
          room.name(),
          identity(),
          pub.sid(),
          in.codec(),
          m.mid());
      room.published(this, pub);
    }
  }

  /** A pending track for a send m-line whose msid names none (an older client): same kind. */
  private Publication pendingOfKind(NegotiatedMedia m, MediaDescription offered) {
    if (offered == null || !offered.msids().isEmpty()) {
      return null;
    }
    TrackType type =
        m.kind() == eu.visio.media.sdp.MediaKind.AUDIO ? TrackType.AUDIO : TrackType.VIDEO;
    for (Publication p : pendingByCid.values()) {
      if (p.info().getType() == type) {
        pendingByCid.remove(p.cid);
        return p;
      }
    }
    return null;
  }

  private boolean publishedOn(String mid) {
    for (Publication p : publications.values()) {
      if (mid.equals(p.mid())) {
        return true;
      }
    }
    return false;
  }

  private void unpublish(Publication pub) {
    publications.remove(pub.sid());
    room.rooms().stats().publications.decrementAndGet();
    if (pub.track() != null) {
      room.sfu().unpublish(pub.track());
    }
    state.setTracks(trackInfos());
    send(
        SignalResponse.newBuilder()
            .setTrackUnpublished(TrackUnpublishedResponse.newBuilder().setTrackSid(pub.sid()))
            .build());
    log.info("room={} participant={} unpublished track={}", room.name(), identity(), pub.sid());
    room.unpublished(this, pub);
  }

  private List<TrackInfo> trackInfos() {
    List<TrackInfo> list = new ArrayList<>();
    for (Publication p : publications.values()) {
      list.add(p.info());
    }
    return list;
  }

  void subscribe(Publication pub) {
    subscriptions.subscribe(pub);
  }

  /** Whether this publisher lets {@code subscriber} receive {@code trackSid}. */
  boolean allows(LiveKitParticipant subscriber, String trackSid) {
    return permissions.allows(subscriber, trackSid);
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
    if (peer.closed()) {
      log.info("room={} participant={} peer connection closed", room.name(), identity());
      closeSignal("peer connection closed");
      room.leave(this);
      return;
    }
    subscriptions.tick(nowNanos);
    if (nowNanos - tokenRefreshedAt > TOKEN_REFRESH_NANOS) {
      refreshToken(nowNanos);
    }
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
   * one that never negotiated leaves now.
   */
  void signalLost(SignalSession.Sink lost) {
    if (sink == lost && !closed && !negotiated) {
      // Nothing to resume: no media was ever negotiated.
      sink = null;
      room.leave(this);
      return;
    }
    if (sink == lost && !closed) {
      sink = null;
      signalLostAt = System.nanoTime();
      log.info("room={} participant={} signalling lost, may resume", room.name(), identity());
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
    peer.close("participant left");
  }

  /** Whether an offer was answered: before, the client is not ready for requests to offer. */
  boolean hasNegotiated() {
    return negotiated;
  }

  boolean isClosed() {
    return closed;
  }

  /** The transport's events, on the worker. */
  private final class TransportEvents implements WebRtcTransport.Listener {
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
    }

    @Override
    public void onClosed(String reason) {
      log.info("room={} participant={} media closed: {}", room.name(), identity(), reason);
    }
  }
}
