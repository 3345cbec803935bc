package eu.visio.server.api;

import eu.visio.meet.Meetings;
import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.Session;
import eu.visio.meet.lobby.Lobby;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Joining and the lobby: ask to join (a token, a place in the lobby, or a refusal), and for hosts,
 * who waits and the decisions.
 */
final class LobbyRoutes {
  record DecisionRequest(Boolean admit) {}

  private final Api api;
  private final Meetings meetings;
  // Joins (and so knocks) per participant.
  private final ClientRateLimit joinLimit = new ClientRateLimit(Clock.systemUTC(), 30, 60, 100_000);

  LobbyRoutes(Api api, Meetings meetings) {
    this.api = api;
    this.meetings = meetings;
  }

  List<Route> routes() {
    return List.of(
        new Route("post", "/api/v1/rooms/{code}/join", this::join),
        new Route("get", "/api/v1/rooms/{code}/lobby", this::lobby),
        new Route("post", "/api/v1/rooms/{code}/lobby", this::decideAll),
        new Route("post", "/api/v1/rooms/{code}/lobby/{participant}", this::decide));
  }

  private void join(Context ctx) {
    Session s = api.writer(ctx);
    Api.limit(ctx, joinLimit, s.principal().id());
    Meetings.Join j = meetings.join(ctx.pathParam("code"), api.caller(s));
    Map<String, Object> m = new LinkedHashMap<>();
    switch (j) {
      case Meetings.Join.Enter e -> {
        m.put("status", "enter");
        m.put("room", Meetings.liveKitRoom(e.room()));
        m.put("token", e.token());
        e.role().ifPresent(r -> m.put("role", r.wire()));
        ctx.status(200);
      }
      case Meetings.Join.Knock k -> {
        m.put("status", k.status() == Lobby.Status.WAITING ? "waiting" : "refused");
        ctx.status(202);
      }
      case Meetings.Join.Refused r -> {
        m.put("status", "refused");
        ctx.status(403);
      }
    }
    api.write(ctx, m);
  }

  private void lobby(Context ctx) {
    Session s = api.required(ctx);
    api.write(
        ctx,
        meetings.waiting(ctx.pathParam("code"), api.caller(s)).stream()
            .map(LobbyRoutes::describe)
            .toList());
  }

  static Map<String, Object> describe(Lobby.Knock k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("participant", k.participant());
    m.put("name", k.name());
    m.put("authenticated", k.authenticated());
    m.put("knocked_at", k.knockedAt().toString());
    return m;
  }

  private boolean admit(Context ctx) {
    return Api.required(api.body(ctx, DecisionRequest.class).admit(), "admit");
  }

  private void decide(Context ctx) {
    Session s = api.writer(ctx);
    boolean admit = admit(ctx);
    if (!meetings.decide(
        ctx.pathParam("code"), api.caller(s), ctx.pathParam("participant"), admit)) {
      throw ApiError.notFound("nobody of that id is waiting");
    }
    ctx.status(204);
  }

  private void decideAll(Context ctx) {
    Session s = api.writer(ctx);
    int n = meetings.decideAll(ctx.pathParam("code"), api.caller(s), admit(ctx));
    api.write(ctx, Map.of("decided", n));
  }
}
