package eu.visio.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import eu.visio.meet.Meetings;
import eu.visio.meet.access.ParticipantTokens;
import eu.visio.meet.identity.DevIdentity;
import eu.visio.meet.identity.SessionCookie;
import eu.visio.meet.identity.Sessions;
import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.store.Database;
import eu.visio.meet.store.DatabaseConfig;
import eu.visio.meet.store.RoomRoles;
import eu.visio.meet.store.Rooms;
import eu.visio.meet.store.Users;
import eu.visio.signal.token.TokenIssuer;
import io.javalin.Javalin;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The lobby's event streams under their bounds, on a server of the meeting routes alone with short
 * limits: two streams a session, three in all, a keep-alive every 200 ms, knocks lapsing after 2 s.
 * Refusals, keep-alives, cleanup when clients go, lapses pushed by the sweep, and a client that
 * stops reading holding up nobody.
 */
class LobbyEventsLimitsTest {
  static final Duration KNOCK = Duration.ofSeconds(2);

  Database db;
  Lobby lobby;
  Meetings meetings;
  LobbyEvents events;
  Javalin app;
  int port;
  ApiBrowser host;
  String code;

  @BeforeEach
  void start() throws Exception {
    db =
        Database.open(
            new DatabaseConfig(
                "jdbc:h2:mem:events-"
                    + UUID.randomUUID()
                    + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "meet",
                "",
                null,
                4));
    Clock clock = Clock.systemUTC();
    lobby =
        new Lobby(clock, new Lobby.Limits(KNOCK, Duration.ofHours(1), Duration.ofMinutes(10), 500));
    meetings =
        new Meetings(
            new Rooms(db.dataSource(), clock),
            new RoomRoles(db.dataSource(), clock),
            lobby,
            new ParticipantTokens(
                new TokenIssuer("key", "events-secret-events-secret-events-secret")),
            eu.visio.meet.LiveMeetings.NONE);
    Api api =
        new Api(
            new Sessions(
                new SessionCookie(false),
                Sessions.DEFAULT_LIFETIME,
                Sessions.DEFAULT_CAPACITY,
                clock),
            new Users(db.dataSource(), clock));
    events = new LobbyEvents(api, meetings, new LobbyEvents.Limits(Duration.ofMillis(200), 2, 3));
    List<Route> routes = new ArrayList<>();
    routes.addAll(
        new SessionRoutes(
                api, Optional.of(DevIdentity.enable()), Optional.empty(), Optional.empty())
            .routes());
    routes.addAll(
        new RoomRoutes(
                api,
                meetings,
                new eu.visio.meet.Memberships(
                    meetings,
                    new RoomRoles(db.dataSource(), clock),
                    new Users(db.dataSource(), clock)))
            .routes());
    routes.addAll(new LobbyRoutes(api, meetings).routes());
    routes.addAll(events.routes());
    app =
        Javalin.create(
                cfg -> {
                  cfg.startup.showJavalinBanner = false;
                  for (Route r : routes) {
                    io.javalin.http.Handler h = c -> api.handle(c, r.handler());
                    if (r.method().equals("get")) {
                      cfg.routes.get(r.path(), h);
                    } else if (r.method().equals("post")) {
                      cfg.routes.post(r.path(), h);
                    }
                  }
                })
            .start("127.0.0.1", 0);
    port = app.port();
    host = ApiBrowser.user(port, "host@example.org");
    code = host.trustedRoom();
  }

  @AfterEach
  void stop() {
    app.stop();
    db.close();
  }

  /** A guest at the door, admitted so that its place holds for the whole test. */
  ApiBrowser admittedGuest(String name) throws Exception {
    ApiBrowser g = ApiBrowser.guest(port, name);
    g.ok("POST", "/api/v1/rooms/" + code + "/join", null, 202);
    host.ok("POST", "/api/v1/rooms/" + code + "/lobby", "{\"admit\":true}", 200);
    return g;
  }

