package eu.visio.server.api;

import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.DevIdentity;
import eu.visio.meet.identity.Guest;
import eu.visio.meet.identity.Identity;
import eu.visio.meet.identity.OidcClient;
import eu.visio.meet.identity.OidcConfig;
import eu.visio.meet.identity.Principal;
import eu.visio.meet.identity.Session;
import eu.visio.meet.identity.SignInException;
import eu.visio.meet.identity.SignedIn;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who the browser is: OpenID Connect sign-in (authorization code with PKCE, state and nonce), a
 * guest's name, the development sign-in, the session's description (with its CSRF token), logout
 * (at the provider too: OpenID Connect RP-Initiated Logout 1.0).
 */
final class SessionRoutes {
  record GuestRequest(String name) {}

  record DevSignInRequest(String email, String name) {}

  private final Api api;
  private final Optional<DevIdentity> dev;
  private final Optional<OidcConfig> oidc;
  private final Optional<URI> publicUrl;
  private volatile OidcClient client;

  // New guest sessions by address: the cheap way to a new identity (and so a fresh rate limit).
  private final ClientRateLimit guestLimit =
      new ClientRateLimit(Clock.systemUTC(), 20, 30, 100_000);

  SessionRoutes(
      Api api, Optional<DevIdentity> dev, Optional<OidcConfig> oidc, Optional<URI> publicUrl) {
    this.api = api;
    this.dev = dev;
    this.oidc = oidc;
    this.publicUrl = publicUrl;
  }

  List<Route> routes() {
    return List.of(
        new Route("get", "/auth/login", this::login),
        new Route("get", "/auth/callback", this::callback),
        new Route("post", "/api/v1/session/guest", this::guest),
        new Route("post", "/api/v1/session/dev", this::devSignIn),
        new Route("get", "/api/v1/session", this::session),
        new Route("post", "/api/v1/session/logout", this::logout));
  }

  /**
   * The provider's client, discovered on first use (a provider that is down when the server starts
   * must not stop the meetings of people already signed in); 503 while it cannot be reached.
   */
  private OidcClient client() {
    OidcConfig config = oidc.orElseThrow(() -> ApiError.notFound("sign-in is not configured"));
    OidcClient c = client;
    if (c == null) {
      synchronized (this) {
        if (client == null) {
          try {
            client = OidcClient.discover(config);
          } catch (SignInException e) {
            throw new ApiError(503, e.failure().code(), "the sign-in provider is unavailable");
          }
        }
        c = client;
      }
    }
    return c;
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
  private void startSession(Context ctx, Principal principal) {
    api.current(ctx).ifPresent(old -> api.sessions().end(old.id()));
    Session s = api.sessions().start(principal);
    ctx.header("Set-Cookie", api.sessions().setCookie(s));
    api.write(ctx.status(201), describe(s));
  }

  /** Off to the provider: authorization code with PKCE, state and nonce kept here. */
  private void login(Context ctx) {
    String returnTo = ctx.queryParam("return_to");
    ctx.redirect(
        client().begin(returnTo == null ? "/" : returnTo).location().toString(), HttpStatus.FOUND);
  }

  /**
   * Back from the provider: the identity checked, the user recorded, a new session (the old one, a
   * guest's say, ended: no session fixation), then to where the sign-in started.
   */
  private void callback(Context ctx) {
    SignedIn signedIn;
    try {
      signedIn = client().complete(ctx.queryParamMap());
    } catch (SignInException e) {
      throw new ApiError(400, e.failure().code(), "sign-in failed");
    }
    Identity i = signedIn.identity();
    api.users().signIn(i.issuer(), i.subject(), i.email(), i.name());
    api.current(ctx).ifPresent(old -> api.sessions().end(old.id()));
    Session s = api.sessions().start(signedIn);
    ctx.header("Set-Cookie", api.sessions().setCookie(s));
    ctx.redirect(signedIn.returnTo(), HttpStatus.FOUND);
  }

  private void guest(Context ctx) {
    Api.limit(ctx, guestLimit, ctx.ip());
    GuestRequest r = api.body(ctx, GuestRequest.class);
    if (r.name() == null || r.name().isBlank()) {
      throw ApiError.invalid("name: required");
    }
    startSession(ctx, Guest.named(r.name()));
  }

  private void devSignIn(Context ctx) {
    DevIdentity d = dev.orElseThrow(() -> ApiError.notFound("development sign-in is off"));
    DevSignInRequest r = api.body(ctx, DevSignInRequest.class);
    if (r.email() == null || r.email().isBlank()) {
      throw ApiError.invalid("email: required");
    }
    Identity i = d.signIn(r.email(), r.name() == null ? r.email() : r.name());
    api.users().signIn(i.issuer(), i.subject(), i.email(), i.name());
    startSession(ctx, i);
  }

  private void session(Context ctx) {
    api.write(ctx, describe(api.required(ctx)));
  }

  /**
   * Ends the session here; for a session from the provider, also says where to send the browser so
   * the provider ends its own (200 with {@code logout_url}), else 204. Without that step the next
   * "sign in" would pass silently through the provider's still-open session as the same person.
   */
  private void logout(Context ctx) {
    Session s = api.writer(ctx);
    api.sessions().end(s.id());
    ctx.header("Set-Cookie", api.sessions().clearCookie());
    Optional<URI> atProvider = s.idToken().flatMap(this::providerLogout);
    if (atProvider.isPresent()) {
      api.write(ctx.status(200), Map.of("logout_url", atProvider.get().toString()));
    } else {
      ctx.status(204);
    }
  }

  /**
   * The provider's end-session request for this ID token, when it advertises an end_session
   * endpoint; a provider out of reach leaves the local logout done and says nothing.
   */
  private Optional<URI> providerLogout(String idToken) {
    if (oidc.isEmpty()) {
      return Optional.empty();
    }
    OidcClient c;
    try {
      c = client();
    } catch (ApiError unavailable) {
      return Optional.empty();
    }
    return c.logoutLocation(idToken, postLogoutRedirect());
  }

  /**
   * Where the provider sends the browser back to: the public URL's root (it must be registered at
   * the provider as a post-logout redirect URI), else the origin of the sign-in callback.
   */
  private URI postLogoutRedirect() {
    return publicUrl
        .map(u -> u.toString().endsWith("/") ? u : URI.create(u + "/"))
        .orElseGet(() -> oidc.orElseThrow().redirectUri().resolve("/"));
  }
}
