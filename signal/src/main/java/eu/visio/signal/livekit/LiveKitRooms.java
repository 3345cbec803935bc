package eu.visio.signal.livekit;

import eu.visio.media.net.MediaWorker;
import eu.visio.signal.rtc.RtcMedia;
import eu.visio.signal.rtc.WorkerCall;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenRefresher;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.ServerInfo;
import livekit.LivekitRtc.ICEServer;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;

/**
 * The LiveKit rooms this server hosts, by name. A room is placed on the least loaded media worker
 * when its first participant comes and lives there (its SFU room, every participant's transport,
 * all its signalling state) until its last participant is gone; request threads reach it through
 * {@link WorkerCall} or by posting to its worker. Thread-safe.
 */
public final class LiveKitRooms implements AutoCloseable {
  /** The LiveKit server version we speak for: 1.8+ unlocks RPC v2 in clients. */
  public static final String PROTOCOL_VERSION = "1.9.0";

  /** LiveKit's signalling protocol number of that version. */
  static final int PROTOCOL = 16;

  /** Seconds between client pings, and without one before the server gives up (LiveKit's). */
  static final int PING_INTERVAL_S = 5;

  static final int PING_TIMEOUT_S = 15;

  /**
   * The answer to a resume of a session this server does not have (gone, replaced, or never here):
   * LiveKit's LeaveRequest RECONNECT, on which livekit-client joins again in full at once (through
   * placement, so on another node when this one drains). The connection is then closed with {@link
   * #NO_SESSION}.
   */
  public static final SignalResponse SESSION_GONE =
      SignalResponse.newBuilder()
          .setLeave(
              LeaveRequest.newBuilder()
                  .setAction(LeaveRequest.Action.RECONNECT)
                  .setReason(DisconnectReason.STATE_MISMATCH))
          .build();

  /** Why a resume of a session this server does not have is refused. */
  public static final String NO_SESSION = "no session to resume";

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final RtcMedia media;
  private final Clock clock;
  private final List<RoomWorker> workers = new ArrayList<>();
  // Rooms with participants (or joins under way); changed only under the map's compute.
  private final Map<String, Home> homes = new ConcurrentHashMap<>();
  // A random id alone; a cluster node names itself (its registration's id) so that a JoinResponse
  // says which node the room lives on, whichever node the client connected to.
  private volatile String nodeId = sid("ND_");
  private volatile IceServerSource iceServers = (claims, relays) -> List.of();
  private final RelayOnDemand.Memory relaysNeeded = new RelayOnDemand.Memory();
  private final SignalDrops signalDrops = new SignalDrops();
  private final RoomStats stats = new RoomStats();
  private volatile RoomEvents events = RoomEvents.NONE;
  private volatile TokenRefresher refresher;
  private volatile Cascade cascade;
  private volatile RoomSids roomSids = RoomSids.LOCAL;
  private volatile boolean draining;

  public LiveKitRooms(RtcMedia media, Clock clock) {
    this.media = media;
    this.clock = clock;
    for (MediaWorker w : media.port().workers()) {
      workers.add(new RoomWorker(w));
    }
  }

  public LiveKitRooms(RtcMedia media) {
    this(media, Clock.systemUTC());
  }

  /**
   * The STUN and TURN servers one participant gets in its {@code JoinResponse} and {@code
   * ReconnectResponse}, from its verified token: per participant, so each can carry credentials of
   * its own (TURN REST credentials naming its identity). Called on the room's worker at join and
   * resume, never per packet; it must not block.
   *
   * <p>Relays may be held back ({@link #relaysOnDemand}): then a participant gets them only once it
   * has shown it reaches the SFU by no direct path ({@link RelayOnDemand}).
   */
  @FunctionalInterface
  public interface IceServerSource {
    /**
     * @param withRelays whether to include the relays held back for participants that need them
     */
    List<ICEServer> forParticipant(AccessClaims claims, boolean withRelays);

    /** Whether some relays are only given with {@code withRelays}. */
    default boolean relaysOnDemand() {
      return false;
    }
  }

