package eu.visio.meet;

import eu.visio.meet.access.EntryPolicy;
import eu.visio.meet.access.ParticipantTokens;
import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomCode;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.RoomSettings;
import eu.visio.meet.store.RoomRoles;
import eu.visio.meet.store.Rooms;
import eu.visio.signal.token.VideoGrant.Source;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meeting service's rules in one place, below any HTTP: creating rooms, joining one (enter at
 * once, knock, or be refused), the lobby as hosts and guests see it, and the LiveKit token at the
 * end. The REST layer authenticates the caller and maps outcomes and {@link MeetingException} codes
 * to responses; it never mints a token itself.
 *
 * <p>The one invariant: a token is minted only for a caller {@link EntryPolicy} lets in, which for
 * anyone without a role on a non-public room means the lobby admitted them. No path around it
 * exists here, so none exists in the API.
 *
 * <p>Hosts are the room's owners and administrators (stored roles), and the co-hosts a host named
 * during a meeting: those are held here, for that meeting only, like Google Meet's co-hosts, and
 * end with it (or with a restart, which ends the SFU's meetings too). Changes a host makes to a
 * room reach the meeting in progress through {@link LiveMeetings}: a narrower set of sources stops
 * the tracks it no longer allows, a new cap holds at the SFU.
 */
public final class Meetings {
  private static final Logger LOG = LoggerFactory.getLogger(Meetings.class);

  /**
   * Who is asking: a signed-in user (their id) or a guest, with the stable participant id LiveKit
   * will know them by and the name they gave.
   */
  public record Caller(
      String participantId, Optional<UUID> userId, String displayName, boolean authenticated) {
    public Caller {
      if (authenticated != userId.isPresent()) {
        throw new IllegalArgumentException("a signed-in caller has a user id, a guest none");
      }
    }
  }

  /** What joining gave: a token to enter with, a place in the lobby, or a refusal. */
  public sealed interface Join {
    record Enter(Room room, String token, Optional<Role> role) implements Join {}

    record Knock(Room room, Lobby.Status status) implements Join {}

    record Refused(Room room) implements Join {}
  }

  /**
   * What a host changes in a room; empty fields stay as they are.
   *
   * @param canPublish the sources participants (not hosts) may publish
   */
  public record Changes(
      Optional<String> name,
      Optional<AccessLevel> accessLevel,
      Optional<Set<Source>> canPublish,
      Optional<Boolean> everyoneCanMute,
      Optional<Integer> maxParticipants,
      Optional<Boolean> locked) {
    public static final Changes NONE =
        new Changes(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
  }

  /**
   * A refusal with a stable code for API clients: NOT_FOUND, FORBIDDEN, INVALID, FULL, CONFLICT.
   */
  public static final class MeetingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    MeetingException(String code, String message) {
      super(message);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  private final Rooms rooms;
  private final RoomRoles roles;
  private final Lobby lobby;
  private final ParticipantTokens tokens;
  private final LiveMeetings live;

  /** Co-hosts named during a meeting: room id to participant ids. */
  private final Map<UUID, Set<String>> coHosts = new ConcurrentHashMap<>();

  public Meetings(
      Rooms rooms, RoomRoles roles, Lobby lobby, ParticipantTokens tokens, LiveMeetings live) {
    this.rooms = rooms;
    this.roles = roles;
    this.lobby = lobby;
    this.tokens = tokens;
    this.live = live;
  }

  /** A new room, its creator its owner; only signed-in users create rooms. */
  public Room create(Caller caller, String name, RoomKind kind, AccessLevel access) {
    UUID owner = signedIn(caller);
    return rooms.create(owner, name, kind, access, RoomSettings.DEFAULTS);
  }

  /** The rooms {@code caller} has a role on, newest first; signed-in users only. */
  public List<Room> mine(Caller caller) {
    return rooms.listForUser(signedIn(caller));
  }

  /** The room behind a code as people type it. */
  public Room find(String code) {
    Optional<RoomCode> parsed = RoomCode.tryParse(code);
    if (parsed.isEmpty()) {
      throw new MeetingException("INVALID", "not a meeting code: " + code);
    }
    return rooms
        .findByCode(parsed.get())
        .orElseThrow(() -> new MeetingException("NOT_FOUND", "no meeting " + parsed.get()));
  }

  /**
   * {@code caller} asks to join {@code code}: a token if the room lets them in (as it is, or after
   * the lobby admitted them), else their place in the lobby, knocking now if they had not.
   */
  public Join join(String code, Caller caller) {
    Room room = find(code);
    Optional<Role> role = roleOf(room, caller);
    Lobby.Status status = lobby.status(lobbyKey(room), caller.participantId());
    EntryPolicy.Outcome outcome =
        EntryPolicy.decide(room.accessLevel(), room.locked(), caller.authenticated(), role, status);
    return switch (outcome) {
      case ENTER -> enter(room, caller, role);
      case REFUSED -> new Join.Refused(room);
      case KNOCK -> {
        try {
          Lobby.Knock k =
              lobby.knock(
                  lobbyKey(room),
                  caller.participantId(),
                  caller.displayName(),
                  caller.authenticated());
          yield new Join.Knock(room, k.status());
        } catch (Lobby.FullException e) {
          throw new MeetingException("FULL", "the lobby is full; try again later");
        }
      }
    };
  }

  /**
   * A token for someone let in, if the meeting has room: the cap is checked here for a clear answer
   * and held by the SFU (which the room is opened with) for anyone arriving with a token.
   */
  private Join enter(Room room, Caller caller, Optional<Role> role) {
    String name = liveKitRoom(room);
    int max = room.settings().maxParticipants();
    if (!live.present(name, caller.participantId()) && live.occupancy(name) >= max) {
      LOG.debug("room={} participant={} refused: full at {}", name, caller.participantId(), max);
      throw new MeetingException("FULL", "the meeting is full (" + max + " participants)");
    }
    live.open(name, max);
    return new Join.Enter(room, mint(room, caller, role), role);
  }

  /** Who waits at {@code code}'s door; hosts only. */
  public List<Lobby.Knock> waiting(String code, Caller host) {
    Room room = find(code);
    requireHost(room, host);
    return lobby.waiting(lobbyKey(room));
  }

  /** A host admits or denies one waiting participant; false if it was not waiting. */
  public boolean decide(String code, Caller host, String participant, boolean admit) {
    Room room = find(code);
    requireHost(room, host);
    return lobby.decide(lobbyKey(room), participant, admit).isPresent();
  }

  /** A host admits or denies everyone waiting; how many. */
  public int decideAll(String code, Caller host, boolean admit) {
    Room room = find(code);
    requireHost(room, host);
    return lobby.decideAll(lobbyKey(room), admit).size();
  }

  /**
   * {@code caller} follows {@code code}'s lobby: a host sees who waits; a participant who knocked
   * (waiting, or decided and not yet lapsed) sees where it stands; anyone else is FORBIDDEN, so
   * nobody learns of a lobby they have no part in. {@code onChange} is called when what the caller
   * sees may have changed (see {@link LobbyWatch}). The role is checked now, not on every change: a
   * host whose role is taken away keeps the watch until it closes.
   */
  public LobbyWatch watch(String code, Caller caller, Runnable onChange) {
    Room room = find(code);
    String key = lobbyKey(room);
    if (roleOf(room, caller).map(Role::isHost).orElse(false)) {
      return LobbyWatch.host(lobby, key, onChange);
    }
    if (lobby.status(key, caller.participantId()) == Lobby.Status.UNKNOWN) {
      throw new MeetingException(
          "FORBIDDEN", "only the meeting's hosts and those who knocked may follow its lobby");
    }
    // A decision between the check and the registration is not lost: the watcher reads current()
    // after registering, and current() reads the lobby afresh.
    return LobbyWatch.knocker(lobby, key, caller.participantId(), onChange);
  }

  /**
   * Notices knocks, admissions and denials that lapsed in rooms nobody looked at, so that their
   * watchers hear of it (lookups notice lapses in the rooms they look at). Whoever keeps watches
   * open runs it now and then.
   */
  public void sweepLobbies() {
    lobby.sweep();
  }

  /** The room behind {@code code} if {@code caller} hosts it (FORBIDDEN otherwise). */
  public Room hosted(String code, Caller caller) {
    Room room = find(code);
    requireHost(room, caller);
    return room;
  }

  /**
   * A host changes the room: its name, access level, what participants may publish, muting, the
   * cap, the lock. A meeting in progress follows at once.
   */
  public Room update(String code, Caller host, Changes changes) {
    Room room = hosted(code, host);
    Room updated = room;
    if (changes.name().isPresent()) {
      updated = rooms.rename(room.id(), changes.name().get());
    }
    if (changes.accessLevel().isPresent()) {
      updated = rooms.updateAccessLevel(room.id(), changes.accessLevel().get());
    }
    if (changes.locked().isPresent()) {
      updated = rooms.setLocked(room.id(), changes.locked().get());
    }
    RoomSettings settings = updated.settings();
    RoomSettings wanted = settings;
    if (changes.canPublish().isPresent()) {
      wanted = wanted.withCanPublish(changes.canPublish().get());
    }
    if (changes.everyoneCanMute().isPresent()) {
      wanted = wanted.withEveryoneCanMute(changes.everyoneCanMute().get());
    }
    if (changes.maxParticipants().isPresent()) {
      wanted = wanted.withMaxParticipants(changes.maxParticipants().get());
    }
    if (!wanted.equals(settings)) {
      updated = rooms.updateSettings(room.id(), wanted);
      String name = liveKitRoom(room);
      if (wanted.maxParticipants() != settings.maxParticipants()) {
        live.limit(name, wanted.maxParticipants());
      }
      if (!wanted.canPublish().equals(settings.canPublish())) {
        int n = live.permitMembers(name, ParticipantTokens.permission(false, wanted.canPublish()));
        LOG.debug("room={} sources now {} for {} participants", name, wanted.wireSources(), n);
      }
    }
    return updated;
  }

  /** An owner deletes the room: a meeting in progress ends, its code is free again. */
  public void delete(String code, Caller owner) {
    Room room = find(code);
    if (roleOf(room, owner).orElse(null) != Role.OWNER
        || coHosts.getOrDefault(room.id(), Set.of()).contains(owner.participantId())) {
      throw new MeetingException("FORBIDDEN", "only the room's owners may delete it");
    }
    end(room);
    rooms.delete(room.id());
  }

  /** A host ends the meeting for everyone; false when it was not running. */
  public boolean end(String code, Caller host) {
    return end(hosted(code, host));
  }

  private boolean end(Room room) {
    coHosts.remove(room.id());
    return live.end(liveKitRoom(room));
  }

  /**
   * A host makes a participant of the meeting a co-host, for this meeting (a stored role is given
   * through the room's members); false when it is not in the meeting.
   */
  public boolean promote(String code, Caller host, String participant) {
    Room room = hosted(code, host);
    String name = liveKitRoom(room);
    if (!live.present(name, participant)) {
      return false;
    }
    coHosts.computeIfAbsent(room.id(), k -> ConcurrentHashMap.newKeySet()).add(participant);
    boolean done =
        live.assign(
            name,
            participant,
            Role.ADMINISTRATOR,
            true,
            ParticipantTokens.permission(true, Set.of()));
    LOG.debug("room={} participant={} promoted by {}", name, participant, host.participantId());
    return done;
  }

  /**
   * A host takes a co-host's rights away; CONFLICT for someone whose host role is stored (that is
   * changed through the room's members), false when it is not in the meeting.
   */
  public boolean demote(String code, Caller host, String participant) {
    Room room = hosted(code, host);
    String name = liveKitRoom(room);
    Optional<Role> now = live.role(name, participant);
    if (now.isEmpty()) {
      return false;
    }
    Set<String> named = coHosts.getOrDefault(room.id(), Set.of());
    if (!named.remove(participant)) {
      if (now.get().isHost()) {
        throw new MeetingException(
            "CONFLICT", "this participant's role is the room's; change it in the room's members");
      }
      return true;
    }
    LOG.debug("room={} participant={} demoted by {}", name, participant, host.participantId());
    return live.assign(
        name,
        participant,
        Role.MEMBER,
        false,
        ParticipantTokens.permission(false, room.settings().canPublish()));
  }

  /**
   * The room behind {@code code} if {@code caller} may mute others in it: a host, or anyone in the
   * meeting when the room lets everyone mute (FORBIDDEN otherwise).
   */
  public Room mayMute(String code, Caller caller) {
    Room room = find(code);
    if (isHost(room, caller)) {
      return room;
    }
    if (room.settings().everyoneCanMute()
        && live.present(liveKitRoom(room), caller.participantId())) {
      return room;
    }
    throw new MeetingException("FORBIDDEN", "only the meeting's hosts may mute others here");
  }

  /** Whether {@code caller} hosts {@code room}: a stored host role, or a co-host of the meeting. */
  public boolean isHost(Room room, Caller caller) {
    return roleOf(room, caller).map(Role::isHost).orElse(false);
  }

  /** The LiveKit room of a meeting: its id, stable whatever its code or name. */
  public static String liveKitRoom(Room room) {
    return room.id().toString();
  }

  private static String lobbyKey(Room room) {
    return room.id().toString();
  }

  /**
   * {@code caller}'s role on {@code room}: the stored one, raised to administrator for a co-host of
   * the meeting in progress.
   */
  public Optional<Role> roleOf(Room room, Caller caller) {
    Optional<Role> stored = caller.userId().flatMap(u -> roles.roleOf(room.id(), u));
    if (stored.map(Role::isHost).orElse(false)) {
      return stored;
    }
    if (coHosts.getOrDefault(room.id(), Set.of()).contains(caller.participantId())) {
      return Optional.of(Role.ADMINISTRATOR);
    }
    return stored;
  }

  private void requireHost(Room room, Caller caller) {
    if (!isHost(room, caller)) {
      throw new MeetingException("FORBIDDEN", "only the meeting's hosts may do this");
    }
  }

  private static UUID signedIn(Caller caller) {
    return caller
        .userId()
        .orElseThrow(() -> new MeetingException("FORBIDDEN", "sign in to create a meeting"));
  }

  private String mint(Room room, Caller caller, Optional<Role> role) {
    Role r = role.orElse(Role.MEMBER);
    return tokens.mint(
        new ParticipantTokens.Admission(
            liveKitRoom(room),
            caller.participantId(),
            caller.displayName(),
            r.wire(),
            r.isHost(),
            caller.authenticated(),
            room.settings().canPublish()));
  }
}
