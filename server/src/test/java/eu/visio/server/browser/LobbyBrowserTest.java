package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The lobby end to end: a host and a guest with their own sessions on the meeting API; the guest's
 * page knocks at a trusted meeting and follows the lobby's server-sent events, the host admits it,
 * the page learns it within a second and gets its token, and the token works on /rtc: both meet in
 * Chromium with livekit-client and receive each other's camera.
 */
@Tag("browser")
class LobbyBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One person's API session: cookie and CSRF token. */
  private static final class Session {
    final HttpClient http = HttpClient.newHttpClient();
    final String base;
    String cookie = "";
    String csrf = "";

    Session(int port) {
      base = "http://127.0.0.1:" + port;
    }

    HttpResponse<String> post(String path, String body) throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create(base + path))
              .header("Content-Type", "application/json")
              .header("X-CSRF-Token", csrf)
              .POST(HttpRequest.BodyPublishers.ofString(body == null ? "" : body));
      if (!cookie.isEmpty()) {
        b.header("Cookie", cookie);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      r.headers()
          .firstValue("Set-Cookie")
          .ifPresent(
              c -> {
                cookie = c.substring(0, c.indexOf(';'));
                csrf = json(r).get("csrf_token").asText();
              });
      return r;
    }

    JsonNode get(String path) throws Exception {
      return JSON.readTree(
          http.send(
                  HttpRequest.newBuilder(URI.create(base + path)).header("Cookie", cookie).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body());
    }

    static JsonNode json(HttpResponse<String> r) {
      try {
        return JSON.readTree(r.body());
      } catch (java.io.IOException e) {
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void aGuestAdmittedFromTheLobbyMeetsTheHost() throws Exception {
    try (VisioServer server = VisioServer.start(TestServers.meetingConfig())) {
      Session host = new Session(server.httpPort());
      assertThat(
              host.post("/api/v1/session/dev", "{\"email\":\"host@example.org\",\"name\":\"Host\"}")
                  .statusCode())
          .isEqualTo(201);
      String code =
          Session.json(
                  host.post("/api/v1/rooms", "{\"name\":\"Weekly\",\"access_level\":\"trusted\"}"))
              .get("code")
              .asText();
      // The guest's page knocks, then waits on the lobby's events (EventSource, no polling).
      String guestToken;
      String participant;
      try (Chromium guestLobby = new Chromium()) {
        guestLobby.open("http://127.0.0.1:" + server.httpPort() + "/e2e/livekit.html");
        guestLobby.await(
            "return document.body.dataset.ready === 'true';",
            Boolean.TRUE::equals,
            Duration.ofSeconds(10));
        guestLobby.run("return window.visio.knock('" + code + "', 'Guest');");
        JsonNode waiting =
            JSON.valueToTree(
                guestLobby.await(
                    "return window.visio.lobbyState();",
                    s -> Boolean.TRUE.equals(((Map<?, ?>) s).get("listening")),
                    WAIT));
        assertThat(waiting.get("status").asText()).isEqualTo("waiting");
        assertThat(waiting.get("error").asText()).isEmpty();
        JsonNode lobby = host.get("/api/v1/rooms/" + code + "/lobby");
        assertThat(lobby).hasSize(1);
        participant = lobby.get(0).get("participant").asText();
        long decided = System.currentTimeMillis();
        assertThat(
                host.post("/api/v1/rooms/" + code + "/lobby/" + participant, "{\"admit\":true}")
                    .statusCode())
            .isEqualTo(204);
        JsonNode admitted =
            JSON.valueToTree(
                guestLobby.await(
                    "return window.visio.lobbyState();",
                    s -> !"".equals(((Map<?, ?>) s).get("token")),
                    WAIT));
        assertThat(admitted.get("status").asText()).isEqualTo("admitted");
        assertThat(admitted.get("decidedAt").asLong() - decided)
            .as("ms from the host's decision to the guest's page learning it")
            .isLessThan(1000);
        assertThat(admitted.get("joins").asInt())
            .as("POST /join twice: the knock and the token, no polling between")
            .isEqualTo(2);
        guestToken = admitted.get("token").asText();
      }
      String hostToken =
          Session.json(host.post("/api/v1/rooms/" + code + "/join", null)).get("token").asText();

      try (LiveKitPage hostPage = new LiveKitPage(server.httpPort(), "host");
          LiveKitPage guestPage = new LiveKitPage(server.httpPort(), participant)) {
        hostPage.connect(server.httpPort(), hostToken, "{camera: true, microphone: false}");
        guestPage.connect(server.httpPort(), guestToken, "{camera: true, microphone: false}");
        String hostIdentity =
            new eu.visio.signal.token.TokenVerifier(
                    ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)))
                .verify(hostToken)
                .identity();
        // Frames decoded both ways: the guest's token really works on /rtc.
        hostPage.awaitState(s -> stat(s, participant, "video", "framesDecoded") > 10, WAIT);
        guestPage.awaitState(s -> stat(s, hostIdentity, "video", "framesDecoded") > 10, WAIT);
      }
    }
  }
}
