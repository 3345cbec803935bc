package eu.visio.signal.livekit;

import eu.visio.signal.token.AccessClaims;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.ServerInfo;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.ParticipantUpdate;
import livekit.LivekitRtc.SignalResponse;

/**
 * The LiveKit rooms this server signals for, by name, and joining them: the first message of every
 * connection is the {@code JoinResponse} (room, the participant, the others, ping timing and a
 * {@code server_info} whose version unlocks current client features). Being built (issue 4):
 * participants join and leave; media and room events come next. Thread-safe.
 */
public final class LiveKitRooms {
  /** The LiveKit server version we speak for: 1.8+ unlocks RPC v2 in clients. */
  public static final String PROTOCOL_VERSION = "1.9.0";

  /** LiveKit's signalling protocol number of that version. */
  static final int PROTOCOL = 16;

  /** Seconds between client pings, and without one before the server gives up (LiveKit's). */
  static final int PING_INTERVAL_S = 5;

  static final int PING_TIMEOUT_S = 15;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  private final Map<String, RoomState> rooms = new ConcurrentHashMap<>();
  private final String nodeId = sid("ND_");
  private final Clock clock;

  public LiveKitRooms(Clock clock) {
    this.clock = clock;
  }

  public LiveKitRooms() {
    this(Clock.systemUTC());
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
   * Joins the room the token names; sends the {@code JoinResponse}. A participant of the same
   * identity already there is replaced (a reconnection from another tab or device).
   */
  public SignalSession join(AccessClaims claims, JoinRequest request, SignalSession.Sink sink)
      throws SignalException {
    if (!claims.video().roomJoin() || claims.video().room().isEmpty()) {
      throw new SignalException("the token does not grant joining a room");
    }
    if (claims.identity().isEmpty()) {
      throw new SignalException("the token has no identity");
    }
    String name = claims.video().room();
    RoomState room = rooms.computeIfAbsent(name, n -> new RoomState(n, sid("RM_"), clock.millis()));
    ParticipantInfo me = SignalSession.participantInfo(sid("PA_"), claims, request, clock.millis());
    SignalSession session = new SignalSession(room, me, sink, clock);
    List<ParticipantInfo> others = room.add(session);
    sink.send(
        SignalResponse.newBuilder()
            .setJoin(
                JoinResponse.newBuilder()
                    .setRoom(room.info(others.size() + 1))
                    .setParticipant(me)
                    .addAllOtherParticipants(others)
                    .setServerVersion(PROTOCOL_VERSION)
                    .setPingInterval(PING_INTERVAL_S)
                    .setPingTimeout(PING_TIMEOUT_S)
                    .setServerInfo(
                        ServerInfo.newBuilder()
                            .setEdition(ServerInfo.Edition.Standard)
                            .setVersion(PROTOCOL_VERSION)
                            .setProtocol(PROTOCOL)
                            .setNodeId(nodeId)))
            .build());
    return session;
  }

  /** Every room with participants now. */
  public List<Room> rooms() {
    List<Room> list = new ArrayList<>();
    for (RoomState r : rooms.values()) {
      list.add(r.info(r.infos(null).size()));
    }
    return list;
  }

  /**
   * Removes {@code identity} from {@code room} (the Room service's RemoveParticipant): its client
   * is told to leave (PARTICIPANT_REMOVED) and the others see it go. False when not there.
   */
  public boolean remove(String room, String identity) {
    RoomState r = rooms.get(room);
    SignalSession s = r == null ? null : r.find(identity);
    if (s == null) {
      return false;
    }
    s.removed();
    return true;
  }

  /** Participants in {@code room} now (for tests and the Room service). */
  public List<ParticipantInfo> participants(String room) {
    RoomState r = rooms.get(room);
    return r == null ? List.of() : r.infos(null);
  }

  /** One room's participants. */
  final class RoomState {
    private final String name;
    private final String sid;
    private final long createdMs;
    private final List<SignalSession> sessions = new ArrayList<>();

    RoomState(String name, String sid, long createdMs) {
      this.name = name;
      this.sid = sid;
      this.createdMs = createdMs;
    }

    String name() {
      return name;
    }

    Room info(int participants) {
      return Room.newBuilder()
          .setSid(sid)
          .setName(name)
          .setCreationTime(createdMs / 1000)
          .setCreationTimeMs(createdMs)
          .setNumParticipants(participants)
          .build();
    }

    /**
     * Adds a session, replacing one of the same identity (told to disconnect), and announces it to
     * the others; returns the others.
     */
    synchronized List<ParticipantInfo> add(SignalSession s) {
      String identity = s.participant().getIdentity();
      List<SignalSession> replaced = new ArrayList<>();
      for (SignalSession o : sessions) {
        if (o.participant().getIdentity().equals(identity)) {
          replaced.add(o);
        }
      }
      sessions.removeAll(replaced);
      replaced.forEach(SignalSession::replaced);
      List<ParticipantInfo> others = infos(null);
      announce(s.participant(), null);
      sessions.add(s);
      return others;
    }

    /** Removes a session and tells the others it left. */
    synchronized void leave(SignalSession s) {
      if (!sessions.remove(s)) {
        return;
      }
      announce(s.participant().toBuilder().setState(ParticipantInfo.State.DISCONNECTED).build(), s);
      if (sessions.isEmpty()) {
        rooms.remove(name, this);
      }
    }

    synchronized SignalSession find(String identity) {
      for (SignalSession o : sessions) {
        if (o.participant().getIdentity().equals(identity)) {
          return o;
        }
      }
      return null;
    }

    /** A participant's info changed: everyone, itself included, is told. */
    synchronized void updated(SignalSession s) {
      if (sessions.contains(s)) {
        announce(s.participant(), null);
      }
    }

    /** A ParticipantUpdate about {@code p} to everyone but {@code except}. */
    private void announce(ParticipantInfo p, SignalSession except) {
      SignalResponse update =
          SignalResponse.newBuilder()
              .setUpdate(ParticipantUpdate.newBuilder().addParticipants(p))
              .build();
      for (SignalSession o : sessions) {
        if (o != except) {
          o.send(update);
        }
      }
    }

    synchronized List<ParticipantInfo> infos(SignalSession except) {
      List<ParticipantInfo> list = new ArrayList<>();
      for (SignalSession o : sessions) {
        if (o != except) {
          list.add(o.participant());
        }
      }
      return list;
    }
  }
}
