package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.meet.store.DatabaseConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart signs nobody out: sessions live in the server's database, so a browser's cookie and
 * CSRF token work on the next server started on the same data directory, and the rooms are there.
 */
class SessionsRestartTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dataDir;

  private ServerConfig config() {
    return TestServers.meetingConfig().withDatabase(DatabaseConfig.embedded(dataDir));
  }

  /** A browser: the cookie it got (sent back by hand, as {@code name=value}) and its CSRF token. */
  private record Browser(String cookie, String csrf) {}

  private static HttpResponse<String> send(
      VisioServer server, String method, String path, String body, String cookie, String csrf)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (csrf != null) {
      b.header("X-CSRF-Token", csrf);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode())
        .as(r.request().method() + " " + r.uri() + ": " + r.body())
        .isEqualTo(status);
    return r.body().isEmpty() ? null : JSON.readTree(r.body());
  }

  private static Browser signIn(VisioServer server, String path, String body) throws Exception {
    HttpResponse<String> r = send(server, "POST", path, body, null, null);
    JsonNode session = ok(r, 201);
    String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
    return new Browser(
        setCookie.substring(0, setCookie.indexOf(';')), session.get("csrf_token").asText());
  }

  private static JsonNode session(VisioServer server, Browser b) throws Exception {
    return ok(send(server, "GET", "/api/v1/session", null, b.cookie(), null), 200);
  }

  @Test
  void sessionsAndRoomsOutliveARestartOnTheSameDataDirectory() throws Exception {
    Browser ana;
    Browser guest;
    String code;
    try (VisioServer first = VisioServer.start(config())) {
      ana =
          signIn(first, "/api/v1/session/dev", "{\"email\":\"ana@example.org\",\"name\":\"Ana\"}");
      guest = signIn(first, "/api/v1/session/guest", "{\"name\":\"Bob\"}");
      code =
          ok(
                  send(
                      first,
                      "POST",
                      "/api/v1/rooms",
                      "{\"name\":\"Standup\",\"access_level\":\"trusted\"}",
                      ana.cookie(),
                      ana.csrf()),
                  201)
              .get("code")
              .asText();
    }

    try (VisioServer second = VisioServer.start(config())) {
      assertThat(second.database().migrationsApplied()).as("the same database").isZero();

      JsonNode anaAgain = session(second, ana);
      assertThat(anaAgain.get("authenticated").asBoolean()).isTrue();
      assertThat(anaAgain.get("name").asText()).isEqualTo("Ana");
      assertThat(anaAgain.get("email").asText()).isEqualTo("ana@example.org");
      assertThat(anaAgain.get("csrf_token").asText()).isEqualTo(ana.csrf());
      JsonNode guestAgain = session(second, guest);
      assertThat(guestAgain.get("authenticated").asBoolean()).isFalse();
      assertThat(guestAgain.get("name").asText()).isEqualTo("Bob");
      assertThat(guestAgain.get("csrf_token").asText()).isEqualTo(guest.csrf());

      JsonNode mine = ok(send(second, "GET", "/api/v1/rooms", null, ana.cookie(), null), 200);
      assertThat(mine).hasSize(1);
      assertThat(mine.get(0).get("code").asText()).isEqualTo(code);
      assertThat(mine.get(0).get("name").asText()).isEqualTo("Standup");
      assertThat(
              ok(send(second, "GET", "/api/v1/rooms/" + code, null, ana.cookie(), null), 200)
                  .get("code")
                  .asText())
          .isEqualTo(code);

      // Writes: the CSRF token from before the restart is still the session's, and still checked.
      HttpResponse<String> forged =
          send(second, "POST", "/api/v1/rooms/" + code + "/join", null, guest.cookie(), ana.csrf());
      assertThat(forged.statusCode()).as(forged.body()).isEqualTo(403);
      assertThat(
              ok(
                      send(
                          second,
                          "POST",
                          "/api/v1/rooms/" + code + "/join",
                          null,
                          guest.cookie(),
                          guest.csrf()),
                      202)
                  .get("status")
                  .asText())
          .as("a guest knocks on a trusted room")
          .isEqualTo("waiting");
      ok(
          send(
              second,
              "POST",
              "/api/v1/rooms",
              "{\"name\":\"Retro\",\"access_level\":\"public\"}",
              ana.cookie(),
              ana.csrf()),
          201);
      assertThat(ok(send(second, "GET", "/api/v1/rooms", null, ana.cookie(), null), 200))
          .hasSize(2);

      ok(send(second, "POST", "/api/v1/session/logout", null, ana.cookie(), ana.csrf()), 204);
    }

    try (VisioServer third = VisioServer.start(config())) {
      assertThat(send(third, "GET", "/api/v1/session", null, ana.cookie(), null).statusCode())
          .as("a logout is kept too")
          .isEqualTo(401);
      assertThat(session(third, guest).get("name").asText()).isEqualTo("Bob");
    }
  }

  @Test
  void aDatabaseThatFailsIsA503NotASignOut() throws Exception {
    try (VisioServer server = VisioServer.start(config())) {
      Browser ana =
          signIn(server, "/api/v1/session/dev", "{\"email\":\"ana@example.org\",\"name\":\"Ana\"}");
      server.database().close();
      HttpResponse<String> r = send(server, "GET", "/api/v1/session", null, ana.cookie(), null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(503);
      assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("UNAVAILABLE");
      assertThat(r.headers().firstValue("Set-Cookie")).as("the cookie is kept").isEmpty();
    }
  }
}
