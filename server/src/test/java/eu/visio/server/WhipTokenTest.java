package eu.visio.server;

import static eu.visio.server.WhipHttp.SDP;
import static eu.visio.server.WhipHttp.TRICKLE;
import static eu.visio.server.WhipHttp.fixture;
import static eu.visio.server.WhipHttpTest.assertOneLineError;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.InetAddress;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/** WHIP and WHEP behind a bearer token (RFC 9725 §4.5, RFC 6750). */
class WhipTokenTest {
  private static final String TOKEN = "Zk3-secret-7Qp";

  private static VisioServer server;
  private static WhipHttp http;
  private static Logger visioLogger;
  private static Level visioLevel;
  private static final ListAppender<ILoggingEvent> logs = new ListAppender<>();

  @BeforeAll
  static void start() {
    // Capture every log line, DEBUG included, from server start to the last request.
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    visioLogger = (Logger) LoggerFactory.getLogger("eu.visio");
    visioLevel = visioLogger.getLevel();
    visioLogger.setLevel(Level.DEBUG);
    logs.start();
    root.addAppender(logs);
    server = TestServers.loopback(Optional.of(TOKEN));
    http = new WhipHttp(server);
  }

  @AfterAll
  static void stop() {
    server.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logs);
    visioLogger.setLevel(visioLevel);
  }

  @ParameterizedTest(name = "Authorization: [{0}]")
  @ValueSource(
      strings = {
        "",
        "Bearer",
        "Bearer ",
        "Bearer wrong",
        "Bearer " + TOKEN + "x",
        "Bearer Zk3-secret-7Q",
        "Basic " + TOKEN,
        TOKEN,
        "Bearer " + "Zk3-SECRET-7Qp"
      })
  void postWithoutTheRightTokenIsUnauthorized(String authorization) {
    int before = server.whip().activeSessions();
    HttpResponse<String> r =
        authorization.isEmpty()
            ? http.post("/whip/cam", SDP, fixture("chrome-whip-offer.sdp"))
            : http.post(
                "/whip/cam", SDP, fixture("chrome-whip-offer.sdp"), "Authorization", authorization);
    assertUnauthorized(r);
    assertThat(server.whip().activeSessions()).isEqualTo(before);
  }

  @Test
  void authenticationComesBeforeAnythingElse() {
    // Neither a bad body nor an unknown stream is revealed to an unauthenticated client.
    assertUnauthorized(http.post("/whip/cam", "text/plain", "junk"));
    assertUnauthorized(http.post("/whep/nobody", SDP, fixture("chrome-whep-offer.sdp")));
    assertUnauthorized(http.delete("/whip/cam/0123456789abcdef01234567"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer ", "bearer ", "BEARER "})
  void theRightTokenPublishes(String scheme) {
    HttpResponse<String> r =
        http.post(
            "/whip/cam", SDP, fixture("chrome-whip-offer.sdp"), "Authorization", scheme + TOKEN);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(http.delete(location(r), "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
  }

  /**
   * Requests on one kept-alive connection, with tokens that differ only in letter case: each must
   * be judged on its own header. Jetty's header cache, case-insensitive by default, used to hand
   * the second request the first one's value.
   */
  @Test
  void tokenCaseIsCheckedOnAReusedConnection() {
    String offer = fixture("chrome-whip-offer.sdp");
    String upper = "Bearer " + TOKEN.toUpperCase(java.util.Locale.ROOT);
    String good = "Bearer " + TOKEN;
    String first = location(http.post("/whip/case", SDP, offer, "Authorization", good));
    assertUnauthorized(http.post("/whip/case", SDP, offer, "Authorization", upper));
    String second = location(http.post("/whip/case", SDP, offer, "Authorization", good));
    assertUnauthorized(http.post("/whip/case", SDP, offer, "Authorization", upper));
    http.delete(first, "Authorization", good);
    http.delete(second, "Authorization", good);
  }

  @Test
  void deleteAndPatchNeedTheTokenToo() {
    HttpResponse<String> created =
        http.post(
            "/whip/cam", SDP, fixture("chrome-whip-offer.sdp"), "Authorization", "Bearer " + TOKEN);
    String location = location(created);
    int active = server.whip().activeSessions();

    assertUnauthorized(http.delete(location));
    assertUnauthorized(http.delete(location, "Authorization", "Bearer wrong"));
    assertUnauthorized(
        http.send("PATCH", location, TRICKLE, BodyPublishers.ofString(WhipHttp.TRICKLE_FRAGMENT)));
    assertThat(server.whip().activeSessions()).as("still there").isEqualTo(active);

    HttpResponse<String> patched =
        http.send(
            "PATCH",
            location,
            TRICKLE,
            BodyPublishers.ofString(WhipHttp.TRICKLE_FRAGMENT),
            "Authorization",
            "Bearer " + TOKEN);
    assertThat(patched.statusCode()).isEqualTo(204);
    assertThat(http.delete(location, "Authorization", "Bearer " + TOKEN).statusCode())
        .isEqualTo(200);
    assertThat(server.whip().activeSessions()).isEqualTo(active - 1);
  }

  @Test
  void preflightNeedsNoToken() {
    // Browsers never send credentials on a CORS preflight.
    HttpResponse<String> r = http.send("OPTIONS", "/whip/cam", null, BodyPublishers.noBody());
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .contains("Authorization");
  }

  @Test
  void tokenIsNeverLogged() {
    http.post("/whip/cam", SDP, "junk", "Authorization", "Bearer " + TOKEN);
    HttpResponse<String> r =
        http.post(
            "/whip/log", SDP, fixture("chrome-whip-offer.sdp"), "Authorization", "Bearer " + TOKEN);
    http.delete(location(r), "Authorization", "Bearer " + TOKEN);

    List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).as("captured log lines").isNotEmpty();
    assertThat(lines).noneMatch(l -> l.contains(TOKEN));
    ServerConfig config =
        new ServerConfig(
            "127.0.0.1", 0, 0, List.of(InetAddress.getLoopbackAddress()), true, Optional.of(TOKEN));
    assertThat(config.toString()).doesNotContain(TOKEN).contains("whipToken=set");
  }

  private static void assertUnauthorized(HttpResponse<String> r) {
    assertOneLineError(r, 401);
    assertThat(r.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  private static String location(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    return r.headers().firstValue("Location").orElseThrow();
  }
}
