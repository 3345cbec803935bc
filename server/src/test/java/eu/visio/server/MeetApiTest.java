package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenVerifier;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The meeting API over HTTP: sessions, CSRF, creating a trusted meeting, a guest knocking and being
 * admitted, and the LiveKit token the guest gets only then (it is accepted by /rtc's verifier). A
 * browser is one HttpClient with its own cookie jar.
 */
@org.junit.jupiter.api.TestInstance(org.junit.jupiter.api.TestInstance.Lifecycle.PER_CLASS)
class MeetApiTest {
  static VisioServer server;
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  void start() throws Exception {
    server = VisioServer.start(config().withDatabase(database()));
  }

  /** The server's database: in memory here, PostgreSQL in {@link MeetApiPostgresTest}. */
  eu.visio.meet.store.DatabaseConfig database() throws Exception {
    return ServerConfig.inMemoryDatabase();
  }

  /** A server on loopback with development sign-in, its database in memory. */
  static ServerConfig config() {
    return TestServers.meetingConfig();
  }

  @AfterAll
  void stop() throws Exception {
    server.close();
  }

  /**
   * One browser: its session cookie, sent back as browsers do (RFC 6265: {@code name=value}), and
   * the CSRF token of its session.
   */
  static final class Browser {
    final HttpClient http = HttpClient.newHttpClient();
    String cookie = "";
    String csrf = "";

    HttpResponse<String> send(String method, String path, String body, boolean withCsrf)
        throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
              .header("Content-Type", "application/json")
              .method(
                  method,
                  body == null
                      ? HttpRequest.BodyPublishers.noBody()
                      : HttpRequest.BodyPublishers.ofString(body));
      if (withCsrf) {
        b.header("X-CSRF-Token", csrf);
      }
      if (!cookie.isEmpty()) {
        b.header("Cookie", cookie);
      }
      HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
      r.headers().firstValue("Set-Cookie").ifPresent(this::remember);
      return r;
    }

    /** Keeps {@code name=value} of a Set-Cookie; an emptied value deletes it. */
    private void remember(String setCookie) {
      String pair = setCookie.substring(0, setCookie.indexOf(';'));
      cookie = pair.endsWith("=") ? "" : pair;
    }

    JsonNode ok(String method, String path, String body, int status) throws Exception {
      HttpResponse<String> r = send(method, path, body, true);
      assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
      return r.body().isEmpty() ? null : JSON.readTree(r.body());
    }

    void signIn(String path, String body) throws Exception {
      HttpResponse<String> r = send("POST", path, body, false);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(r.headers().firstValue("Set-Cookie").orElse(""))
          .contains("HttpOnly")
          .contains("SameSite=Lax");
      csrf = JSON.readTree(r.body()).get("csrf_token").asText();
    }
  }

  static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("code").asText();
  }

  @Test
  void aGuestKnocksIsAdmittedAndGetsAToken() throws Exception {
    Browser host = new Browser();
    host.signIn("/api/v1/session/dev", "{\"email\":\"ana@example.org\",\"name\":\"Ana\"}");
    assertThat(host.ok("GET", "/api/v1/session", null, 200).get("authenticated").asBoolean())
        .isTrue();
    JsonNode room =
        host.ok("POST", "/api/v1/rooms", "{\"name\":\"Team\",\"access_level\":\"trusted\"}", 201);
    String code = room.get("code").asText();
    assertThat(code).matches("[a-z]{3}-[a-z]{4}-[a-z]{3}");

    Browser guest = new Browser();
    assertThat(error(guest.send("POST", "/api/v1/rooms/" + code + "/join", null, false)))
        .as("no session yet")
        .isEqualTo("UNAUTHENTICATED");
    guest.signIn("/api/v1/session/guest", "{\"name\":\"Guest\"}");
    assertThat(error(guest.send("POST", "/api/v1/rooms/" + code + "/join", null, false)))
        .as("a write without the CSRF token")
        .isEqualTo("CSRF");
    assertThat(
            guest.ok("POST", "/api/v1/rooms/" + code + "/join", null, 202).get("status").asText())
        .isEqualTo("waiting");
    assertThat(error(guest.send("GET", "/api/v1/rooms/" + code + "/lobby", null, true)))
        .as("a guest cannot see the lobby")
        .isEqualTo("FORBIDDEN");
    assertThat(
            error(guest.send("POST", "/api/v1/rooms/" + code + "/lobby", "{\"admit\":true}", true)))
        .as("nor admit itself")
        .isEqualTo("FORBIDDEN");

    JsonNode waiting = host.ok("GET", "/api/v1/rooms/" + code + "/lobby", null, 200);
    assertThat(waiting).hasSize(1);
    assertThat(waiting.get(0).get("name").asText()).isEqualTo("Guest");
    assertThat(waiting.get(0).get("authenticated").asBoolean()).isFalse();
    String participant = waiting.get(0).get("participant").asText();
    host.ok("POST", "/api/v1/rooms/" + code + "/lobby/" + participant, "{\"admit\":true}", 204);

    JsonNode in = guest.ok("POST", "/api/v1/rooms/" + code + "/join", null, 200);
    assertThat(in.get("status").asText()).isEqualTo("enter");
    AccessClaims claims =
        new TokenVerifier(ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)))
            .verify(in.get("token").asText());
    assertThat(claims.identity()).isEqualTo(participant);
    assertThat(claims.video().room()).isEqualTo(in.get("room").asText());
    assertThat(claims.video().roomAdmin()).isFalse();

    JsonNode hostIn = host.ok("POST", "/api/v1/rooms/" + code + "/join", null, 200);
    assertThat(hostIn.get("role").asText()).isEqualTo("owner");
    JsonNode mine = host.ok("GET", "/api/v1/rooms", null, 200);
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).get("code").asText()).isEqualTo(code);
    assertThat(error(guest.send("GET", "/api/v1/rooms", null, false))).isEqualTo("FORBIDDEN");
  }

  @Test
  void badInputGetsClearErrors() throws Exception {
    Browser b = new Browser();
    b.signIn("/api/v1/session/dev", "{\"email\":\"bob@example.org\"}");
    HttpResponse<String> unknown =
        b.send("POST", "/api/v1/rooms", "{\"name\":\"x\",\"colour\":\"red\"}", true);
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(unknown.body()).get("message").asText()).contains("colour");
    assertThat(b.send("POST", "/api/v1/rooms", "[", true).statusCode()).isEqualTo(400);
    assertThat(
            error(
                b.send(
                    "POST", "/api/v1/rooms", "{\"name\":\"x\",\"access_level\":\"open\"}", true)))
        .isEqualTo("INVALID");
    assertThat(error(b.send("GET", "/api/v1/rooms/not-a-code", null, false))).isEqualTo("INVALID");
    assertThat(b.send("GET", "/api/v1/rooms/abc-defg-hij", null, false).statusCode())
        .isEqualTo(404);
    Browser guest = new Browser();
    guest.signIn("/api/v1/session/guest", "{\"name\":\"G\"}");
    assertThat(error(guest.send("POST", "/api/v1/rooms", "{\"name\":\"mine\"}", true)))
        .as("guests do not create meetings")
        .isEqualTo("FORBIDDEN");
    b.ok("POST", "/api/v1/session/logout", null, 204);
    assertThat(b.send("GET", "/api/v1/session", null, false).statusCode()).isEqualTo(401);
  }

  @Test
  void developmentSignInIsOffUnlessConfigured() throws Exception {
    try (VisioServer plain = TestServers.withKeys()) {
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:" + plain.httpPort() + "/api/v1/session/dev"))
                      .POST(HttpRequest.BodyPublishers.ofString("{\"email\":\"x@example.org\"}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(404);
    }
  }

  /**
   * Moderation over the API, seen by the participants over LiveKit signalling: a raised hand in the
   * queue, a guest refused host actions, hands lowered, a removal, the end of the meeting.
   */
  @Test
  void hostsModerateThroughTheApi() throws Exception {
    Browser host = new Browser();
    host.signIn("/api/v1/session/dev", "{\"email\":\"host@example.org\",\"name\":\"Host\"}");
    String code =
        host.ok("POST", "/api/v1/rooms", "{\"name\":\"Open\",\"access_level\":\"public\"}", 201)
            .get("code")
            .asText();
    Browser guest = new Browser();
    guest.signIn("/api/v1/session/guest", "{\"name\":\"Gus\"}");
    JsonNode guestIn = guest.ok("POST", "/api/v1/rooms/" + code + "/join", null, 200);
    JsonNode hostIn = host.ok("POST", "/api/v1/rooms/" + code + "/join", null, 200);
    RtcSignalTest.Client gus =
        RtcSignalTest.connect(server.httpPort(), guestIn.get("token").asText());
    RtcSignalTest.Client ana =
        RtcSignalTest.connect(server.httpPort(), hostIn.get("token").asText());
    ModerationTest.await(gus, r -> r.hasJoin());
    ModerationTest.await(ana, r -> r.hasJoin());

    guest.ok("POST", "/api/v1/rooms/" + code + "/hand", "{\"raised\":true}", 204);
    JsonNode hands = host.ok("GET", "/api/v1/rooms/" + code + "/hands", null, 200);
    assertThat(hands).hasSize(1);
    assertThat(hands.get(0).get("name").asText()).isEqualTo("Gus");
    assertThat(
            error(
                guest.send(
                    "POST", "/api/v1/rooms/" + code + "/moderation", "{\"action\":\"end\"}", true)))
        .isEqualTo("FORBIDDEN");
    assertThat(
            host.ok(
                    "POST",
                    "/api/v1/rooms/" + code + "/moderation",
                    "{\"action\":\"lower_all_hands\"}",
                    200)
                .get("lowered")
                .asInt())
        .isEqualTo(1);
    assertThat(host.ok("GET", "/api/v1/rooms/" + code + "/hands", null, 200)).isEmpty();
    assertThat(
            error(
                host.send(
                    "POST",
                    "/api/v1/rooms/" + code + "/moderation",
                    "{\"action\":\"explode\"}",
                    true)))
        .isEqualTo("INVALID");

    String gusId = claimsIdentity(guestIn);
    host.ok(
        "POST",
        "/api/v1/rooms/" + code + "/moderation",
        "{\"action\":\"remove\",\"participant\":\"" + gusId + "\"}",
        200);
    ModerationTest.await(gus, r -> r.hasLeave());
    host.ok("POST", "/api/v1/rooms/" + code + "/moderation", "{\"action\":\"end\"}", 200);
    ModerationTest.await(ana, r -> r.hasLeave());
  }

  @Test
  void hostsChangeTheRoomItsMembersAndTheMeetingInProgress() throws Exception {
    Browser owner = new Browser();
    owner.signIn("/api/v1/session/dev", "{\"email\":\"owner@example.org\",\"name\":\"Olga\"}");
    Browser colleague = new Browser();
    colleague.signIn("/api/v1/session/dev", "{\"email\":\"pat@example.org\",\"name\":\"Pat\"}");
    Browser guest = new Browser();
    guest.signIn("/api/v1/session/guest", "{\"name\":\"Gil\"}");
    String room =
        "/api/v1/rooms/"
            + owner.ok("POST", "/api/v1/rooms", "{\"name\":\"Ops\"}", 201).get("code").asText();

    JsonNode changed =
        owner.ok(
            "PATCH",
            room,
            "{\"access_level\":\"public\",\"can_publish_sources\":[\"microphone\"],"
                + "\"max_participants\":3,\"everyone_can_mute\":false}",
            200);
    assertThat(changed.get("access_level").asText()).isEqualTo("public");
    assertThat(changed.get("can_publish_sources").toString()).isEqualTo("[\"microphone\"]");
    assertThat(changed.get("max_participants").asInt()).isEqualTo(3);
    assertThat(owner.ok("GET", room, null, 200).get("role").asText()).isEqualTo("owner");
    assertThat(guest.ok("GET", room, null, 200).has("role")).isFalse();
    assertThat(error(guest.send("PATCH", room, "{\"locked\":true}", true))).isEqualTo("FORBIDDEN");
    assertThat(error(owner.send("PATCH", room, "{\"max_participants\":1}", true)))
        .isEqualTo("INVALID");
    assertThat(error(owner.send("PATCH", room, "{\"colour\":\"red\"}", true))).isEqualTo("INVALID");
    assertThat(error(owner.send("PATCH", room, "{\"can_publish_sources\":[\"smell\"]}", true)))
        .isEqualTo("INVALID");

    // Members: given by address to someone who signed in once.
    JsonNode pat =
        owner.ok(
            "POST",
            room + "/members",
            "{\"email\":\"pat@example.org\",\"role\":\"administrator\"}",
            200);
    assertThat(pat.get("role").asText()).isEqualTo("administrator");
    assertThat(owner.ok("GET", room + "/members", null, 200)).hasSize(2);
    assertThat(
            error(
                colleague.send(
                    "POST",
                    room + "/members",
                    "{\"email\":\"owner@example.org\",\"role\":\"member\"}",
                    true)))
        .as("an administrator does not touch an owner")
        .isEqualTo("FORBIDDEN");
    assertThat(
            error(owner.send("POST", room + "/members", "{\"email\":\"who@example.org\"}", true)))
        .isEqualTo("NOT_FOUND");
    assertThat(error(guest.send("GET", room + "/members", null, false))).isEqualTo("FORBIDDEN");
    assertThat(
            error(
                owner.send(
                    "POST", room + "/members", "{\"email\":\"" + "a".repeat(255) + "\"}", true)))
        .isEqualTo("INVALID");
    assertThat(
            error(
                owner.send(
                    "POST",
                    room + "/moderation",
                    "{\"action\":\"mute\",\"participant\":\"a\\nb\"}",
                    true)))
        .isEqualTo("INVALID");
    assertThat(error(owner.send("DELETE", room + "/members/not-a-uuid", null, true)))
        .isEqualTo("INVALID");

    // The meeting: the cap holds, a guest becomes co-host for this meeting, the room locks.
    JsonNode ownerIn = owner.ok("POST", room + "/join", null, 200);
    JsonNode guestIn = guest.ok("POST", room + "/join", null, 200);
    RtcSignalTest.Client olga =
        RtcSignalTest.connect(server.httpPort(), ownerIn.get("token").asText());
    RtcSignalTest.Client gil =
        RtcSignalTest.connect(server.httpPort(), guestIn.get("token").asText());
    ModerationTest.await(olga, r -> r.hasJoin());
    ModerationTest.await(gil, r -> r.hasJoin());
    String gilId = claimsIdentity(guestIn);
    assertThat(
            error(
                guest.send(
                    "POST",
                    room + "/moderation",
                    "{\"action\":\"mute\",\"participant\":\"x\"}",
                    true)))
        .as("everyone_can_mute is off")
        .isEqualTo("FORBIDDEN");
    owner.ok(
        "POST",
        room + "/moderation",
        "{\"action\":\"promote\",\"participant\":\"" + gilId + "\"}",
        200);
    ModerationTest.await(
        olga,
        ModerationTest.update(
            gilId,
            i ->
                "administrator".equals(i.getAttributesMap().get("room_role"))
                    && i.getPermission().getCanPublishSourcesCount() == 4));
    assertThat(guest.ok("GET", room + "/lobby", null, 200))
        .as("a co-host sees the lobby")
        .isEmpty();
    assertThat(
            guest
                .ok("POST", room + "/moderation", "{\"action\":\"lock\"}", 200)
                .get("locked")
                .asBoolean())
        .isTrue();
    Browser late = new Browser();
    late.signIn("/api/v1/session/guest", "{\"name\":\"Late\"}");
    assertThat(late.ok("POST", room + "/join", null, 202).get("status").asText())
        .as("public, but locked: the lobby")
        .isEqualTo("waiting");
    guest.ok("POST", room + "/lobby", "{\"admit\":true}", 200);
    Browser fourth = new Browser();
    fourth.signIn("/api/v1/session/guest", "{\"name\":\"Fourth\"}");
    RtcSignalTest.Client lateClient =
        RtcSignalTest.connect(
            server.httpPort(), late.ok("POST", room + "/join", null, 200).get("token").asText());
    ModerationTest.await(lateClient, r -> r.hasJoin());
    owner.ok("PATCH", room, "{\"locked\":false}", 200);
    HttpResponse<String> full = fourth.send("POST", room + "/join", null, true);
    assertThat(full.statusCode()).as(full.body()).isEqualTo(503);
    assertThat(error(full)).isEqualTo("FULL");

    owner.ok(
        "POST",
        room + "/moderation",
        "{\"action\":\"demote\",\"participant\":\"" + gilId + "\"}",
        200);
    assertThat(error(guest.send("GET", room + "/lobby", null, false))).isEqualTo("FORBIDDEN");
    assertThat(error(colleague.send("DELETE", room, null, true)))
        .as("administrators do not delete")
        .isEqualTo("FORBIDDEN");
    owner.ok("DELETE", room, null, 204);
    ModerationTest.await(gil, r -> r.hasLeave());
    assertThat(error(owner.send("GET", room, null, false))).isEqualTo("NOT_FOUND");
  }

  static String claimsIdentity(JsonNode join) throws Exception {
    return new TokenVerifier(ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)))
        .verify(join.get("token").asText())
        .identity();
  }

  /** New guest identities are rate-limited per address: 20 at once, then 429 with Retry-After. */
  @Test
  void guestSessionsAreRateLimited() throws Exception {
    try (VisioServer own = TestServers.withKeys()) {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest guest =
          HttpRequest.newBuilder(
                  URI.create("http://127.0.0.1:" + own.httpPort() + "/api/v1/session/guest"))
              .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"n\"}"))
              .build();
      for (int i = 0; i < 20; i++) {
        assertThat(http.send(guest, HttpResponse.BodyHandlers.ofString()).statusCode())
            .as("guest %d of the burst", i)
            .isEqualTo(201);
      }
      HttpResponse<String> refused = http.send(guest, HttpResponse.BodyHandlers.ofString());
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(error(refused)).isEqualTo("RATE_LIMITED");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    }
  }
}
