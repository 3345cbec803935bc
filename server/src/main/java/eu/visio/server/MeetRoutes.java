package eu.visio.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.meet.Meetings;
import eu.visio.meet.identity.DevIdentity;
import eu.visio.meet.identity.Guest;
import eu.visio.meet.identity.Identity;
import eu.visio.meet.identity.Session;
import eu.visio.meet.identity.Sessions;
import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.ValidationException;
import eu.visio.meet.store.StoreException;
import eu.visio.meet.store.Users;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The meeting service's REST API under {@code /api/v1}: sessions (guest, development sign-in),
 * rooms, joining and the lobby. Authentication is the session cookie; every write made with it
 * needs the session's CSRF token in {@value #CSRF_HEADER}. Bodies are JSON, unknown fields refused;
 * errors are {@code {"code": ..., "message": ...}} with a stable code.
 */
final class MeetRoutes {
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MeetRoutes.class);

  /** A refusal on its way to the client. */
  private static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  record GuestRequest(String name) {}

  record DevSignInRequest(String email, String name) {}

  record CreateRoomRequest(String name, String accessLevel, String kind) {}

  record DecisionRequest(Boolean admit) {}

  record HandRequest(Boolean raised) {}

  /**
   * A host's action: {@code mute}, {@code remove} or {@code lower_hand} a participant, or {@code
   * mute_all}, {@code lower_all_hands}, {@code end} for everyone.
   */
  record ModerationRequest(String action, String participant) {}

  private final ObjectMapper json =
      new ObjectMapper()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .setPropertyNamingStrategy(
              com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE);
  private final Meetings meetings;
  private final Users users;
  private final Sessions sessions;
  private final Optional<DevIdentity> dev;
  private final eu.visio.meet.moderation.Moderation moderation;
  private final Optional<eu.visio.meet.identity.OidcConfig> oidc;
  private volatile eu.visio.meet.identity.OidcClient client;

  // Per client: new guest sessions by address (the cheap way to a new identity), rooms created and
  // joins (knocks) by participant.
  private final eu.visio.meet.abuse.ClientRateLimit guestLimit =
      new eu.visio.meet.abuse.ClientRateLimit(java.time.Clock.systemUTC(), 20, 30, 100_000);
  private final eu.visio.meet.abuse.ClientRateLimit roomLimit =
      new eu.visio.meet.abuse.ClientRateLimit(java.time.Clock.systemUTC(), 10, 20, 100_000);
  private final eu.visio.meet.abuse.ClientRateLimit joinLimit =
      new eu.visio.meet.abuse.ClientRateLimit(java.time.Clock.systemUTC(), 30, 60, 100_000);

  MeetRoutes(
      Meetings meetings,
      Users users,
      Sessions sessions,
      Optional<DevIdentity> dev,
      eu.visio.meet.moderation.Moderation moderation,
      Optional<eu.visio.meet.identity.OidcConfig> oidc) {
    this.moderation = moderation;
    this.meetings = meetings;
    this.users = users;
    this.sessions = sessions;
    this.dev = dev;
    this.oidc = oidc;
  }

  /**
   * The provider's client, discovered on first use (a provider that is down when the server starts
   * must not stop the meetings of people already signed in); 503 while it cannot be reached.
   */
  private eu.visio.meet.identity.OidcClient client() {
    eu.visio.meet.identity.OidcConfig config =
        oidc.orElseThrow(() -> new ApiError(404, "NOT_FOUND", "sign-in is not configured"));
    eu.visio.meet.identity.OidcClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          try {
            client = eu.visio.meet.identity.OidcClient.discover(config);
          } catch (eu.visio.meet.identity.SignInException e) {
            throw new ApiError(503, e.failure().code(), "the sign-in provider is unavailable");
          }
        }
        c = client;
      }
    }
    return c;
  }

  /** One route of the API: method, path (Javalin's {@code {param}} syntax), handler. */
  record Route(String method, String path, Handler handler) {}

  /** Every route, for registration and for the test that holds them to the OpenAPI document. */
  List<Route> routes() {
    return List.of(
        new Route("get", "/auth/login", this::login),
        new Route("get", "/auth/callback", this::callback),
        new Route("post", "/api/v1/session/guest", this::guest),
        new Route("post", "/api/v1/session/dev", this::devSignIn),
        new Route("get", "/api/v1/session", this::session),
        new Route("post", "/api/v1/session/logout", this::logout),
        new Route("post", "/api/v1/rooms", this::createRoom),
        new Route("get", "/api/v1/rooms", this::myRooms),
        new Route("get", "/api/v1/rooms/{code}", this::room),
        new Route("post", "/api/v1/rooms/{code}/join", this::join),
        new Route("get", "/api/v1/rooms/{code}/lobby", this::lobby),
        new Route("post", "/api/v1/rooms/{code}/lobby", this::decideAll),
        new Route("post", "/api/v1/rooms/{code}/lobby/{participant}", this::decide),
        new Route("post", "/api/v1/rooms/{code}/hand", this::hand),
        new Route("get", "/api/v1/rooms/{code}/hands", this::hands),
        new Route("post", "/api/v1/rooms/{code}/moderation", this::moderate));
  }

  void register(RoutesConfig routes) {
    routes.get("/api/v1/openapi.json", this::openApi);
    for (Route r : routes()) {
      if (r.method().equals("get")) {
        routes.get(r.path(), c -> handle(c, r.handler()));
      } else {
        routes.post(r.path(), c -> handle(c, r.handler()));
      }
    }
  }

  /** The API's OpenAPI 3 document, kept beside the routes (a test holds them to each other). */
  private void openApi(Context ctx) throws java.io.IOException {
    try (var in = MeetRoutes.class.getResourceAsStream("/api/openapi.json")) {
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  interface Handler {
    void handle(Context ctx) throws Exception;
  }

  private void handle(Context ctx, Handler h) {
    try {
      h.handle(ctx);
    } catch (ApiError e) {
      error(ctx, e.status, e.code, e.getMessage());
    } catch (Meetings.MeetingException e) {
      int status =
          switch (e.code()) {
            case "NOT_FOUND" -> 404;
            case "FORBIDDEN" -> 403;
            case "FULL" -> 503;
            default -> 400;
          };
      error(ctx, status, e.code(), e.getMessage());
    } catch (ValidationException e) {
      error(ctx, 400, "INVALID", e.getMessage());
    } catch (StoreException e) {
      int status =
          switch (e.code()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case UNAVAILABLE -> 503;
          };
      error(ctx, status, e.code().name(), e.getMessage());
    } catch (Exception e) {
      LOG.warn("{} {} failed", ctx.method(), ctx.path(), e);
      error(ctx, 500, "INTERNAL", "internal error");
    }
  }

  private void error(Context ctx, int status, String code, String message) {
    Map<String, String> body = new LinkedHashMap<>();
    body.put("code", code);
    body.put("message", message == null ? "" : message);
    write(ctx.status(status), body);
  }

  private void write(Context ctx, Object body) {
    try {
      ctx.contentType("application/json").result(json.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private <T> T body(Context ctx, Class<T> type) {
    try {
      T t = json.readValue(ctx.bodyAsBytes(), type);
      if (t == null) {
        throw new ApiError(400, "INVALID", "a JSON object is expected");
      }
      return t;
    } catch (java.io.IOException e) {
      String reason =
          e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u
              ? "unknown field '" + u.getPropertyName() + "'"
              : "not the JSON this endpoint takes";
      throw new ApiError(400, "INVALID", reason);
    }
  }

  private Optional<Session> current(Context ctx) {
    return sessions.fromCookieHeader(ctx.header("Cookie"));
  }

  private Session required(Context ctx) {
    return current(ctx).orElseThrow(() -> new ApiError(401, "UNAUTHENTICATED", "no session"));
  }

  /** A cookie-authenticated write: the session's CSRF token must come with it. */
  private Session write(Context ctx) {
    Session s = required(ctx);
    if (!sessions.csrfOk(s, ctx.header(CSRF_HEADER))) {
      throw new ApiError(403, "CSRF", "missing or wrong " + CSRF_HEADER);
    }
    return s;
  }

  private Meetings.Caller caller(Session s) {
    return switch (s.principal()) {
      case Identity i ->
          new Meetings.Caller(
              i.id(),
              users.findByIdentity(i.issuer(), i.subject()).map(u -> u.id()),
              i.displayName(),
              true);
      case Guest g -> new Meetings.Caller(g.id(), Optional.empty(), g.displayName(), false);
    };
  }

  private Map<String, Object> describe(Session s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("authenticated", s.principal().authenticated());
    m.put("name", s.principal().displayName());
    if (s.principal() instanceof Identity i) {
      m.put("email", i.email());
    }
    m.put("csrf_token", s.csrfToken());
    return m;
  }

  /** Starts a new session (ending the one the request carried: no session fixation). */
  private void startSession(Context ctx, eu.visio.meet.identity.Principal principal) {
    current(ctx).ifPresent(old -> sessions.end(old.id()));
    Session s = sessions.start(principal);
    ctx.header("Set-Cookie", sessions.setCookie(s));
    write(ctx.status(201), describe(s));
  }

  /** Off to the provider: authorization code with PKCE, state and nonce kept here. */
  private void login(Context ctx) {
    String returnTo = ctx.queryParam("return_to");
    ctx.redirect(
        client().begin(returnTo == null ? "/" : returnTo).location().toString(),
        io.javalin.http.HttpStatus.FOUND);
  }

  /**
   * Back from the provider: the identity checked, the user recorded, a new session (the old one, a
   * guest's say, ended: no session fixation), then to where the sign-in started.
   */
  private void callback(Context ctx) {
    eu.visio.meet.identity.SignedIn signedIn;
    try {
      signedIn = client().complete(ctx.queryParamMap());
    } catch (eu.visio.meet.identity.SignInException e) {
      throw new ApiError(400, e.failure().code(), "sign-in failed");
    }
    Identity i = signedIn.identity();
    users.signIn(i.issuer(), i.subject(), i.email(), i.name());
    current(ctx).ifPresent(old -> sessions.end(old.id()));
    Session s = sessions.start(signedIn);
    ctx.header("Set-Cookie", sessions.setCookie(s));
    ctx.redirect(signedIn.returnTo(), io.javalin.http.HttpStatus.FOUND);
  }

  /** 429 with Retry-After when {@code client} is over {@code limit}. */
  private static void limit(Context ctx, eu.visio.meet.abuse.ClientRateLimit limit, String client) {
    if (!limit.allow(client)) {
      ctx.header("Retry-After", Long.toString(Math.max(1, limit.retryAfterSeconds(client))));
      throw new ApiError(429, "RATE_LIMITED", "too many requests; retry later");
    }
  }

  private void guest(Context ctx) {
    limit(ctx, guestLimit, ctx.ip());
    GuestRequest r = body(ctx, GuestRequest.class);
    if (r.name() == null || r.name().isBlank()) {
      throw new ApiError(400, "INVALID", "name: required");
    }
    startSession(ctx, Guest.named(r.name()));
  }

  private void devSignIn(Context ctx) {
    DevIdentity d =
        dev.orElseThrow(() -> new ApiError(404, "NOT_FOUND", "development sign-in is off"));
    DevSignInRequest r = body(ctx, DevSignInRequest.class);
    if (r.email() == null || r.email().isBlank()) {
      throw new ApiError(400, "INVALID", "email: required");
    }
    Identity i = d.signIn(r.email(), r.name() == null ? r.email() : r.name());
    users.signIn(i.issuer(), i.subject(), i.email(), i.name());
    startSession(ctx, i);
  }

  private void session(Context ctx) {
    write(ctx, describe(required(ctx)));
  }

  private void logout(Context ctx) {
    Session s = write(ctx);
    sessions.end(s.id());
    ctx.header("Set-Cookie", sessions.clearCookie()).status(204);
  }

  private void createRoom(Context ctx) {
    Session s = write(ctx);
    limit(ctx, roomLimit, s.principal().id());
    CreateRoomRequest r = body(ctx, CreateRoomRequest.class);
    Room room =
        meetings.create(
            caller(s),
            r.name() == null ? "" : r.name(),
            r.kind() == null ? RoomKind.PERMANENT : RoomKind.parse(r.kind()),
            r.accessLevel() == null ? AccessLevel.TRUSTED : AccessLevel.parse(r.accessLevel()));
    write(ctx.status(201), room(room));
  }

  private void myRooms(Context ctx) {
    write(ctx, meetings.mine(caller(required(ctx))).stream().map(MeetRoutes::room).toList());
  }

  private void room(Context ctx) {
    write(ctx, room(meetings.find(ctx.pathParam("code"))));
  }

  private static Map<String, Object> room(Room room) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("code", room.code().value());
    m.put("name", room.name());
    m.put("kind", room.kind().wire());
    m.put("access_level", room.accessLevel().wire());
    return m;
  }

  private void join(Context ctx) {
    Session s = write(ctx);
    limit(ctx, joinLimit, s.principal().id());
    Meetings.Join j = meetings.join(ctx.pathParam("code"), caller(s));
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
    write(ctx, m);
  }

  private void lobby(Context ctx) {
    Session s = required(ctx);
    List<Map<String, Object>> list =
        meetings.waiting(ctx.pathParam("code"), caller(s)).stream()
            .map(
                k -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("participant", k.participant());
                  m.put("name", k.name());
                  m.put("authenticated", k.authenticated());
                  m.put("knocked_at", k.knockedAt().toString());
                  return m;
                })
            .toList();
    write(ctx, list);
  }

  private boolean admit(Context ctx) {
    DecisionRequest r = body(ctx, DecisionRequest.class);
    if (r.admit() == null) {
      throw new ApiError(400, "INVALID", "admit: true or false");
    }
    return r.admit();
  }

  private void decide(Context ctx) {
    Session s = write(ctx);
    boolean admit = admit(ctx);
    if (!meetings.decide(ctx.pathParam("code"), caller(s), ctx.pathParam("participant"), admit)) {
      throw new ApiError(404, "NOT_FOUND", "nobody of that id is waiting");
    }
    ctx.status(204);
  }

  /** The caller raises or lowers its own hand (participants cannot set their own attributes). */
  private void hand(Context ctx) {
    Session s = write(ctx);
    HandRequest r = body(ctx, HandRequest.class);
    if (r.raised() == null) {
      throw new ApiError(400, "INVALID", "raised: true or false");
    }
    String room = Meetings.liveKitRoom(meetings.find(ctx.pathParam("code")));
    String me = caller(s).participantId();
    boolean done =
        r.raised()
            ? moderation.raiseHand(room, me, java.time.Instant.now())
            : moderation.lowerHand(room, me);
    if (!done) {
      throw new ApiError(409, "NOT_IN_MEETING", "join the meeting first");
    }
    ctx.status(204);
  }

  /** Raised hands, first raised first (what hosts see as the queue). */
  private void hands(Context ctx) {
    required(ctx);
    String room = Meetings.liveKitRoom(meetings.find(ctx.pathParam("code")));
    write(
        ctx,
        moderation.raisedHands(room).stream()
            .map(
                p ->
                    Map.of(
                        "participant", p.getIdentity(),
                        "name", p.getName(),
                        "raised_at",
                            p.getAttributesOrThrow(
                                eu.visio.meet.moderation.Moderation.HAND_RAISED_AT)))
            .toList());
  }

  private void moderate(Context ctx) {
    Session s = write(ctx);
    ModerationRequest r = body(ctx, ModerationRequest.class);
    Meetings.Caller host = caller(s);
    String room = Meetings.liveKitRoom(meetings.hosted(ctx.pathParam("code"), host));
    String action = r.action() == null ? "" : r.action();
    Map<String, Object> result = new LinkedHashMap<>();
    switch (action) {
      case "mute", "remove", "lower_hand" -> {
        if (r.participant() == null || r.participant().isBlank()) {
          throw new ApiError(400, "INVALID", "participant: required for " + action);
        }
        boolean done =
            switch (action) {
              case "mute" -> moderation.muteMicrophone(room, r.participant());
              case "remove" -> moderation.remove(room, r.participant());
              default -> moderation.lowerHand(room, r.participant());
            };
        if (!done) {
          throw new ApiError(404, "NOT_FOUND", "no such participant in the meeting");
        }
      }
      case "mute_all" -> result.put("muted", moderation.muteEveryone(room, host.participantId()));
      case "lower_all_hands" -> result.put("lowered", moderation.lowerAllHands(room));
      case "end" -> result.put("ended", moderation.endMeeting(room));
      default ->
          throw new ApiError(
              400, "INVALID", "action: mute, remove, lower_hand, mute_all, lower_all_hands or end");
    }
    write(ctx, result);
  }

  private void decideAll(Context ctx) {
    Session s = write(ctx);
    int n = meetings.decideAll(ctx.pathParam("code"), caller(s), admit(ctx));
    write(ctx, Map.of("decided", n));
  }
}
