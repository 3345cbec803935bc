package eu.visio.signal.livekit;

import eu.visio.media.net.MediaWorker;
import eu.visio.sfu.ConnectionQuality;
import eu.visio.sfu.DownTrack;
import eu.visio.sfu.Participant;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.RoomListener;
import eu.visio.sfu.Speaker;
import eu.visio.signal.token.AccessClaims;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.SpeakerInfo;
import livekit.LivekitRtc.ConnectionQualityInfo;
import livekit.LivekitRtc.ConnectionQualityUpdate;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.ParticipantUpdate;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.SpeakersChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LiveKit room: its participants by identity, and the SFU room that forwards their media. It
 * turns the SFU's events (speakers, stream states, layers needed, connection quality) into LiveKit
 * messages. Confined to its media worker's thread, like the SFU room.
 */
final class LiveKitRoom implements RoomListener {
  private static final Logger log = LoggerFactory.getLogger(LiveKitRoom.class);

  private final LiveKitRooms rooms;
  private final String name;
  // Set at creation; replaced only to take the cluster's sid (adoptSid). Read from any thread.
  private volatile String sid;
  private final long createdMs;
  private final RoomWorker home;
  private final eu.visio.sfu.Room sfu;
  private final Map<String, LiveKitParticipant> byIdentity = new LinkedHashMap<>();
  private final Map<String, LiveKitParticipant> bySid = new HashMap<>();
  private final RoomData data;
  private String metadata = "";
  private boolean started;
  // Room service settings (CreateRoom); 0 = no limit.
  private int maxParticipants;
  private int emptyTimeoutS = DEFAULT_EMPTY_TIMEOUT_S;
  private int departureTimeoutS = DEFAULT_DEPARTURE_TIMEOUT_S;
  // A room the Room service created holds itself until it has been empty for emptyTimeoutS.
  private boolean createdHold;
  private long emptySince = -1;
  private List<String> speaking = List.of();
  private long lastQualityUpdate = System.nanoTime(); // the first after a full interval
  // The other nodes serving this room's participants; null on a node that does not cascade.
  private final RoomCascade cascade;

  /** Every participant's grade goes to everyone this often (clients show it on each tile). */
  static final long QUALITY_UPDATE_NANOS = 5_000_000_000L;

  /** LiveKit's defaults: a created room waits 5 minutes for its first participant. */
  static final int DEFAULT_EMPTY_TIMEOUT_S = 300;

  static final int DEFAULT_DEPARTURE_TIMEOUT_S = 20;

  LiveKitRoom(LiveKitRooms rooms, String name, String sid, RoomWorker home) {
    this.rooms = rooms;
    this.name = name;
    this.sid = sid;
    this.createdMs = rooms.clock().millis();
    this.home = home;
    this.data = new RoomData(rooms.signalDrops());
    this.sfu = new eu.visio.sfu.Room(name, this, home.context);
    Cascade c = rooms.cascade();
    this.cascade = c == null ? null : new RoomCascade(this, c);
  }

  /** Participants served here (not the other nodes' of a cascaded room). */
  java.util.Collection<LiveKitParticipant> locals() {
    return byIdentity.values();
  }

  /** This room's part in a cascade, or null. */
  RoomCascade cascade() {
    return cascade;
  }

  private void cascadeChanged() {
    if (cascade != null) {
      cascade.changed();
    }
  }

  /** Where this room's dropped signalling and data messages are counted. */
  SignalDrops drops() {
    return rooms.signalDrops();
  }

  String name() {
    return name;
  }

  /** The room's sid: the same on every node of a cascaded room ({@link LiveKitRooms.RoomSids}). */
  String sid() {
    return sid;
  }

  MediaWorker worker() {
    return home.worker;
  }

  eu.visio.sfu.Room sfu() {
    return sfu;
  }

  LiveKitRooms rooms() {
    return rooms;
  }

  Room info() {
    return Room.newBuilder()
        .setSid(sid)
        .setName(name)
        .setMetadata(metadata)
        .setCreationTime(createdMs / 1000)
        .setCreationTimeMs(createdMs)
        .setEmptyTimeout(emptyTimeoutS)
        .setDepartureTimeout(departureTimeoutS)
        .setMaxParticipants(maxParticipants)
        .setNumParticipants(infos(null, true).size())
        .setNumPublishers(
            (int) byIdentity.values().stream().filter(p -> !p.publications().isEmpty()).count()
                + (cascade == null
                    ? 0
                    : (int)
                        cascade.remotes().stream()
                            .filter(r -> !r.publications().isEmpty())
                            .count()))
        .build();
  }

