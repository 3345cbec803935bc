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
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The meeting service's rules in one place, below any HTTP: creating rooms, joining one (enter at
 * once, knock, or be refused), the lobby as hosts and guests see it, and the LiveKit token at the
 * end. The REST layer authenticates the caller and maps outcomes and {@link MeetingException} codes
 * to responses; it never mints a token itself.
 *
 * <p>The one invariant: a token is minted only for a caller {@link EntryPolicy} lets in, which for
 * anyone without a role on a non-public room means the lobby admitted them. No path around it
 * exists here, so none exists in the API.
 */
public final class Meetings {
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

  /** A refusal with a stable code for API clients: NOT_FOUND, FORBIDDEN, INVALID, FULL. */
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

  public Meetings(Rooms rooms, RoomRoles roles, Lobby lobby, ParticipantTokens tokens) {
    this.rooms = rooms;
    this.roles = roles;
    this.lobby = lobby;
    this.tokens = tokens;
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
        EntryPolicy.decide(room.accessLevel(), false, caller.authenticated(), role, status);
    return switch (outcome) {
      case ENTER -> new Join.Enter(room, mint(room, caller, role), role);
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

  /** The LiveKit room of a meeting: its id, stable whatever its code or name. */
  public static String liveKitRoom(Room room) {
    return room.id().toString();
  }

  private static String lobbyKey(Room room) {
    return room.id().toString();
  }

  private Optional<Role> roleOf(Room room, Caller caller) {
    return caller.userId().flatMap(u -> roles.roleOf(room.id(), u));
  }

  private void requireHost(Room room, Caller caller) {
    if (!roleOf(room, caller).map(Role::isHost).orElse(false)) {
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