  static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 5 s: " + what);
      }
      Thread.sleep(10);
    }
  }

  static String refusal(HttpResponse<Stream<String>> r) throws Exception {
    String body = String.join("\n", r.body().toList());
    return r.statusCode()
        + " "
        + ApiBrowser.JSON.readTree(body).get("code").asText()
        + " retry after "
        + r.headers().firstValue("Retry-After").orElse("-");
  }

  @Test
  void streamsAreBoundedPerSessionAndInAllAndFreedWhenClientsGo() throws Exception {
    ApiBrowser a = admittedGuest("A");
    ApiBrowser b = admittedGuest("B");
    String path = "/api/v1/rooms/" + code + "/events";
    EventStream a1 = a.events(code);
    EventStream a2 = a.events(code);
    assertThat(refusal(EventStream.request(port, path, a.cookie())))
        .as("a third for one session")
        .isEqualTo("429 RATE_LIMITED retry after 1");
    EventStream b1 = b.events(code);
    assertThat(events.openStreams()).isEqualTo(3);
    assertThat(refusal(EventStream.request(port, path, b.cookie())))
        .as("B has room for another, the server has none")
        .isEqualTo("503 UNAVAILABLE retry after 1");
    for (EventStream s : List.of(a1, a2, b1)) {
      assertThat(s.next("lobby").get("status").asText()).isEqualTo("admitted");
    }

    a1.close();
    eventually("A's closed stream is noticed", () -> events.openStreams() == 2);
    try (EventStream again = a.events(code)) {
      assertThat(again.next("lobby").get("status").asText()).isEqualTo("admitted");
    }
    a2.close();
    b1.close();
    eventually("every stream released", () -> events.openStreams() == 0);
    eventually("and its lobby watch closed", () -> lobby.watchedRooms() == 0);
  }

  @Test
  void aQuietStreamGetsKeepAlivesAndNoRepeats() throws Exception {
    try (EventStream s = host.events(code)) {
      assertThat(s.next("knock")).isEmpty();
      eventually("three keep-alive comments", () -> s.comments() >= 3);
      assertThat(s.quiet()).as("keep-alives are comments, not events").isTrue();
    }
  }

  /** Nobody looks at the room: only the sweep notices the knock lapsing, and both sides hear it. */
  @Test
  void aLapsedKnockIsPushedToTheGuestAndTheHosts() throws Exception {
    ApiBrowser guest = ApiBrowser.guest(port, "Late");
    guest.ok("POST", "/api/v1/rooms/" + code + "/join", null, 202);
    long knocked = System.nanoTime();
    try (EventStream hostEvents = host.events(code);
        EventStream guestEvents = guest.events(code)) {
      assertThat(hostEvents.next("knock")).hasSize(1);
      assertThat(guestEvents.next("lobby").get("status").asText()).isEqualTo("waiting");
      EventStream.Event lapsed = guestEvents.next(Duration.ofSeconds(5));
      assertThat(lapsed.data()).isEqualTo("{\"status\":\"expired\"}");
      assertThat(Duration.ofNanos(lapsed.at() - knocked))
          .as("the knock's lifetime, then at most a sweep's period")
          .isGreaterThanOrEqualTo(KNOCK)
          .isLessThan(KNOCK.plusSeconds(2));
      assertThat(hostEvents.next("knock")).isEmpty();

      guest.ok("POST", "/api/v1/rooms/" + code + "/join", null, 202);
      assertThat(guestEvents.next("lobby").get("status").asText())
          .as("knocking again on the same stream")
          .isEqualTo("waiting");
    }
  }

  /**
   * A host's page that stops reading (a socket with a tiny receive window, never read) while 500
   * knocks arrive, each pushing the whole waiting list (some 20 MB in all, against socket buffers
   * of at most 4 MB): its writes block, yet every knock completes and the host's other stream sees
   * the full list; once it hangs up, its stream is released.
   */
  @Test
  void aClientThatStopsReadingHoldsUpNobody() throws Exception {
    Socket stalled = new Socket();
    stalled.setReceiveBufferSize(1024);
    stalled.connect(new InetSocketAddress("127.0.0.1", port));
    OutputStream out = stalled.getOutputStream();
    out.write(
        ("GET /api/v1/rooms/"
                + code
                + "/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\nCookie: "
                + host.cookie()
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    eventually("the stalled stream is open", () -> events.openStreams() == 1);

    try (EventStream reading = host.events(code)) {
      assertThat(reading.next("knock")).isEmpty();
      String name = "x".repeat(64);
      CompletableFuture<Void> knocks =
          CompletableFuture.runAsync(
              () -> {
                for (int i = 0; i < 500; i++) {
                  meetings.join(
                      code, new Meetings.Caller("guest-" + i, Optional.empty(), name, false));
                }
              });
      knocks.get(20, TimeUnit.SECONDS);
      JsonNode last = null;
      while (last == null || last.size() < 500) {
        last = reading.next("knock");
      }
      assertThat(last).hasSize(500);
    }
    stalled.close();
    eventually("the stalled stream is released", () -> events.openStreams() == 0);
  }
}