  private void ensureStarted() {
    if (!started) {
      started = true;
      home.add(this);
      // A cascaded room starts once cluster-wide: on the node holding its lease, not on the parts.
      if (cascade == null || rooms.cascade().holdsLease(name)) {
        rooms.events().roomStarted(info());
      }
      log.info("room={} sid={} started", name, sid);
    }
  }

  /**
   * The Room service's CreateRoom: settings for the room, which then lives (held by {@code hold},
   * taken by the caller) until empty for its empty timeout. Creating an existing room only updates
   * its settings and gives the extra hold back.
   */
  Room configure(livekit.LivekitRoom.CreateRoomRequest r) {
    ensureStarted();
    if (createdHold) {
      rooms.release(this);
    }
    createdHold = true;
    emptySince = -1;
    maxParticipants = r.getMaxParticipants();
    if (r.getEmptyTimeout() > 0) {
      emptyTimeoutS = r.getEmptyTimeout();
    }
    if (r.getDepartureTimeout() > 0) {
      departureTimeoutS = r.getDepartureTimeout();
    }
    if (!r.getMetadata().isEmpty()) {
      metadata = r.getMetadata();
    }
    return info();
  }

  /** DeleteRoom: everyone is told the room is gone and leaves; the room ends. */
  void delete() {
    for (LiveKitParticipant p : new ArrayList<>(byIdentity.values())) {
      p.leaveRequest(livekit.LivekitModels.DisconnectReason.ROOM_DELETED);
      p.closeSignal("room deleted");
      leave(p);
    }
    if (createdHold) {
      createdHold = false;
      rooms.release(this);
    }
  }

  /**
   * Takes the cluster's sid for this room, in place of {@code ours}, which it was created with
   * while the cluster could not be asked (on the worker): the participants here get a RoomUpdate
   * naming the room as on the other nodes; webhooks and the Room service say it from now on. False
   * when the room is named otherwise by now.
   */
  boolean adoptSid(String ours, String cluster) {
    if (!sid.equals(ours)) {
      return false;
    }
    sid = cluster;
    log.info("room={} sid={} taken from the cluster in place of {}", name, cluster, ours);
    broadcast(
        SignalResponse.newBuilder()
            .setRoomUpdate(livekit.LivekitRtc.RoomUpdate.newBuilder().setRoom(info()))
            .build(),
        null);
    return true;
  }

  /** UpdateRoomMetadata: everyone gets a RoomUpdate. */
  Room updateMetadata(String value) {
    metadata = value;
    Room info = info();
    broadcast(
        SignalResponse.newBuilder()
            .setRoomUpdate(livekit.LivekitRtc.RoomUpdate.newBuilder().setRoom(info))
            .build(),
        null);
    return info;
  }

  LiveKitParticipant join(
      AccessClaims claims, JoinRequest request, SignalSession.Sink sink, boolean singlePc)
      throws SignalException {
    LiveKitParticipant old = byIdentity.get(claims.identity());
    if (maxParticipants > 0 && old == null && byIdentity.size() >= maxParticipants) {
      throw new SignalException("the room is full");
    }
    ensureStarted();
    if (old != null) {
      old.replaced();
      leave(old);
    }
    LiveKitParticipant p =
        new LiveKitParticipant(this, LiveKitRooms.sid("PA_"), claims, request, sink, singlePc);
    List<ParticipantInfo> others = infos(null, false);
    byIdentity.put(claims.identity(), p);
    bySid.put(p.sid(), p);
    rooms.stats().participants.incrementAndGet();
    p.sendJoin(others);
    announce(p, p);
    rooms.events().participantJoined(info(), p.info());
    // Subscriptions first: the answer to the offer the join carries then already sends them on
    // the client's receive slots, a renegotiation sooner (the first frame comes faster).
    if (p.autoSubscribe()) {
      for (LiveKitParticipant o : byIdentity.values()) {
        if (o != p) {
          for (Publication pub : o.publications()) {
            p.subscribe(pub);
          }
        }
      }
      if (cascade != null) {
        for (RemoteParticipant r : cascade.remotes()) {
          for (Publication pub : r.publications()) {
            p.subscribe(pub);
          }
        }
      }
    }
    cascadeChanged();
    p.start(request);
    return p;
  }

