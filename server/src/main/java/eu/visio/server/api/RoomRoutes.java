package eu.visio.server.api;

import eu.visio.meet.Meetings;
import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.Session;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomKind;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rooms: create one, list mine, describe one. */
final class RoomRoutes {
  record CreateRoomRequest(String name, String accessLevel, String kind) {}

  private final Api api;
  private final Meetings meetings;
  private final ClientRateLimit roomLimit = new ClientRateLimit(Clock.systemUTC(), 10, 20, 100_000);

  RoomRoutes(Api api, Meetings meetings) {
    this.api = api;
    this.meetings = meetings;
  }

  List<Route> routes() {
    return List.of(
        new Route("post", "/api/v1/rooms", this::create),
        new Route("get", "/api/v1/rooms", this::mine),
        new Route("get", "/api/v1/rooms/{code}", this::room));
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

  private void room(Context ctx) {
    api.write(ctx, describe(meetings.find(ctx.pathParam("code"))));
  }

  static Map<String, Object> describe(Room room) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", room.code().value());
    m.put("name", room.name());
    m.put("kind", room.kind().wire());
    m.put("access_level", room.accessLevel().wire());
    return m;
  }
}