  /** The same STUN and TURN servers for every client. */
  public void setIceServers(List<ICEServer> servers) {
    List<ICEServer> copy = List.copyOf(servers);
    this.iceServers = (claims, relays) -> copy;
  }

  /** STUN and TURN servers chosen per participant. */
  public void setIceServers(IceServerSource source) {
    this.iceServers = java.util.Objects.requireNonNull(source);
  }

  /** Who hears of rooms and participants coming and going (webhooks). */
  public void setEvents(RoomEvents events) {
    this.events = events;
  }

  /**
   * Cascades this node's rooms with the same rooms on other nodes (issue 10): set before the first
   * room starts. Without it, a room is served by one node only.
   */
  public void setCascade(Cascade cascade) {
    this.cascade = java.util.Objects.requireNonNull(cascade);
  }

  Cascade cascade() {
    return cascade;
  }

  /**
   * Where a room's sid comes from when its part here is created, and who hears that the part ended.
   * Alone, each room draws its own ({@link RoomSids#LOCAL}); in a cluster every node of a room must
   * name it alike (LiveKit's {@code Room.sid} is one per room's life, cluster-wide).
   */
  public interface RoomSids {
    /** A new sid for each room created here. */
    RoomSids LOCAL = (room, fresh) -> fresh;

    /**
     * The sid of {@code room}, whose part is about to be created here: the one its other nodes use,
     * or {@code fresh} (drawn now) when none hosts it. Called on a request thread before the room
     * exists here; it may block (briefly), and must answer something even when the cluster cannot
     * be asked.
     */
    String sidFor(String room, String fresh);

    /**
     * {@code room}'s part here, named {@code sid}, ended. Any thread, inside the rooms' map update
     * that removes it: must only queue the news, never block nor touch the rooms.
     */
    default void ended(String room, String sid) {}
  }

  /** Where new rooms' sids come from (set before the first room starts). */
  public void setRoomSids(RoomSids sids) {
    this.roomSids = java.util.Objects.requireNonNull(sids);
  }

  /** The sid of {@code room} here, or null when it does not live here. Any thread. */
  public String sidOf(String room) {
    Home h = homes.get(room);
    return h == null ? null : h.room.sid();
  }

  /**
   * Names {@code room} {@code cluster} in place of {@code ours} (see {@link LiveKitRoom#adoptSid}),
   * on its worker, if it still lives here under {@code ours}. Any thread; never blocks.
   */
  public void adoptSid(String room, String ours, String cluster) {
    Home h = homes.get(room);
    if (h != null) {
      LiveKitRoom r = h.room;
      r.worker().execute(() -> r.adoptSid(ours, cluster));
    }
  }

  /** Every room living here now, by name, with its sid. Any thread. */
  public Map<String, String> roomSids() {
    Map<String, String> sids = new java.util.HashMap<>();
    homes.forEach((name, h) -> sids.put(name, h.room.sid()));
    return sids;
  }

  /**
   * Another node's part of a room: handed to the room here on its worker, if this node serves it
   * (else ignored). Any thread; never blocks.
   */
  public void onPeerState(eu.visio.signal.cascade.PartState state) {
    Home h = homes.get(state.room());
    if (h != null && h.room.cascade() != null) {
      LiveKitRoom room = h.room;
      room.worker().execute(() -> room.cascade().onPeerState(state, System.nanoTime()));
    }
  }

  /**
   * A data packet another node of a room relayed ({@code sender}, which must serve a part of it
   * already): delivered to the participants here. Any thread; never blocks.
   */
  public void onPeerData(String sender, eu.visio.signal.cascade.PartData data) {
    Home h = homes.get(data.room());
    if (h != null && h.room.cascade() != null) {
      LiveKitRoom room = h.room;
      room.worker()
          .execute(
              () -> {
                if (room.cascade().isPeer(sender)) {
                  room.deliverPeerData(data.label(), data.packet());
                }
              });
    }
  }