  /** A client reconnecting its signalling to the session it still has here. */
  LiveKitParticipant resume(AccessClaims claims, JoinRequest request, SignalSession.Sink sink)
      throws SignalException {
    LiveKitParticipant p = byIdentity.get(claims.identity());
    if (p == null || !p.sid().equals(request.getParticipantSid())) {
      // Gone (or replaced): the client must join again, which it does at once when told so.
      sink.send(LiveKitRooms.SESSION_GONE);
      throw new SignalException(LiveKitRooms.NO_SESSION);
    }
    p.resume(sink, request);
    return p;
  }

  /** The participant is gone: its tracks leave every subscriber, the others see it go. */
  void leave(LiveKitParticipant p) {
    if (byIdentity.get(p.identity()) != p) {
      return;
    }
    byIdentity.remove(p.identity());
    bySid.remove(p.sid());
    for (Publication pub : p.publications()) {
      for (LiveKitParticipant o : byIdentity.values()) {
        o.unsubscribe(pub.sid());
      }
    }
    p.close();
    ParticipantInfo gone =
        p.info().toBuilder().setState(ParticipantInfo.State.DISCONNECTED).build();
    if (!gone.getPermission().getHidden()) {
      broadcast(update(gone), null);
    }
    rooms.events().participantLeft(info(), gone);
    log.info("room={} participant={} left", name, p.identity());
    cascadeChanged();
    rooms.release(this);
    // Last: whoever waits for the count to reach zero (a drain) finds the leave whole, the room
    // given back included.
    rooms.stats().participants.decrementAndGet();
  }

  /** A track was negotiated: everyone learns of it, auto-subscribers receive it. */
  void published(LiveKitParticipant owner, Publication pub) {
    announce(owner, null);
    cascadeChanged();
    rooms.events().trackPublished(info(), owner.info(), pub.info());
    for (LiveKitParticipant o : byIdentity.values()) {
      if (o != owner && o.autoSubscribe()) {
        o.subscribe(pub);
      }
    }
  }

  void unpublished(LiveKitParticipant owner, Publication pub) {
    for (LiveKitParticipant o : byIdentity.values()) {
      if (o != owner) {
        o.unsubscribe(pub.sid());
      }
    }
    announce(owner, null);
    cascadeChanged();
    rooms.events().trackUnpublished(info(), owner.info(), pub.info());
  }

  /**
   * A publisher changed who may receive its tracks: subscriptions it now forbids end, and their
   * subscribers are told; auto-subscribers it now allows receive them.
   */
  void permissionsChanged(LiveKitParticipant publisher) {
    cascadeChanged();
    permissionsChanged(publisher, publisher.publications());
  }

  private void permissionsChanged(
      TrackOwner publisher, java.util.Collection<Publication> publications) {
    for (LiveKitParticipant o : byIdentity.values()) {
      if (o == publisher) {
        continue;
      }
      for (Publication pub : publications) {
        boolean allowed = publisher.allows(o, pub.sid());
        boolean had = o.subscriptions().has(pub.sid());
        if (!allowed && had) {
          o.unsubscribe(pub.sid());
        }
        if (allowed && !had && o.autoSubscribe()) {
          o.subscribe(pub);
        }
        if (allowed != had) {
          o.send(
              SignalResponse.newBuilder()
                  .setSubscriptionPermissionUpdate(
                      livekit.LivekitRtc.SubscriptionPermissionUpdate.newBuilder()
                          .setParticipantSid(publisher.sid())
                          .setTrackSid(pub.sid())
                          .setAllowed(allowed))
                  .build());
        }
      }
    }
  }

  /** A data packet from {@code from} on its channel {@code label}: see {@link RoomData}. */
  void relayData(LiveKitParticipant from, String label, byte[] payload) {
    byte[] relayed = data.relay(from, label, payload, byIdentity.values());
    if (relayed != null && cascade != null) {
      cascade.sendData(label, relayed);
    }
  }

  /** The Room service's SendData; how many participants (served here) it went to. */
  int sendData(livekit.LivekitRoom.SendDataRequest r) {
    int[] sent = new int[1];
    byte[] out = data.send(r, byIdentity.values(), sent);
    if (out != null && cascade != null) {
      cascade.sendData(RoomData.label(r.getKind()), out);
    }
    return sent[0];
  }

