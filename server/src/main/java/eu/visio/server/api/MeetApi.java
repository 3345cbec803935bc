package eu.visio.server.api;

import eu.visio.meet.Meetings;
import eu.visio.meet.Memberships;
import eu.visio.meet.identity.DevIdentity;
import eu.visio.meet.identity.OidcConfig;
import eu.visio.meet.identity.Sessions;
import eu.visio.meet.invite.Mailer;
import eu.visio.meet.moderation.Moderation;
import eu.visio.meet.store.Users;
import eu.visio.signal.token.TokenIssuer;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The meeting service's REST API under {@code /api/v1}, with the sign-in redirects under {@code
 * /auth}: sessions, rooms, joining and the lobby, moderation, invitations, the connection test.
 * Authentication is the session cookie; every write made with it needs the session's CSRF token in
 * {@value Api#CSRF_HEADER}. Bodies are JSON, unknown fields refused; errors are {@code {"code":
 * ..., "message": ...}} with a stable code. The routes live in one class per resource; this gathers
 * them.
 */
public final class MeetApi {
  public static final String CSRF_HEADER = Api.CSRF_HEADER;

  private final Api api;
  private final List<Route> routes;

  public MeetApi(
      Meetings meetings,
      Memberships members,
      Users users,
      Sessions sessions,
      Optional<DevIdentity> dev,
      Moderation moderation,
      Optional<OidcConfig> oidc,
      Optional<URI> publicUrl,
      Optional<Mailer> mailer,
      TokenIssuer connectionTestTokens) {
    this(
        meetings,
        members,
        users,
        sessions,
        dev,
        moderation,
        oidc,
        publicUrl,
        mailer,
        connectionTestTokens,
        (identity, ttl) -> List.of());
  }

  /** As above; {@code relays} hands the connection test its ICE servers and credentials. */
  public MeetApi(
      Meetings meetings,
      Memberships members,
      Users users,
      Sessions sessions,
      Optional<DevIdentity> dev,
      Moderation moderation,
      Optional<OidcConfig> oidc,
      Optional<URI> publicUrl,
      Optional<Mailer> mailer,
      TokenIssuer connectionTestTokens,
      IceServerIssuer relays) {
    this.api = new Api(sessions, users);
    List<Route> all = new ArrayList<>();
    all.addAll(new SessionRoutes(api, dev, oidc, publicUrl).routes());
    all.addAll(new RoomRoutes(api, meetings, members).routes());
    all.addAll(new LobbyRoutes(api, meetings).routes());
    all.addAll(new LobbyEvents(api, meetings).routes());
    all.addAll(new ModerationRoutes(api, meetings, moderation).routes());
    all.addAll(new InvitationRoutes(api, meetings, mailer, publicUrl, Clock.systemUTC()).routes());
    all.addAll(
        new ConnectionTestRoutes(api, connectionTestTokens, relays, Clock.systemUTC()).routes());
    this.routes = List.copyOf(all);
  }

  /** Every route as "method path", for the test that holds them to the OpenAPI document. */
  public List<String> routeNames() {
    return routes.stream().map(r -> r.method() + " " + r.path()).toList();
  }

  public void register(RoutesConfig config) {
    config.get("/api/v1/openapi.json", MeetApi::openApi);
    for (Route r : routes) {
      io.javalin.http.Handler h = c -> api.handle(c, r.handler());
      switch (r.method()) {
        case "get" -> config.get(r.path(), h);
        case "post" -> config.post(r.path(), h);
        case "put" -> config.put(r.path(), h);
        case "patch" -> config.patch(r.path(), h);
        case "delete" -> config.delete(r.path(), h);
        default -> throw new IllegalStateException("no such method: " + r.method());
      }
    }
  }

  /** The API's OpenAPI 3 document, kept beside the routes (a test holds them to each other). */
  private static void openApi(Context ctx) throws java.io.IOException {
    try (var in = MeetApi.class.getResourceAsStream("/api/openapi.json")) {
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }
}