  /**
   * The node serving {@code identity} in {@code room} when that is another node of a cascaded room
   * (not this one); null otherwise.
   */
  public String servedElsewhere(String room, String identity) {
    Home h = homes.get(room);
    if (h == null || h.room.cascade() == null) {
      return null;
    }
    return onRoom(
        h.room,
        r -> {
          if (r.participant(identity) != null) {
            return null;
          }
          for (RemoteParticipant p : r.cascade().remotes()) {
            if (p.identity().equals(identity)) {
              return p.node;
            }
          }
          return null;
        });
  }

  /**
   * RTP packets sent and received on the cascade links of every room open here (asks each room's
   * worker; for metrics scrapes). A room that ended takes its counts with it.
   */
  public long[] cascadeLinkPackets() {
    long[] sum = new long[2];
    for (String room : homes.keySet()) {
      for (CascadeLinkStats s : cascadeLinks(room)) {
        sum[0] += s.sent().values().stream().mapToLong(Long::longValue).sum();
        sum[1] += s.received().values().stream().mapToLong(Long::longValue).sum();
      }
    }
    return sum;
  }

  /** The cascade links of {@code room} here, with their packet counts (empty when none). */
  public List<CascadeLinkStats> cascadeLinks(String room) {
    Home h = homes.get(room);
    List<CascadeLinkStats> list =
        h == null || h.room.cascade() == null ? null : onRoom(h.room, r -> r.cascade().stats());
    return list == null ? List.of() : list;
  }

  /** Mints the tokens connected clients get to reconnect with (none when null). */
  public void setTokenRefresher(TokenRefresher refresher) {
    this.refresher = refresher;
  }

  TokenRefresher refresher() {
    return refresher;
  }

  /** Participants, tracks and subscriptions now, and join latencies. */
  public RoomStats stats() {
    return stats;
  }

  /** Names this node in every {@code JoinResponse.server_info} from now on (a cluster's id). */
  public void setNodeId(String id) {
    this.nodeId = java.util.Objects.requireNonNull(id);
  }

  /** Whether {@code room} lives here now: it has participants, or joins or resumes under way. */
  public boolean hosts(String room) {
    return homes.containsKey(room);
  }

  /**
   * This server drains (it refuses resumes, and new joins): a participant whose signalling dropped
   * cannot be told to go elsewhere, and would hold the drain for its whole resume window waiting
   * for a resume that is refused anyway. So those waiting now leave at once, as when their window
   * ends (the others see them go, webhooks say so), and from now on one whose signalling drops
   * leaves as it drops. Any thread; does not wait for the rooms' workers (one stuck must not hold
   * the drain past its deadline).
   */
  public void drain() {
    draining = true;
    for (Home h : homes.values()) {
      LiveKitRoom room = h.room;
      room.worker().execute(room::leaveAwaitingResume);
    }
  }

  /** Whether this server drains ({@link #drain}). */
  boolean draining() {
    return draining;
  }

  /** Rooms with participants now (or created and waiting for them). */
  public int roomCount() {
    return homes.size();
  }

  /** Client messages dropped, by reason, over every connection. */
  public SignalDrops signalDrops() {
    return signalDrops;
  }

  RoomEvents events() {
    return events;
  }

  List<ICEServer> iceServers(AccessClaims claims, boolean withRelays) {
    return iceServers.forParticipant(claims, withRelays);
  }

  boolean relaysOnDemand() {
    return iceServers.relaysOnDemand();
  }

  /** Room and identity pairs whose clients needed the relays lately. */
  RelayOnDemand.Memory relaysNeeded() {
    return relaysNeeded;
  }

  RtcMedia media() {
    return media;
  }

  Clock clock() {
    return clock;
  }

  ServerInfo serverInfo() {
    return ServerInfo.newBuilder()
        .setEdition(ServerInfo.Edition.Standard)
        .setVersion(PROTOCOL_VERSION)
        .setProtocol(PROTOCOL)
        .setNodeId(nodeId)
        .build();
  }

