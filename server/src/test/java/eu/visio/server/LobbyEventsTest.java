package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.server.api.ApiBrowser;
import eu.visio.server.api.EventStream;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The lobby pushed over server-sent events by the whole server: a guest's page learns the host's
 * decision within a second without polling, hosts see knocks come and go, and nobody else may
 * listen.
 */
class LobbyEventsTest {
  static VisioServer server;
  static int port;

  @BeforeAll
  static void start() {
    server = VisioServer.start(TestServers.meetingConfig());
    port = server.httpPort();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String join(String code) {
    return "/api/v1/rooms/" + code + "/join";
  }

  @Test
  void aWaitingGuestLearnsItsAdmissionWithinASecond() throws Exception {
    ApiBrowser host = ApiBrowser.user(port, "ana@example.org");
    String code = host.trustedRoom();
    try (EventStream hostEvents = host.events(code)) {
      assertThat(hostEvents.next("knock")).as("the state at once: nobody waits").isEmpty();

      ApiBrowser guest = ApiBrowser.guest(port, "Gus");
      assertThat(guest.ok("POST", join(code), null, 202).get("status").asText())
          .isEqualTo("waiting");
      JsonNode waiting = hostEvents.next("knock");
      assertThat(waiting).hasSize(1);
      assertThat(waiting.get(0).get("name").asText()).isEqualTo("Gus");
      assertThat(waiting.get(0).get("authenticated").asBoolean()).isFalse();
      assertThat(waiting)
          .as("the same JSON as GET /lobby")
          .isEqualTo(host.ok("GET", "/api/v1/rooms/" + code + "/lobby", null, 200));
      String participant = waiting.get(0).get("participant").asText();

      try (EventStream guestEvents = guest.events(code)) {
        assertThat(guestEvents.next("lobby").get("status").asText()).isEqualTo("waiting");
        long decided = System.nanoTime();
        host.ok("POST", "/api/v1/rooms/" + code + "/lobby/" + participant, "{\"admit\":true}", 204);
        EventStream.Event admitted = guestEvents.next(Duration.ofSeconds(5));
        assertThat(admitted.name()).isEqualTo("lobby");
        assertThat(admitted.data())
            .as("a status, never the token")
            .isEqualTo("{\"status\":\"admitted\"}");
        assertThat(Duration.ofNanos(admitted.at() - decided))
            .as("from the host's decision to the guest's event")
            .isLessThan(Duration.ofSeconds(1));
        assertThat(hostEvents.next("knock")).as("nobody waits any more").isEmpty();
      }
      // The page then asks for its token, as it would have after polling.
      JsonNode in = guest.ok("POST", join(code), null, 200);
      assertThat(in.get("status").asText()).isEqualTo("enter");
      assertThat(in.get("token").asText()).isNotEmpty();
    }
  }

  @Test
  void aDeniedGuestIsToldAndHostsSeeEachKnockDecided() throws Exception {
    ApiBrowser host = ApiBrowser.user(port, "bea@example.org");
    String code = host.trustedRoom();
    ApiBrowser first = ApiBrowser.guest(port, "First");
    ApiBrowser second = ApiBrowser.guest(port, "Second");
    first.ok("POST", join(code), null, 202);
    try (EventStream hostEvents = host.events(code);
        EventStream firstEvents = first.events(code)) {
      assertThat(hostEvents.next("knock")).as("knocked before the host listened").hasSize(1);
      assertThat(firstEvents.next("lobby").get("status").asText()).isEqualTo("waiting");
      second.ok("POST", join(code), null, 202);
      JsonNode both = hostEvents.next("knock");
      assertThat(both).extracting(k -> k.get("name").asText()).containsExactly("First", "Second");

      host.ok(
          "POST",
          "/api/v1/rooms/" + code + "/lobby/" + both.get(0).get("participant").asText(),
          "{\"admit\":false}",
          204);
      assertThat(firstEvents.next("lobby").get("status").asText()).isEqualTo("denied");
      assertThat(hostEvents.next("knock"))
          .extracting(k -> k.get("name").asText())
          .containsExactly("Second");
      assertThat(first.ok("POST", join(code), null, 403).get("status").asText())
          .as("knocking again changes nothing while the denial holds")
          .isEqualTo("refused");

      try (EventStream secondEvents = second.events(code)) {
        assertThat(secondEvents.next("lobby").get("status").asText()).isEqualTo("waiting");
        host.ok("POST", "/api/v1/rooms/" + code + "/lobby", "{\"admit\":true}", 200);
        assertThat(secondEvents.next("lobby").get("status").asText()).isEqualTo("admitted");
      }
      assertThat(hostEvents.next("knock")).isEmpty();
      assertThat(firstEvents.quiet()).as("another's decision is not first's event").isTrue();
    }
  }

  @Test
  void onlyHostsAndThoseAtTheDoorMayListen() throws Exception {
    ApiBrowser host = ApiBrowser.user(port, "cy@example.org");
    String code = host.trustedRoom();
    String path = "/api/v1/rooms/" + code + "/events";
    assertThat(refusal(EventStream.request(port, path, ""))).isEqualTo("401 UNAUTHENTICATED");
    ApiBrowser stranger = ApiBrowser.guest(port, "Stranger");
    assertThat(refusal(EventStream.request(port, path, stranger.cookie())))
        .as("a guest who has not knocked")
        .isEqualTo("403 FORBIDDEN");
    ApiBrowser member = ApiBrowser.user(port, "dee@example.org");
    member.ok("POST", join(code), null, 200);
    assertThat(refusal(EventStream.request(port, path, member.cookie())))
        .as("a signed-in participant who entered: no host, never at the door")
        .isEqualTo("403 FORBIDDEN");
    assertThat(
            refusal(EventStream.request(port, "/api/v1/rooms/abc-defg-hij/events", host.cookie())))
        .isEqualTo("404 NOT_FOUND");
  }

  static String refusal(HttpResponse<Stream<String>> r) throws Exception {
    String body = String.join("\n", r.body().toList());
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/json");
    return r.statusCode() + " " + new ObjectMapper().readTree(body).get("code").asText();
  }
}