  /** A data packet another node of the room relayed: to those it names here, or to everyone. */
  void deliverPeerData(String label, byte[] packet) {
    data.deliver(label, packet, byIdentity.values());
  }

  // ---- participants served by the other nodes of a cascaded room (RoomCascade)

  /** A remote participant came ({@code added}) or its info changed: everyone here is told. */
  void remoteChanged(RemoteParticipant r, boolean added) {
    if (!r.hidden()) {
      broadcast(update(r.info()), null);
    }
    if (added) {
      log.info("room={} participant={} on node {} seen", name, r.identity(), r.node);
    }
  }

  /** A remote participant left. */
  void remoteLeft(RemoteParticipant r) {
    if (!r.hidden()) {
      broadcast(
          update(r.info().toBuilder().setState(ParticipantInfo.State.DISCONNECTED).build()), null);
    }
    log.info("room={} participant={} on node {} gone", name, r.identity(), r.node);
  }

  /** A remote track's mirror is live here: auto-subscribers receive it. */
  void remotePublished(Publication pub) {
    for (LiveKitParticipant o : byIdentity.values()) {
      if (o.autoSubscribe()) {
        o.subscribe(pub);
      }
    }
  }

  void remoteUnpublished(Publication pub) {
    for (LiveKitParticipant o : byIdentity.values()) {
      o.unsubscribe(pub.sid());
    }
  }

  void remotePermissionsChanged(RemoteParticipant r) {
    permissionsChanged(r, r.publications());
  }

  /** The publication of {@code trackSid}, in any participant, or null. */
  Publication publication(String trackSid) {
    for (LiveKitParticipant p : byIdentity.values()) {
      Publication pub = p.publication(trackSid);
      if (pub != null) {
        return pub;
      }
    }
    return cascade == null ? null : cascade.publication(trackSid);
  }

  LiveKitParticipant participant(String identity) {
    return byIdentity.get(identity);
  }

  /** The Room service removing a participant. */
  boolean removeByAdmin(String identity) {
    LiveKitParticipant p = byIdentity.get(identity);
    if (p == null) {
      return false;
    }
    p.removed();
    leave(p);
    return true;
  }

  /** Tells everyone but {@code except} about {@code p} (its info changed or it joined). */
  void announce(LiveKitParticipant p, LiveKitParticipant except) {
    cascadeChanged();
    if (!p.info().getPermission().getHidden()) {
      broadcast(update(p.info()), except);
    }
  }

  private static SignalResponse update(ParticipantInfo p) {
    return SignalResponse.newBuilder()
        .setUpdate(ParticipantUpdate.newBuilder().addParticipants(p))
        .build();
  }

  void broadcast(SignalResponse r, LiveKitParticipant except) {
    for (LiveKitParticipant o : byIdentity.values()) {
      if (o != except) {
        o.send(r);
      }
    }
  }

  /** Participants' infos, hidden ones only when asked, without {@code except}. */
  List<ParticipantInfo> infos(LiveKitParticipant except, boolean withHidden) {
    List<ParticipantInfo> list = new ArrayList<>();
    for (LiveKitParticipant o : byIdentity.values()) {
      if (o != except && (withHidden || !o.info().getPermission().getHidden())) {
        list.add(o.info());
      }
    }
    if (cascade != null) {
      for (RemoteParticipant r : cascade.remotes()) {
        if (withHidden || !r.hidden()) {
          list.add(r.info());
        }
      }
    }
    return list;
  }

  void tick(long nowNanos) {
    if (createdHold && byIdentity.isEmpty()) {
      if (emptySince < 0) {
        emptySince = nowNanos;
      } else if (nowNanos - emptySince > emptyTimeoutS * 1_000_000_000L) {
        createdHold = false;
        log.info("room={} empty for {} s", name, emptyTimeoutS);
        rooms.release(this);
        return;
      }
    } else {
      emptySince = -1;
    }
    sfu.tick(nowNanos);
    for (LiveKitParticipant p : new ArrayList<>(byIdentity.values())) {
      p.tick(nowNanos);
    }
    if (cascade != null) {
      cascade.tick(nowNanos);
    }
    if (nowNanos - lastQualityUpdate > QUALITY_UPDATE_NANOS && !byIdentity.isEmpty()) {
      lastQualityUpdate = nowNanos;
      ConnectionQualityUpdate.Builder u = ConnectionQualityUpdate.newBuilder();
      for (LiveKitParticipant p : byIdentity.values()) {
        u.addUpdates(qualityInfo(p, p.sfu().quality(), p.sfu().qualityScore()));
      }
      if (cascade != null) {
        for (RemoteParticipant r : cascade.remotes()) {
          u.addUpdates(
              ConnectionQualityInfo.newBuilder()
                  .setParticipantSid(r.sid())
                  .setQualityValue(r.quality())
                  .setScore(r.score()));
        }
      }
      broadcast(SignalResponse.newBuilder().setConnectionQuality(u).build(), null);
    }
  }

