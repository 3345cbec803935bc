package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.meet.identity.OidcConfig;
import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Signing in over HTTP with a real OpenID Connect provider (mock-oauth2-server) in the test: from a
 * guest's page to the provider and back, ending with a signed-in session; the guest's session is
 * ended (no fixation), and a forged callback is refused. Logging out ends the session here and
 * sends the browser to the provider to end its session too (RP-Initiated Logout), and back.
 */
class OidcSignInHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  MockOAuth2Server provider;
  VisioServer server;
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @BeforeEach
  void start() throws Exception {
    provider = new MockOAuth2Server();
    provider.start();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // the callback URL must name the server's port before it starts
    }
    server =
        VisioServer.start(
            new ServerConfig(
                    "127.0.0.1",
                    port,
                    0,
                    List.of(InetAddress.getLoopbackAddress()),
                    true,
                    Optional.empty(),
                    1,
                    ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)),
                    List.of(),
                    ServerConfig.Webhook.none())
                .withOidc(
                    new OidcConfig(
                        provider.issuerUrl("proconnect").uri(),
                        "visio",
                        "client-secret",
                        URI.create("http://127.0.0.1:" + port + "/auth/callback"),
                        List.of("openid", "email", "profile"),
                        Map.of(),
                        Duration.ofSeconds(5)))
                // Another name than the callback's: the post-logout redirect must come from here.
                .withPublicUrl(URI.create("http://localhost:" + port)));
  }

  @AfterEach
  void stop() {
    server.close();
    provider.shutdown();
  }

  HttpResponse<String> get(String url, String cookie) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  String base() {
    return "http://127.0.0.1:" + server.httpPort();
  }

  static String cookie(HttpResponse<String> r) {
    String c = r.headers().firstValue("Set-Cookie").orElseThrow();
    return c.substring(0, c.indexOf(';'));
  }

  /** Signs in at the provider as agent-42 from a fresh browser; the session cookie. */
  String signIn() throws Exception {
    provider.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            "proconnect",
            "agent-42",
            "JWT",
            List.of("visio"),
            Map.of("email", "agent@ministere.gouv.fr", "name", "Agent Dupont"),
            3600));
    HttpResponse<String> login = get(base() + "/auth/login", null);
    HttpResponse<String> atProvider =
        get(login.headers().firstValue("Location").orElseThrow(), null);
    HttpResponse<String> callback =
        get(atProvider.headers().firstValue("Location").orElseThrow(), null);
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    return cookie(callback);
  }

  HttpResponse<String> logout(String cookie) throws Exception {
    String csrf =
        JSON.readTree(get(base() + "/api/v1/session", cookie).body()).get("csrf_token").asText();
    return http.send(
        HttpRequest.newBuilder(URI.create(base() + "/api/v1/session/logout"))
            .header("Cookie", cookie)
            .header("X-CSRF-Token", csrf)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The decoded query parameters of {@code uri}, each taken once. */
  static Map<String, String> query(URI uri) {
    Map<String, String> q = new java.util.LinkedHashMap<>();
    com.nimbusds.oauth2.sdk.util.URLUtils.parseParameters(uri.getRawQuery())
        .forEach((name, values) -> q.put(name, values.getFirst()));
    return q;
  }

  @Test
  void loggingOutEndsTheSessionHereAndAtTheProvider() throws Exception {
    String signedIn = signIn();
    HttpResponse<String> out = logout(signedIn);
    assertThat(out.statusCode()).as(out.body()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .as("the cookie is cleared")
        .contains("Max-Age=0");
    URI logoutUrl = URI.create(JSON.readTree(out.body()).get("logout_url").asText());
    URI endSession = provider.endSessionEndpointUrl("proconnect").uri();
    assertThat(logoutUrl.getScheme() + "://" + logoutUrl.getAuthority() + logoutUrl.getPath())
        .isEqualTo(endSession.toString());
    Map<String, String> q = query(logoutUrl);
    String publicRoot = "http://localhost:" + server.httpPort() + "/";
    assertThat(q).containsEntry("post_logout_redirect_uri", publicRoot);
    com.nimbusds.jwt.JWTClaimsSet hint =
        com.nimbusds.jwt.SignedJWT.parse(q.get("id_token_hint")).getJWTClaimsSet();
    assertThat(hint.getSubject()).isEqualTo("agent-42");
    assertThat(hint.getAudience()).containsExactly("visio");
    assertThat(hint.getIssuer()).isEqualTo(provider.issuerUrl("proconnect").toString());

    assertThat(get(base() + "/api/v1/session", signedIn).statusCode())
        .as("the session is gone here")
        .isEqualTo(401);
    HttpResponse<String> atProvider = get(logoutUrl.toString(), null);
    assertThat(atProvider.statusCode()).as(atProvider.body()).isEqualTo(302);
    assertThat(atProvider.headers().firstValue("Location").orElseThrow())
        .as("the provider sends the browser back")
        .startsWith(publicRoot);
  }

  @Test
  void aGuestsLogoutHasNothingToDoAtTheProvider() throws Exception {
    HttpResponse<String> guest =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/session/guest"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Visitor\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String guestCookie = cookie(guest);
    HttpResponse<String> out = logout(guestCookie);
    assertThat(out.statusCode()).isEqualTo(204);
    assertThat(out.body()).isEmpty();
    assertThat(get(base() + "/api/v1/session", guestCookie).statusCode()).isEqualTo(401);
  }

  @Test
  void aGuestSignsInAndComesBackSignedIn() throws Exception {
    HttpResponse<String> guest =
        http.send(
            HttpRequest.newBuilder(URI.create(base() + "/api/v1/session/guest"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Visitor\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String guestCookie = cookie(guest);

    provider.enqueueCallback(
        new DefaultOAuth2TokenCallback(
            "proconnect",
            "agent-42",
            "JWT",
            List.of("visio"),
            Map.of("email", "agent@ministere.gouv.fr", "name", "Agent Dupont"),
            3600));
    HttpResponse<String> login = get(base() + "/auth/login?return_to=/abc-defg-hij", guestCookie);
    assertThat(login.statusCode()).isEqualTo(302);
    URI authorize = URI.create(login.headers().firstValue("Location").orElseThrow());
    assertThat(authorize.toString())
        .startsWith(provider.issuerUrl("proconnect").toString())
        .contains("code_challenge_method=S256")
        .contains("nonce=");
    HttpResponse<String> atProvider = get(authorize.toString(), null);
    assertThat(atProvider.statusCode()).isEqualTo(302);
    String back = atProvider.headers().firstValue("Location").orElseThrow();
    assertThat(back).startsWith(base() + "/auth/callback?");

    HttpResponse<String> callback = get(back, guestCookie);
    assertThat(callback.statusCode()).as(callback.body()).isEqualTo(302);
    assertThat(callback.headers().firstValue("Location")).contains("/abc-defg-hij");
    String signedIn = cookie(callback);
    JsonNode session = JSON.readTree(get(base() + "/api/v1/session", signedIn).body());
    assertThat(session.get("authenticated").asBoolean()).isTrue();
    assertThat(session.get("email").asText()).isEqualTo("agent@ministere.gouv.fr");
    assertThat(session.get("name").asText()).isEqualTo("Agent Dupont");
    assertThat(get(base() + "/api/v1/session", guestCookie).statusCode())
        .as("the guest session it replaced is gone")
        .isEqualTo(401);

    HttpResponse<String> replay = get(back, null);
    assertThat(replay.statusCode()).as("a callback is good once").isEqualTo(400);
    assertThat(JSON.readTree(replay.body()).get("code").asText()).isEqualTo("state_unknown");
  }

  @Test
  void withoutAProviderSignInIsNotFound() throws Exception {
    try (VisioServer plain = TestServers.withKeys()) {
      assertThat(get("http://127.0.0.1:" + plain.httpPort() + "/auth/login", null).statusCode())
          .isEqualTo(404);
    }
  }
}
