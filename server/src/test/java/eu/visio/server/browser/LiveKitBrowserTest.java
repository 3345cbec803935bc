package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.events;
import static eu.visio.server.browser.LiveKitPage.stat;
import static eu.visio.server.browser.LiveKitPage.track;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LiveKit's own JavaScript client ({@code livekit-client}, unchanged) in headless Chromium against
 * our server, over both signalling paths: {@code /rtc/v1} (one peer connection, the client always
 * offers) and {@code /rtc} (two peer connections, the server offers the subscriber one).
 */
@Tag("browser")
class LiveKitBrowserTest {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String token(String identity, String room) {
    return ISSUER.issue(
        identity,
        identity.toUpperCase(),
        null,
        Map.of(),
        VideoGrant.join(room),
        Duration.ofMinutes(10));
  }

  static String options(boolean singlePc, String extra) {
    return "{singlePeerConnection: "
        + singlePc
        + ", camera: true, microphone: true, width: 320, height: 180"
        + extra
        + "}";
  }

  /**
   * Three participants with fake camera and microphone each receive the two others' video (frames
   * decoded, rising) and audio; a mute reaches the others and so does an unmute; one leaving is
   * seen by the two others.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void threeParticipantsSeeAndHearEachOther(boolean singlePc) throws Exception {
    String room = "three-" + singlePc;
    List<String> names = List.of("ann", "bob", "cat");
    List<LiveKitPage> pages = new ArrayList<>();
    try {
      for (String n : names) {
        LiveKitPage p = new LiveKitPage(server.httpPort(), n);
        pages.add(p);
        Map<?, ?> joined = p.connect(server.httpPort(), token(n, room), options(singlePc, ""));
        assertThat((String) joined.get("sid")).startsWith("PA_");
      }
      for (LiveKitPage p : pages) {
        List<String> others = names.stream().filter(n -> !n.equals(p.identity)).toList();
        Map<?, ?> first =
            p.awaitState(
                s ->
                    others.stream()
                        .allMatch(
                            o ->
                                stat(s, o, "video", "framesDecoded") > 10
                                    && stat(s, o, "audio", "totalSamplesReceived") > 48_000),
                WAIT);
        Map<?, ?> later =
            p.awaitState(
                s ->
                    others.stream()
                        .allMatch(
                            o ->
                                stat(s, o, "video", "framesDecoded")
                                    > stat(first, o, "video", "framesDecoded") + 10),
                WAIT);
        assertThat(events(later)).as(p.identity + "'s events").doesNotContain("reconnecting");
      }

      // Six tracks, each forwarded to the two others; everybody's downlink is estimated.
      String metrics = scrape();
      assertThat(gauge(metrics, "visio_participants")).isEqualTo(3);
      assertThat(gauge(metrics, "visio_published_tracks")).isEqualTo(6);
      assertThat(gauge(metrics, "visio_subscriptions")).isEqualTo(12);
      assertThat(gauge(metrics, "visio_downlink_estimate_bps")).isPositive();
      assertThat(gauge(metrics, "visio_join_latency_seconds_count")).isGreaterThanOrEqualTo(3);

      // The fake microphones beep: someone is an active speaker, and every link is graded.
      pages
          .get(0)
          .awaitState(
              st ->
                  LiveKitPage.events(st).stream().anyMatch(e -> e.matches("activeSpeakers:.+"))
                      && List.of("bob", "cat").stream()
                          .allMatch(
                              o -> {
                                Object q = LiveKitPage.remote(st, o, "connectionQuality");
                                return "excellent".equals(q) || "good".equals(q);
                              }),
              WAIT);

      LiveKitPage ann = pages.get(0);
      ann.muteTrack("audio", true);
      for (LiveKitPage p : pages.subList(1, 3)) {
        p.awaitState(s -> Boolean.TRUE.equals(track(s, "ann", "audio").get("muted")), WAIT);
      }
      ann.muteTrack("audio", false);
      for (LiveKitPage p : pages.subList(1, 3)) {
        p.awaitState(s -> Boolean.FALSE.equals(track(s, "ann", "audio").get("muted")), WAIT);
      }

      // The page and livekit-client stay on the server's origin, and the CSP blocked nothing.
      String origin = "http://127.0.0.1:" + server.httpPort() + "/";
      for (LiveKitPage p : pages) {
        assertThat(p.requests()).isNotEmpty().allMatch(u -> u.startsWith(origin));
        assertThat((List<?>) p.state().get("errors")).as(p.identity + "'s errors").isEmpty();
      }

      ann.disconnect();
      for (LiveKitPage p : pages.subList(1, 3)) {
        p.awaitState(
            s ->
                events(s).contains("participantDisconnected:ann")
                    && track(s, "ann", "video") == null,
            WAIT);
      }
    } finally {
      for (LiveKitPage p : pages) {
        p.close();
      }
    }
  }

  /**
   * Adaptive stream: the subscriber showing the publisher in a small tile receives a lower
   * simulcast layer than the one showing it large.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void aSmallTileGetsALowerLayerThanALargeOne(boolean singlePc) throws Exception {
    String room = "adaptive-" + singlePc;
    try (LiveKitPage pub = new LiveKitPage(server.httpPort(), "presenter");
        LiveKitPage small = new LiveKitPage(server.httpPort(), "small");
        LiveKitPage large = new LiveKitPage(server.httpPort(), "large")) {
      pub.connect(
          server.httpPort(),
          token("presenter", room),
          "{singlePeerConnection: " + singlePc + ", camera: true, width: 1280, height: 720}");
      small.setVideoSize("presenter", 160, 90);
      large.setVideoSize("presenter", 1280, 720);
      String viewer = "{singlePeerConnection: " + singlePc + ", adaptiveStream: true}";
      small.connect(server.httpPort(), token("small", room), viewer);
      large.connect(server.httpPort(), token("large", room), viewer);
      small.setVideoSize("presenter", 160, 90);
      large.setVideoSize("presenter", 1280, 720);
      Map<?, ?> big =
          large.awaitState(s -> stat(s, "presenter", "video", "frameWidth") >= 640, WAIT);
      Map<?, ?> little =
          small.awaitState(
              s ->
                  stat(s, "presenter", "video", "framesDecoded") > 20
                      && stat(s, "presenter", "video", "frameWidth") > 0
                      && stat(s, "presenter", "video", "frameWidth") <= 320,
              WAIT);
      assertThat(stat(little, "presenter", "video", "frameWidth"))
          .isLessThan(stat(big, "presenter", "video", "frameWidth"));
    }
  }

  /**
   * Dynacast: the publisher stops encoding the layers nobody receives (a viewer showing it small),
   * and sends them again when a viewer shows it large.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void dynacastPausesLayersNobodyReceives(boolean singlePc) throws Exception {
    String room = "dynacast-" + singlePc;
    try (LiveKitPage pub = new LiveKitPage(server.httpPort(), "caster");
        LiveKitPage viewer = new LiveKitPage(server.httpPort(), "watcher")) {
      pub.connect(
          server.httpPort(),
          token("caster", room),
          "{singlePeerConnection: "
              + singlePc
              + ", dynacast: true, camera: true, width: 1280, height: 720}");
      viewer.setVideoSize("caster", 160, 90);
      viewer.connect(
          server.httpPort(),
          token("watcher", room),
          "{singlePeerConnection: " + singlePc + ", adaptiveStream: true}");
      viewer.setVideoSize("caster", 160, 90);
      viewer.awaitState(s -> stat(s, "caster", "video", "framesDecoded") > 10, WAIT);
      Map<?, ?> small =
          pub.awaitLayers(
              l -> Boolean.TRUE.equals(l.get("q")) && Boolean.FALSE.equals(l.get("f")), WAIT);
      assertThat(small.get("h")).as("only the quarter layer is needed").isEqualTo(false);
      viewer.setVideoSize("caster", 1280, 720);
      pub.awaitLayers(l -> Boolean.TRUE.equals(l.get("f")), WAIT);
    }
  }

  /**
   * Data packets (livekit-client's publishData, over SCTP data channels): reliable and lossy, to
   * everyone or to one identity, stamped with the sender's identity by the server; and the Room
   * service's SendData to one identity.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void dataReachesEveryoneOrTheNamedIdentity(boolean singlePc) throws Exception {
    String room = "data-" + singlePc;
    String opts = "{singlePeerConnection: " + singlePc + "}";
    try (LiveKitPage ana = new LiveKitPage(server.httpPort(), "ana");
        LiveKitPage bea = new LiveKitPage(server.httpPort(), "bea");
        LiveKitPage cid = new LiveKitPage(server.httpPort(), "cid")) {
      ana.connect(server.httpPort(), token("ana", room), opts);
      bea.connect(server.httpPort(), token("bea", room), opts);
      cid.connect(server.httpPort(), token("cid", room), opts);
      for (LiveKitPage p : List.of(ana, bea, cid)) {
        p.awaitState(s -> ((List<?>) s.get("remotes")).size() == 2, WAIT);
      }
      ana.publishData("hello all", true, "chat", List.of());
      for (LiveKitPage p : List.of(bea, cid)) {
        p.awaitState(s -> data(s).contains("ana/chat/hello all"), WAIT);
      }
      bea.publishData("just for cid", true, "dm", List.of("cid"));
      cid.publishData("lossy ping", false, "ping", List.of());
      cid.awaitState(s -> data(s).contains("bea/dm/just for cid"), WAIT);
      ana.awaitState(s -> data(s).contains("cid/ping/lossy ping"), WAIT);
      assertThat(data(ana.state()))
          .as("the DM went to cid only")
          .doesNotContain("bea/dm/just for cid");
    }
  }

  static List<String> data(Map<?, ?> state) {
    return ((List<?>) state.get("data"))
        .stream()
            .map(d -> (Map<?, ?>) d)
            .map(d -> d.get("from") + "/" + d.get("topic") + "/" + d.get("text"))
            .toList();
  }

  /**
   * A dropped signalling connection resumes the same session: the client reconnects without
   * rejoining, and what it receives keeps flowing.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void aDroppedWebSocketResumesWithSubscriptionsIntact(boolean singlePc) throws Exception {
    String room = "resume-" + singlePc;
    try (LiveKitPage a = new LiveKitPage(server.httpPort(), "amy");
        LiveKitPage b = new LiveKitPage(server.httpPort(), "ben")) {
      a.connect(server.httpPort(), token("amy", room), options(singlePc, ""));
      Map<?, ?> joined = b.connect(server.httpPort(), token("ben", room), options(singlePc, ""));
      b.awaitState(s -> stat(s, "amy", "video", "framesDecoded") > 10, WAIT);
      b.killSignal();
      Map<?, ?> resumed = b.awaitState(s -> events(s).contains("reconnected"), WAIT);
      assertThat(resumed.get("sid")).as("the same session").isEqualTo(joined.get("sid"));
      long before = stat(resumed, "amy", "video", "framesDecoded");
      b.awaitState(s -> stat(s, "amy", "video", "framesDecoded") > before + 20, WAIT);
      a.awaitState(s -> stat(s, "ben", "video", "framesDecoded") > 10, WAIT);
      assertThat(events(b.state())).doesNotContain("participantDisconnected:amy");
    }
  }

  static String scrape() throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString())
        .body();
  }

  /** A sample without labels from a Prometheus scrape. */
  static double gauge(String scrape, String name) {
    for (String line : scrape.split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1));
      }
    }
    throw new AssertionError("no " + name + " in /metrics");
  }
}
