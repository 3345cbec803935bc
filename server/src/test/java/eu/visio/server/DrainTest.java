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
import java.util.concurrent.CountDownLatch;
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
    return request(s, method, path, bearer == null ? null : "Bearer " + bearer);
  }

  private HttpResponse<String> request(
      VisioServer s, String method, String path, String authorization) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.httpPort() + path))
            .timeout(Duration.ofSeconds(20))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every token short of a server-wide administrator's is refused, and nothing drains. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "no Authorization header,      none,     false, false, '',   401",
    "not a bearer token,           basic,    true,  true,  '',   401",
    "an empty bearer token,        empty,    true,  true,  '',   401",
    "not a token,                  garbage,  false, false, '',   401",
    "forged with another secret,   forged,   true,  true,  '',   401",
    "an unknown API key,           otherkey, true,  true,  '',   401",
    "expired,                      expired,  true,  true,  '',   401",
    "a participant's join grant,   join,     false, false, room, 403",
    "no grants,                    token,    false, false, '',   403",
    "roomList only,                token,    false, true,  '',   403",
    "roomAdmin only,               token,    true,  false, '',   403",
    "one room's admin,             token,    true,  true,  room, 403",
  })
  void drainingNeedsAServerWideAdministrator(
      String name, String kind, boolean roomAdmin, boolean roomList, String room, int status)
      throws Exception {
    VideoGrant grant = admin(roomAdmin, roomList, room);
    String authorization =
        switch (kind) {
          case "none" -> null;
          case "basic" -> "Basic b3BzOnNlY3JldA==";
          case "empty" -> "Bearer ";
          case "garbage" -> "Bearer not.a.token";
          case "forged" ->
              "Bearer "
                  + new TokenIssuer(TestServers.API_KEY, "another-secret-another-secret-0123456789")
                      .issue("ops", null, null, Map.of(), grant, Duration.ofMinutes(1));
          case "otherkey" ->
              "Bearer "
                  + new TokenIssuer("otherkey", TestServers.API_SECRET)
                      .issue("ops", null, null, Map.of(), grant, Duration.ofMinutes(1));
          case "expired" ->
              "Bearer " + ISSUER.issue("ops", null, null, Map.of(), grant, Duration.ofMinutes(-5));
          case "join" ->
              "Bearer "
                  + ISSUER.issue(
                      "ops", null, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(1));
          default ->
              "Bearer " + ISSUER.issue("ops", null, null, Map.of(), grant, Duration.ofMinutes(1));
        };
    try (VisioServer s = TestServers.withKeys()) {
      for (String method : new String[] {"POST", "GET"}) {
        assertThat(request(s, method, "/admin/drain?wait=true", authorization).statusCode())
            .as(method)
            .isEqualTo(status);
      }
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

      // Not ready, and a new join (or Ann's resume) is refused until the server is back; alive.
      assertThat(call(s, "GET", "/readyz", null).statusCode()).isEqualTo(503);
      assertThat(call(s, "GET", "/healthz", null).statusCode()).isEqualTo(200);
      RtcSignalTest.Client bob = RtcSignalTest.connect(s.httpPort(), join("bob", "drained"));
      assertThat(bob.closed.get(5, TimeUnit.SECONDS)).startsWith("1013");
      assertThat(bob.messages).isEmpty();
      assertThat(s.rooms().participants("drained")).isEmpty();
    }
  }

  /**
   * {@code ?wait=true}: the answer comes once the drain is over, with its final status; asked
   * again, a drain already over answers the same at once.
   */
  @Test
  void waitTrueAnswersOnceDrainedWithTheFinalStatus() throws Exception {
    try (VisioServer s = TestServers.withKeys()) {
      RtcSignalTest.Client ann = RtcSignalTest.connect(s.httpPort(), join("ann", "waited"));
      assertThat(ann.next().hasJoin()).isTrue();
      for (int i = 0; i < 2; i++) {
        HttpResponse<String> r = call(s, "POST", "/admin/drain?wait=true", adminToken());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body())
            .isEqualTo("{\"draining\":true,\"done\":true,\"participants\":0,\"relayed\":0}");
      }
      assertThat(ann.nextLeave().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
    }
  }

  /**
   * {@code visio --drain} (a preStop hook): asks the server its configuration describes, on
   * loopback, with a token of its own key, waits for the drain to finish ({@code ?wait=true}), and
   * exits 0; the server's participants were sent on meanwhile. Nobody listening: a clear message
   * and a failing exit status, not a hang.
   */
  @Test
  void visioDrainAsksTheServerAndReturnsOnceItIsDrained() throws Exception {
    ServerConfig cfg = TestServers.keyedConfig(1, eu.visio.server.cluster.ClusterNodes.freePort());
    try (VisioServer s = VisioServer.start(cfg)) {
      RtcSignalTest.Client ann = RtcSignalTest.connect(s.httpPort(), join("ann", "prestop"));
      assertThat(ann.next().hasJoin()).isTrue();
      Ran drained = visioDrain(cfg, Duration.ofSeconds(10));
      assertThat(drained.exit()).as(drained.said()).isZero();
      assertThat(drained.said())
          .startsWith("visio: drained: ")
          .contains("\"draining\":true,\"done\":true,\"participants\":0");
      assertThat(ann.nextLeave().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(s.drainStatus().done()).isTrue();
    }
    Ran nobody = visioDrain(cfg, Duration.ofSeconds(1));
    assertThat(nobody.exit()).isEqualTo(1);
    assertThat(nobody.said()).startsWith("visio: cannot ask http://127.0.0.1:");
  }

  /**
   * At the deadline the server answers with what is left, and {@code visio --drain} fails saying
   * so. What is left here: a participant whose room's worker is stuck, so that it cannot leave.
   */
  @Test
  void visioDrainFailsNamingWhatIsLeftAtTheTimeout() throws Exception {
    ServerConfig cfg = TestServers.keyedConfig(1, eu.visio.server.cluster.ClusterNodes.freePort());
    try (VisioServer s = VisioServer.start(cfg)) {
      RtcSignalTest.Client ann = RtcSignalTest.connect(s.httpPort(), join("ann", "left"));
      assertThat(ann.next().hasJoin()).isTrue();
      CountDownLatch release = new CountDownLatch(1);
      try {
        stick(s, release);
        long t0 = System.nanoTime();
        Ran timedOut = visioDrain(cfg, Duration.ofSeconds(1));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(timedOut.exit()).as(timedOut.said()).isEqualTo(1);
        assertThat(timedOut.said())
            .startsWith("visio: the drain timed out after 1 s with 1 participant(s) still here: ")
            .contains("\"done\":true,\"participants\":1");
        assertThat(ms).as("answered at the deadline").isGreaterThanOrEqualTo(1000).isLessThan(5000);
        assertThat(s.rooms().stats().participants()).isEqualTo(1);
      } finally {
        release.countDown();
      }
    }
  }

  /**
   * A participant whose signalling dropped (its session waiting here for a resume, out of the
   * drain's reach) does not hold the drain for its resume window: it leaves as the drain starts,
   * and its resume is answered as any resume of a session the server does not have (join again in
   * full: LeaveRequest RECONNECT, then the close).
   */
  @Test
  void aDrainDoesNotWaitForASessionWhoseSignallingDropped() throws Exception {
    try (VisioServer s = TestServers.withKeys()) {
      String sid = awaitResumable(s, "ann", "dropped");
      assertThat(s.rooms().participants("dropped")).hasSize(1);

      long t0 = System.nanoTime();
      assertThat(call(s, "POST", "/admin/drain?timeout_s=60", adminToken()).statusCode())
          .isEqualTo(202);
      s.drain(Duration.ofSeconds(60)).get(5, TimeUnit.SECONDS); // its resume window is 20 s
      System.out.println(
          "drain with one dropped session: "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
              + " ms");
      assertThat(s.drainStatus()).isEqualTo(new Drain.Status(true, true, 0, 0));
      assertThat(s.rooms().participants("dropped")).isEmpty();

      RtcSignalTest.Client resumed = resume(s.httpPort(), join("ann", "dropped"), sid);
      assertThat(resumed.next().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(resumed.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 no session to resume");
      assertThat(s.rooms().participants("dropped")).isEmpty();
    }
  }

  /** Blocks every media worker of {@code s} until {@code release}; returns once they are. */
  private static void stick(VisioServer s, CountDownLatch release) throws InterruptedException {
    var workers = s.mediaWorkers();
    CountDownLatch stuck = new CountDownLatch(workers.size());
    for (var w : workers) {
      w.execute(
          () -> {
            stuck.countDown();
            try {
              release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
    }
    assertThat(stuck.await(5, TimeUnit.SECONDS)).as("workers stuck").isTrue();
  }

  /** Resumes the session {@code sid} (livekit-client's reconnect after a signalling drop). */
  static RtcSignalTest.Client resume(int port, String token, String sid) {
    livekit.LivekitRtc.JoinRequest resume =
        livekit.LivekitRtc.JoinRequest.newBuilder()
            .setClientInfo(
                livekit.LivekitModels.ClientInfo.newBuilder()
                    .setSdk(livekit.LivekitModels.ClientInfo.SDK.JS)
                    .setProtocol(17))
            .setReconnect(true)
            .setParticipantSid(sid)
            .build();
    RtcSignalTest.Client c = new RtcSignalTest.Client();
    String url =
        "ws://127.0.0.1:"
            + port
            + "/rtc/v1?access_token="
            + java.net.URLEncoder.encode(token, UTF_8)
            + "&join_request="
            + eu.visio.signal.livekit.JoinRequests.encode(resume, false);
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    return c;
  }

  /** Keys that are not the server's: refused, and said so. */
  @Test
  void visioDrainWithOtherKeysIsRefusedAndSaysSo() throws Exception {
    try (VisioServer s = TestServers.withKeys()) {
      ServerConfig other =
          new ServerConfig(
              "127.0.0.1",
              s.httpPort(),
              0,
              java.util.List.of(),
              true,
              java.util.Optional.empty(),
              1,
              eu.visio.signal.token.ApiKeys.of(
                  Map.of(TestServers.API_KEY, "another-secret-another-secret-0123456789")));
      Ran refused = visioDrain(other, Duration.ofSeconds(5));
      assertThat(refused.exit()).isEqualTo(1);
      assertThat(refused.said()).startsWith("visio: the server refused to drain (HTTP 401): ");
      assertThat(s.drainStatus().draining()).isFalse();
    }
  }

  /**
   * A participant whose signalling dropped once its media was negotiated: the server keeps it for
   * its resume (LiveKitParticipant's window), and a drain has no connection to send it on through.
   * Returns its sid once the server has taken the drop in (its log says so).
   */
  static String awaitResumable(VisioServer s, String identity, String room) throws Exception {
    return awaitResumable(s.httpPort(), s, identity, room);
  }

  /** The same, connected through {@code port} (relayed, in a cluster) to its {@code home}. */
  static String awaitResumable(int port, VisioServer home, String identity, String room)
      throws Exception {
    RtcSignalTest.Client c = negotiated(port, identity, room);
    String sid =
        home.rooms().participants(room).stream()
            .filter(p -> p.getIdentity().equals(identity))
            .findFirst()
            .orElseThrow()
            .getSid();
    ch.qos.logback.classic.Logger log =
        (ch.qos.logback.classic.Logger)
            org.slf4j.LoggerFactory.getLogger("eu.visio.signal.livekit.LiveKitParticipant");
    var lines =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    lines.start();
    log.addAppender(lines);
    try {
      c.ws.abort();
      String said = "participant=" + identity + " signalling lost, may resume";
      Poll.until(
          said, () -> lines.list.stream().anyMatch(e -> e.getFormattedMessage().contains(said)));
    } finally {
      log.detachAppender(lines);
    }
    return sid;
  }

  /** A participant whose first offer was answered (so it has a session worth resuming). */
  static RtcSignalTest.Client negotiated(int port, String identity, String room)
      throws InterruptedException {
    RtcSignalTest.Client c = RtcSignalTest.connect(port, join(identity, room));
    assertThat(c.next().hasJoin()).isTrue();
    c.send(
        livekit.LivekitRtc.SignalRequest.newBuilder()
            .setOffer(LiveKitNegotiationTest.sdp("offer", LiveKitNegotiationTest.JOIN_OFFER, 1))
            .build());
    LiveKitNegotiationTest.next(c, SignalResponse.MessageCase.ANSWER);
    return c;
  }

  /** What {@code visio --drain} returned and printed. */
  private record Ran(int exit, String said) {}

  private static Ran visioDrain(ServerConfig cfg, Duration timeout) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit = DrainCommand.run(cfg, timeout, new PrintStream(out, true, UTF_8));
    return new Ran(exit, out.toString(UTF_8));
  }

  static String join(String identity, String room) {
    return ISSUER.issue(
        identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5));
  }
}
