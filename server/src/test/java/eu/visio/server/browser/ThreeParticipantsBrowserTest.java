package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Three headless Chromium participants, each in one page: it publishes its fake camera and
 * microphone over WHIP and plays the two others over WHEP. Each must decode video and receive audio
 * from both others, and keep doing so.
 */
@Tag("browser")
class ThreeParticipantsBrowserTest {
  private static final List<String> NAMES = List.of("ana", "ben", "cleo");

  /** Small and slow: three browsers encode once and decode twice each on two shared cores. */
  private static final String CAMERA = "{video: {width: 320, height: 240, frameRate: 15}}";

  private static final Pattern RESOURCE =
      Pattern.compile("http://127\\.0\\.0\\.1:\\d+/wh[ie]p/[a-z]+/[0-9a-f]{24}");

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server = TestServers.loopback();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** One participant's browser and the WHEP resource of each stream it plays, by publisher. */
  private record Participant(String name, Chromium browser, Map<String, String> plays) {
    /** {@code VisioDemo.stats()} of every session this participant plays, by publisher. */
    Map<?, ?> received() {
      StringBuilder script = new StringBuilder("return {");
      plays.forEach(
          (from, resource) ->
              script
                  .append(from)
                  .append(": await VisioDemo.stats('")
                  .append(resource)
                  .append("'),"));
      return (Map<?, ?>) browser.run(script.append("};").toString());
    }
  }

  @Test
  void everyoneReceivesBothOthersVideoAndAudio() throws Exception {
    try (Chromium a = new Chromium();
        Chromium b = new Chromium();
        Chromium c = new Chromium()) {
      List<Chromium> browsers = List.of(a, b, c);
      for (int i = 0; i < NAMES.size(); i++) {
        Chromium browser = browsers.get(i);
        browser.open("http://127.0.0.1:" + server.httpPort() + "/whep.html");
        String published =
            (String)
                browser.run(
                    "return await VisioDemo.publish('" + NAMES.get(i) + "', " + CAMERA + ");");
        assertThat(published).matches(RESOURCE);
      }
      // A stream can be played once its publisher is connected.
      for (Chromium browser : browsers) {
        browser.await(
            "return await VisioDemo.stats();",
            s -> "connected".equals(((Map<?, ?>) s).get("connectionState")),
            Duration.ofSeconds(20));
      }

      List<Participant> participants = new ArrayList<>();
      for (int i = 0; i < NAMES.size(); i++) {
        Map<String, String> plays = new LinkedHashMap<>();
        for (String other : NAMES) {
          if (!other.equals(NAMES.get(i))) {
            String resource =
                (String) browsers.get(i).run("return await VisioDemo.play('" + other + "');");
            assertThat(resource).matches(RESOURCE);
            plays.put(other, resource);
          }
        }
        participants.add(new Participant(NAMES.get(i), browsers.get(i), plays));
      }
      assertThat(server.whip().activeSessions()).as("3 WHIP + 6 WHEP sessions").isEqualTo(9);

      // Media from both others: decoded frames of a real size, audio samples with sound in them
      // (the fake microphone beeps).
      Map<String, Map<?, ?>> first =
          awaitEvery(
              participants,
              (key, s) ->
                  Chromium.inbound(s, "video", "framesDecoded") > 0
                      && Chromium.inbound(s, "video", "frameWidth") > 0
                      && Chromium.inbound(s, "audio", "totalSamplesReceived") > 0
                      && audioEnergy(s) > 0,
              Duration.ofSeconds(30));
      // ... and it keeps coming: a further second of video frames (15 fps) and of audio samples
      // (48 kHz) from every publisher, with more sound.
      Map<String, Map<?, ?>> later =
          awaitEvery(
              participants,
              (key, s) ->
                  Chromium.inbound(s, "video", "framesDecoded")
                          >= Chromium.inbound(first.get(key), "video", "framesDecoded") + 15
                      && Chromium.inbound(s, "audio", "totalSamplesReceived")
                          >= Chromium.inbound(first.get(key), "audio", "totalSamplesReceived")
                              + 48_000
                      && audioEnergy(s) > audioEnergy(first.get(key)),
              Duration.ofSeconds(15));

      // Server side: every packet a viewer received was sent by the server (its own counter, read
      // after the browsers' stats), and no SRTP packet failed authentication.
      long received = 0;
      for (Map<?, ?> s : later.values()) {
        received +=
            Chromium.inbound(s, "video", "packetsReceived")
                + Chromium.inbound(s, "audio", "packetsReceived");
      }
      assertThat(metric("visio_media_udp_sent_datagrams_total")).isGreaterThanOrEqualTo(received);
      assertThat(metric("visio_whip_sessions")).isEqualTo(9);
      assertThat(server.drops().count(DropReason.SRTP_AUTH_FAILED)).isZero();

      // stop() with no resource ends all of a page's sessions, each with its DELETE.
      for (Chromium browser : browsers) {
        browser.run("await VisioDemo.stop(); return true;");
      }
      assertThat(server.whip().activeSessions()).isZero();
    }
  }

  /**
   * Polls every participant's played sessions until {@code ok} holds for all six (keyed
   * "viewer<-publisher"), and returns their stats; dumps the raw stats of the failing ones.
   */
  private static Map<String, Map<?, ?>> awaitEvery(
      List<Participant> participants, BiPredicate<String, Map<?, ?>> ok, Duration timeout)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Map<String, Map<?, ?>> all = new LinkedHashMap<>();
      Map<String, Map<?, ?>> failing = new LinkedHashMap<>();
      for (Participant p : participants) {
        p.received()
            .forEach(
                (from, s) -> {
                  String key = p.name() + "<-" + from;
                  all.put(key, (Map<?, ?>) s);
                  if (!ok.test(key, (Map<?, ?>) s)) {
                    failing.put(key, (Map<?, ?>) s);
                  }
                });
      }
      if (failing.isEmpty()) {
        return all;
      }
      if (System.nanoTime() > deadline) {
        for (Participant p : participants) {
          for (Map.Entry<String, String> play : p.plays().entrySet()) {
            Files.writeString(
                Path.of("target/three-" + p.name() + "-from-" + play.getKey() + ".json"),
                (String)
                    p.browser().run("return await VisioDemo.rawStats('" + play.getValue() + "');"));
          }
        }
        throw new AssertionError("not met within " + timeout + " for " + failing);
      }
      Thread.sleep(250);
    }
  }

  private static double audioEnergy(Map<?, ?> stats) {
    Object inbound = stats.get("inbound");
    if (inbound instanceof Map<?, ?> in
        && in.get("audio") instanceof Map<?, ?> audio
        && audio.get("totalAudioEnergy") instanceof Number n) {
      return n.doubleValue();
    }
    return 0;
  }

  /** One unlabelled sample of the server's {@code /metrics}. */
  private static long metric(String name) throws IOException, InterruptedException {
    try (HttpClient client = HttpClient.newHttpClient()) {
      String body =
          client
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Matcher m =
          Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? (\\S+)$").matcher(body);
      assertThat(m.find()).as("%s in /metrics", name).isTrue();
      return (long) Double.parseDouble(m.group(1));
    }
  }
}
