package eu.visio.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Draining a single server ({@link Drain}): the admin API's authorisation, then what a drain does
 * to readiness, to the participants it hosts (told to join again, gone from the room at once) and
 * to new joins (refused with a try-again close).
 */
class DrainTest {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);
  private final HttpClient http = HttpClient.newHttpClient();

  /** Admin: roomAdmin and roomList for no particular room. */
  static String adminToken() {
    return ISSUER.issue("ops", null, null, Map.of(), admin(true, true, ""), Duration.ofMinutes(1));
  }

  private static VideoGrant admin(boolean roomAdmin, boolean roomList, String room) {
    return new VideoGrant(
        false, roomList, false, roomAdmin, false, room, null, null, null, null, null, false, false,
        false, false, null, null);
  }

  private HttpResponse<String> call(VisioServer s, String method, String path, String bearer)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every token short of a server-wide administrator's is refused, and nothing drains. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "no token,              none,    false, false, '',   401",
    "not a token,           garbage, false, false, '',   401",
    "forged with another key, forged, true, true,  '',   401",
    "no grants,             token,   false, false, '',   403",
    "roomList only,         token,   false, true,  '',   403",
    "roomAdmin only,        token,   true,  false, '',   403",
    "one room's admin,      token,   true,  true,  room, 403",
  })
  void drainingNeedsAServerWideAdministrator(
      String name, String kind, boolean roomAdmin, boolean roomList, String room, int status)
      throws Exception {
    try (VisioServer s = TestServers.withKeys()) {
      String bearer =
          switch (kind) {
            case "none" -> null;
            case "garbage" -> "not.a.token";
            case "forged" ->
                new TokenIssuer(TestServers.API_KEY, "another-secret-another-secret-0123456789")
                    .issue(
                        "ops", null, null, Map.of(), admin(true, true, ""), Duration.ofMinutes(1));
            default ->
                ISSUER.issue(
                    "ops",
                    null,
                    null,
                    Map.of(),
                    admin(roomAdmin, roomList, room),
                    Duration.ofMinutes(1));
          };
      assertThat(call(s, "POST", "/admin/drain", bearer).statusCode()).isEqualTo(status);
      assertThat(call(s, "GET", "/admin/drain", bearer).statusCode()).isEqualTo(status);
      assertThat(s.drainStatus().draining()).isFalse();
      assertThat(call(s, "GET", "/readyz", null).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void aTimeoutOutsideItsRangeIs400() throws Exception {
    try (VisioServer s = TestServers.withKeys()) {
      for (String t : new String[] {"0", "3601", "ten"}) {
        assertThat(call(s, "POST", "/admin/drain?timeout_s=" + t, adminToken()).statusCode())
            .as(t)
            .isEqualTo(400);
      }
      assertThat(s.drainStatus().draining()).isFalse();
    }
  }

  @Test
  void aDrainSendsParticipantsOnRefusesNewOnesAndTurnsNotReady() throws Exception {
    try (VisioServer s = TestServers.withKeys()) {
      RtcSignalTest.Client ann = RtcSignalTest.connect(s.httpPort(), join("ann", "drained"));
      assertThat(ann.next().hasJoin()).isTrue();
      assertThat(s.rooms().participants("drained")).hasSize(1);

      HttpResponse<String> started = call(s, "POST", "/admin/drain?timeout_s=10", adminToken());
      assertThat(started.statusCode()).isEqualTo(202);
      assertThat(started.body()).contains("\"draining\":true");

      // Ann is told to join again in full (livekit-client retries with backoff) and is gone.
      SignalResponse leave = ann.nextLeave();
      assertThat(leave.getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(leave.getLeave().getCanReconnect()).isTrue();
      assertThat(leave.getLeave().getReason()).isEqualTo(DisconnectReason.MIGRATION);
      assertThat(ann.closed.get(5, TimeUnit.SECONDS)).startsWith("1012");
      s.drain(Duration.ofSeconds(10)).get(10, TimeUnit.SECONDS);
      assertThat(s.rooms().participants("drained")).isEmpty();
      assertThat(s.drainStatus()).isEqualTo(new Drain.Status(true, true, 0, 0));
      assertThat(call(s, "GET", "/admin/drain", adminToken()).body())
          .isEqualTo("{\"draining\":true,\"done\":true,\"participants\":0,\"relayed\":0}");

      // Not ready, and a new join (or Ann's resume) is refused until the server is back.
      assertThat(call(s, "GET", "/readyz", null).statusCode()).isEqualTo(503);
      RtcSignalTest.Client bob = RtcSignalTest.connect(s.httpPort(), join("bob", "drained"));
      assertThat(bob.closed.get(5, TimeUnit.SECONDS)).startsWith("1013");
      assertThat(bob.messages).isEmpty();
      assertThat(s.rooms().participants("drained")).isEmpty();
    }
  }

  /**
   * {@code visio --drain} (a preStop hook): asks the server its configuration describes, on
   * loopback, with a token of its own key, waits for the drain to finish ({@code ?wait=true}), and
   * exits 0; the server's participants were sent on meanwhile.
   */
  @Test
  void visioDrainAsksTheServerAndReturnsOnceItIsDrained() throws Exception {
    ServerConfig cfg = TestServers.keyedConfig(1, eu.visio.server.cluster.ClusterNodes.freePort());
    try (VisioServer s = VisioServer.start(cfg)) {
      RtcSignalTest.Client ann = RtcSignalTest.connect(s.httpPort(), join("ann", "prestop"));
      assertThat(ann.next().hasJoin()).isTrue();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int exit = Main.requestDrain(cfg, Duration.ofSeconds(10), new PrintStream(out, true, UTF_8));
      assertThat(exit).as(out.toString(UTF_8)).isZero();
      assertThat(out.toString(UTF_8))
          .contains("\"draining\":true,\"done\":true,\"participants\":0");
      assertThat(ann.nextLeave().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(s.drainStatus().done()).isTrue();
    }
    // Nobody listening: a clear message and a failing exit status, not a hang.
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(Main.requestDrain(cfg, Duration.ofSeconds(1), new PrintStream(out, true, UTF_8)))
        .isEqualTo(1);
    assertThat(out.toString(UTF_8)).contains("cannot ask http://127.0.0.1:");
  }

  private static String join(String identity, String room) {
    return ISSUER.issue(
        identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5));
  }
}
