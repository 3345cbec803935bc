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
 * ended (no fixation), and a forged callback is refused.
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
                        Duration.ofSeconds(5))));
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
