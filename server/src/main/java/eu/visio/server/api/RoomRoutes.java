package eu.visio.server.api;

import eu.visio.meet.Meetings;
import eu.visio.meet.Memberships;
import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.Session;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.RoomSettings;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Rooms: create one, list mine, describe one, change or delete one (its hosts), and its members
 * (stored roles).
 */
final class RoomRoutes {
  record CreateRoomRequest(String name, String accessLevel, String kind) {}

  /** What a host changes; absent (or null) fields stay as they are. */
  record UpdateRoomRequest(
      String name,
      String accessLevel,
      List<String> canPublishSources,
      Boolean everyoneCanMute,
      Integer maxParticipants,
      Boolean locked) {}

  record MemberRequest(String email, String role) {}

  private final Api api;
  private final Meetings meetings;
  private final Memberships members;
  private final ClientRateLimit roomLimit = new ClientRateLimit(Clock.systemUTC(), 10, 20, 100_000);

  RoomRoutes(Api api, Meetings meetings, Memberships members) {
    this.api = api;
    this.meetings = meetings;
    this.members = members;
  }

  List<Route> routes() {
    return List.of(
        new Route("post", "/api/v1/rooms", this::create),
        new Route("get", "/api/v1/rooms", this::mine),
        new Route("get", "/api/v1/rooms/{code}", this::room),
        new Route("patch", "/api/v1/rooms/{code}", this::update),
        new Route("delete", "/api/v1/rooms/{code}", this::delete),
        new Route("get", "/api/v1/rooms/{code}/members", this::members),
        new Route("post", "/api/v1/rooms/{code}/members", this::grant),
        new Route("delete", "/api/v1/rooms/{code}/members/{user}", this::revoke));
  }

  private void create(Context ctx) {
    Session s = api.writer(ctx);
    Api.limit(ctx, roomLimit, s.principal().id());
    CreateRoomRequest r = api.body(ctx, CreateRoomRequest.class);
    Room room =
        meetings.create(
            api.caller(s),
            r.name() == null ? "" : r.name(),
            r.kind() == null ? RoomKind.PERMANENT : RoomKind.parse(r.kind()),
            r.accessLevel() == null ? AccessLevel.TRUSTED : AccessLevel.parse(r.accessLevel()));
    api.write(ctx.status(201), describe(room));
  }

  private void mine(Context ctx) {
    api.write(
        ctx,
        meetings.mine(api.caller(api.required(ctx))).stream().map(RoomRoutes::describe).toList());
  }

  /** A room as anyone with its code sees it, with the caller's role on it when it has one. */
  private void room(Context ctx) {
    Room room = meetings.find(ctx.pathParam("code"));
    Map<String, Object> m = describe(room);
    api.current(ctx)
        .flatMap(s -> meetings.roleOf(room, api.caller(s)))
        .ifPresent(r -> m.put("role", r.wire()));
    api.write(ctx, m);
  }

  private void update(Context ctx) {
    Session s = api.writer(ctx);
    UpdateRoomRequest r = api.body(ctx, UpdateRoomRequest.class);
    Meetings.Changes changes =
        new Meetings.Changes(
            Optional.ofNullable(r.name()),
            Optional.ofNullable(r.accessLevel()).map(AccessLevel::parse),
            Optional.ofNullable(r.canPublishSources()).map(RoomSettings::parseSources),
            Optional.ofNullable(r.everyoneCanMute()),
            Optional.ofNullable(r.maxParticipants()),
            Optional.ofNullable(r.locked()));
    api.write(ctx, describe(meetings.update(ctx.pathParam("code"), api.caller(s), changes)));
  }

  private void delete(Context ctx) {
    Session s = api.writer(ctx);
    meetings.delete(ctx.pathParam("code"), api.caller(s));
    ctx.status(204);
  }

  private void members(Context ctx) {
    Session s = api.required(ctx);
    api.write(
        ctx,
        members.list(ctx.pathParam("code"), api.caller(s)).stream()
            .map(RoomRoutes::describe)
            .toList());
  }

  private void grant(Context ctx) {
    Session s = api.writer(ctx);
    MemberRequest r = api.body(ctx, MemberRequest.class);
    if (r.email() == null || r.email().isBlank()) {
      throw ApiError.invalid("email: required");
    }
    if (r.email().length() > eu.visio.meet.room.User.MAX_EMAIL
        || r.email().chars().anyMatch(Character::isISOControl)) {
      throw ApiError.invalid("email: not an address");
    }
    Role role = Role.parse(r.role() == null ? "member" : r.role());
    api.write(ctx, describe(members.grant(ctx.pathParam("code"), api.caller(s), r.email(), role)));
  }

  private void revoke(Context ctx) {
    Session s = api.writer(ctx);
    UUID user;
    try {
      user = UUID.fromString(ctx.pathParam("user"));
    } catch (IllegalArgumentException e) {
      throw ApiError.invalid("user: not a user id");
    }
    members.revoke(ctx.pathParam("code"), api.caller(s), user);
    ctx.status(204);
  }

  static Map<String, Object> describe(Room room) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", room.code().value());
    m.put("name", room.name());
    m.put("kind", room.kind().wire());
    m.put("access_level", room.accessLevel().wire());
    m.put("can_publish_sources", room.settings().wireSources());
    m.put("everyone_can_mute", room.settings().everyoneCanMute());
    m.put("max_participants", room.settings().maxParticipants());
    m.put("locked", room.locked());
    return m;
  }

  static Map<String, Object> describe(Memberships.Member member) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("user", member.user().toString());
    m.put("email", member.email());
    m.put("name", member.name());
    m.put("role", member.role().wire());
    m.put("granted_at", member.grantedAt().toString());
    return m;
  }
}