  /** LiveKit-style ids: a prefix and 12 random base62 characters. */
  static String sid(String prefix) {
    StringBuilder b = new StringBuilder(prefix);
    for (int i = 0; i < 12; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  /**
   * Joins the room the token names, or resumes the session {@code request} names: the client gets
   * its {@code JoinResponse} (or {@code ReconnectResponse}) first, then the answer to the offer the
   * request carries. Called on the connection's thread.
   */
  public SignalSession join(
      AccessClaims claims, JoinRequest request, SignalSession.Sink sink, boolean singlePc)
      throws SignalException {
    if (!claims.video().roomJoin() || claims.video().room().isEmpty()) {
      throw new SignalException("the token does not grant joining a room");
    }
    if (claims.identity().isEmpty()) {
      throw new SignalException("the token has no identity");
    }
    Home home = acquire(claims.video().room());
    Object joined; // the participant, or the refusal
    try {
      joined =
          WorkerCall.call(
              home.room.worker(),
              () -> {
                try {
                  return request.getReconnect()
                      ? home.room.resume(claims, request, sink)
                      : home.room.join(claims, request, sink, singlePc);
                } catch (SignalException e) {
                  return e;
                }
              });
    } catch (WorkerCall.Failure e) {
      release(home.room);
      throw new SignalException("the server could not join the room");
    }
    if (joined instanceof SignalException refused) {
      release(home.room);
      throw refused;
    }
    if (request.getReconnect()) {
      // A resumed participant already holds the room.
      release(home.room);
    }
    return new SignalSession(home.room, (LiveKitParticipant) joined);
  }

  /** Every room with participants now. */
  public List<Room> rooms() {
    List<Room> list = new ArrayList<>();
    for (Home h : homes.values()) {
      Room r = onRoom(h.room, LiveKitRoom::info);
      if (r != null) {
        list.add(r);
      }
    }
    return list;
  }

  /** Participants in {@code room} now (for tests and the Room service). */
  public List<ParticipantInfo> participants(String room) {
    Home h = homes.get(room);
    List<ParticipantInfo> list = h == null ? null : onRoom(h.room, r -> r.infos(null, true));
    return list == null ? List.of() : list;
  }

  /**
   * Removes {@code identity} from {@code room} (the Room service's RemoveParticipant): its client
   * is told to leave (PARTICIPANT_REMOVED) and the others see it go. False when not there.
   */
  public boolean remove(String room, String identity) {
    Home h = homes.get(room);
    Boolean removed = h == null ? null : onRoom(h.room, r -> r.removeByAdmin(identity));
    return removed != null && removed;
  }

  /** The Room service's CreateRoom: the room exists (and is held) until empty for a while. */
  public Room create(livekit.LivekitRoom.CreateRoomRequest r) {
    Home h = acquire(r.getName());
    Room room = onRoom(h.room, x -> x.configure(r));
    if (room == null) {
      release(h.room);
    }
    return room;
  }

  /** The Room service's DeleteRoom; false when there is no such room. */
  public boolean delete(String room) {
    Home h = homes.get(room);
    return h != null
        && onRoom(
                h.room,
                r -> {
                  r.delete();
                  return true;
                })
            != null;
  }

  /** SendData; how many participants it reached, or null when there is no such room. */
  public Integer sendData(livekit.LivekitRoom.SendDataRequest r) {
    Home h = homes.get(r.getRoom());
    return h == null ? null : onRoom(h.room, x -> x.sendData(r));
  }

  /** UpdateRoomMetadata; null when there is no such room. */
  public Room updateMetadata(String room, String metadata) {
    Home h = homes.get(room);
    return h == null ? null : onRoom(h.room, r -> r.updateMetadata(metadata));
  }

  /**
   * Runs {@code f} on {@code identity} in {@code room}, on the room's worker; null when either is
   * missing (or {@code f} returned null).
   */
  public <T> T onParticipant(
      String room, String identity, java.util.function.Function<Participant, T> f) {
    Home h = homes.get(room);
    if (h == null) {
      return null;
    }
    return onRoom(
        h.room,
        r -> {
          LiveKitParticipant p = r.participant(identity);
          return p == null ? null : f.apply(new Participant(p));
        });
  }

  /** What the Room service may do to a participant, on its room's worker. */
  public static final class Participant {
    private final LiveKitParticipant p;

    Participant(LiveKitParticipant p) {
      this.p = p;
    }

    public ParticipantInfo info() {
      return p.info();
    }

    /** MutePublishedTrack; the track's new info, or null when it has no such track. */
    public livekit.LivekitModels.TrackInfo mute(String trackSid, boolean muted) {
      return p.muteByAdmin(trackSid, muted) ? p.publication(trackSid).info() : null;
    }

    public ParticipantInfo update(livekit.LivekitRoom.UpdateParticipantRequest u) {
      return p.updateByAdmin(u);
    }

    public void updateSubscriptions(livekit.LivekitRtc.UpdateSubscription u) {
      p.updateSubscriptionsByAdmin(u);
    }

    public void remove() {
      p.room().removeByAdmin(p.identity());
    }
  }

  /** Runs {@code f} on the room's worker; null if the worker failed to answer. */
  private <T> T onRoom(LiveKitRoom room, Function<LiveKitRoom, T> f) {
    try {
      return WorkerCall.call(room.worker(), () -> f.apply(room));
    } catch (WorkerCall.Failure e) {
      return null;
    }
  }

  /** Media counts over every worker's rooms now (asks each worker; for metrics scrapes). */
  public MediaTotals mediaTotals() {
    MediaTotals t = MediaTotals.ZERO;
    for (RoomWorker w : workers) {
      try {
        t = t.plus(WorkerCall.call(w.worker, w::totals));
      } catch (WorkerCall.Failure e) {
        // a stuck worker: its rooms are missing from this scrape
      }
    }
    return t;
  }

  /** Packets the rooms' down tracks did not send for {@code reason}, over every worker. */
  public long forwardDrops(eu.visio.sfu.layer.LayerDropReason reason) {
    long n = 0;
    for (RoomWorker w : workers) {
      n += w.context.forwardDrops().get(reason);
    }
    return n;
  }

  /**
   * Pins a room (creating and placing it if new) for one more participant or join. A new room's sid
   * is asked for first, outside the map's lock (it may ask the cluster); if another thread created
   * the room meanwhile, that one is used.
   */
  private Home acquire(String name) {
    Home existing =
        homes.computeIfPresent(
            name,
            (n, h) -> {
              h.holders++;
              return h;
            });
    if (existing != null) {
      return existing;
    }
    String sid = roomSids.sidFor(name, sid("RM_"));
    return homes.compute(
        name,
        (n, home) -> {
          Home h = home;
          if (h == null) {
            RoomWorker w = workers.get(media.port().leastLoadedWorker().index());
            h = new Home(new LiveKitRoom(this, n, sid, w));
          }
          h.holders++;
          return h;
        });
  }

  /** One participant (or failed join) of the room is gone; the last one ends the room. */
  void release(LiveKitRoom room) {
    boolean[] ended = new boolean[1];
    homes.computeIfPresent(
        room.name(),
        (n, h) -> {
          if (h.room != room || --h.holders > 0) {
            return h;
          }
          ended[0] = true;
          // Told before the room is gone from the map: a new part of it created here after this
          // asks for its sid after the end is told.
          roomSids.ended(room.name(), room.sid());
          return null;
        });
    if (ended[0]) {
      room.worker().execute(room::end);
    }
  }

  @Override
  public void close() {
    for (Home h : homes.values()) {
      h.room.worker().execute(() -> h.room.closeAll("server shutting down"));
    }
    for (RoomWorker w : workers) {
      w.close();
    }
  }

  /** A room and how many participants and joins under way hold it. */
  private static final class Home {
    final LiveKitRoom room;
    int holders;

    Home(LiveKitRoom room) {
      this.room = room;
    }
  }
}