  /** The last participant left: the room ends. */
  void end() {
    for (LiveKitParticipant p : new ArrayList<>(byIdentity.values())) {
      leave(p);
    }
    home.remove(this);
    // A cascaded room finishes once cluster-wide: with its last part (one that knows no other).
    boolean last = cascade == null || !cascade.hasPeers();
    if (cascade != null) {
      cascade.close();
    }
    if (started && last) {
      rooms.events().roomFinished(info());
      log.info("room={} sid={} finished", name, sid);
    }
  }

  /** This server drains: sessions waiting for a resume it would refuse leave now. */
  void leaveAwaitingResume() {
    for (LiveKitParticipant p : new ArrayList<>(byIdentity.values())) {
      p.leaveIfAwaitingResume();
    }
  }

  void closeAll(String reason) {
    for (LiveKitParticipant p : new ArrayList<>(byIdentity.values())) {
      p.closeSignal(reason);
      leave(p);
    }
  }

  @Override
  public void onSpeakersChanged(List<Speaker> speakers) {
    SpeakersChanged.Builder b = SpeakersChanged.newBuilder();
    List<String> now = new ArrayList<>();
    for (Speaker s : speakers) {
      now.add(s.participantId());
      b.addSpeakers(
          SpeakerInfo.newBuilder()
              .setSid(s.participantId())
              .setLevel((float) s.level())
              .setActive(true));
    }
    // Clients keep a speaker until told it stopped (active false).
    for (String was : speaking) {
      if (!now.contains(was)) {
        b.addSpeakers(SpeakerInfo.newBuilder().setSid(was).setActive(false));
      }
    }
    speaking = now;
    broadcast(SignalResponse.newBuilder().setSpeakersChanged(b).build(), null);
  }

  @Override
  public void onStreamStateChanged(Participant subscriber, DownTrack track, boolean active) {
    LiveKitParticipant p = bySid.get(subscriber.id());
    if (p != null) {
      p.streamStateChanged(track, active);
    }
  }

  @Override
  public void onLayersNeeded(PublishedTrack track, int maxSpatial) {
    LiveKitParticipant owner = bySid.get(track.publisherId());
    if (owner != null) {
      owner.layersNeeded(track, maxSpatial);
    } else if (cascade != null) {
      cascade.layersNeeded(track, maxSpatial);
    }
  }

  /** LiveKit's name for an SFU quality grade. */
  static livekit.LivekitModels.ConnectionQuality grade(ConnectionQuality quality) {
    return switch (quality) {
      case EXCELLENT -> livekit.LivekitModels.ConnectionQuality.EXCELLENT;
      case GOOD -> livekit.LivekitModels.ConnectionQuality.GOOD;
      case POOR -> livekit.LivekitModels.ConnectionQuality.POOR;
      case LOST -> livekit.LivekitModels.ConnectionQuality.LOST;
    };
  }

  private static ConnectionQualityInfo qualityInfo(
      LiveKitParticipant p, ConnectionQuality quality, double score) {
    return ConnectionQualityInfo.newBuilder()
        .setParticipantSid(p.sid())
        .setQuality(grade(quality))
        .setScore((float) score)
        .build();
  }

  @Override
  public void onQualityChanged(Participant participant, ConnectionQuality quality, double score) {
    LiveKitParticipant p = bySid.get(participant.id());
    if (p == null) {
      return;
    }
    broadcast(
        SignalResponse.newBuilder()
            .setConnectionQuality(
                ConnectionQualityUpdate.newBuilder().addUpdates(qualityInfo(p, quality, score)))
            .build(),
        null);
  }
}
