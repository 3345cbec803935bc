package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Chromium publishes three simulcast layers over WHIP; WHEP viewers asking for a small and a
 * large size must receive the layer that fits each.
 */
@Tag("browser")
class SimulcastBrowserTest {
  /** 720p camera at 15 fps: three encodings in one browser are the heaviest load of the suite. */
  private static final String SIMULCAST =
      "{simulcast: true, video: {width: 1280, height: 720, frameRate: 15}}";

  /**
   * Records each POST's URL and body on the page, so a test sees the offer even when the server
   * refuses it.
   */
  private static final String RECORD_POSTS =
      "window.posts = [];"
          + "const send = window.fetch;"
          + "window.fetch = (url, init) => {"
          + "  if (init && init.method === 'POST') window.posts.push({url: String(url), body: init.body});"
          + "  return send(url, init);"
          + "};";

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server = TestServers.loopback();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private String page(String name) {
    return "http://127.0.0.1:" + server.httpPort() + "/" + name;
  }

  /**
   * The client side alone (passes whatever the server does with simulcast): the offer of {@code
   * simulcast: true} carries the three rids, a plain publish carries none and is accepted, and a
   * viewer's size goes on the WHEP URL.
   */
  @Test
  void publisherOffersThreeLayersAndViewerSendsItsSize() throws Exception {
    try (Chromium browser = new Chromium()) {
      browser.open(page("whep.html"));
      browser.run(RECORD_POSTS + "return true;");
      Map<?, ?> simulcast =
          (Map<?, ?>)
              browser.run(
                  "try { await VisioDemo.publish('layers', "
                      + SIMULCAST
                      + "); } catch (e) { /* a server without simulcast refuses it */ }"
                      + "return window.posts.at(-1);");
      assertThat((String) simulcast.get("url")).endsWith("/whip/layers");
      String offer = (String) simulcast.get("body");
      assertThat(offer).containsPattern("(?m)^a=simulcast:send q;h;f\\r?$");
      assertThat(Pattern.compile("(?m)^a=rid:[a-z]+ send").matcher(offer).results().count())
          .isEqualTo(3);
      assertThat(offer).contains("a=rid:q send", "a=rid:h send", "a=rid:f send");

      Object plain =
          browser.run(
              "return await VisioDemo.publish('plain', {video: {width: 320, height: 240}});");
      assertThat((String) plain).contains("/whip/plain/");
      String plainOffer =
          (String) ((Map<?, ?>) browser.run("return window.posts.at(-1);")).get("body");
      assertThat(plainOffer).doesNotContain("a=simulcast", "a=rid:");
      browser.await(
          "return await VisioDemo.stats('" + plain + "');",
          s -> "connected".equals(((Map<?, ?>) s).get("connectionState")),
          Duration.ofSeconds(20));

      Object viewer =
          browser.run("return await VisioDemo.play('plain', {width: 320, height: 180});");
      assertThat((String) viewer).contains("/whep/plain/");
      Map<?, ?> post = (Map<?, ?>) browser.run("return window.posts.at(-1);");
      assertThat((String) post.get("url")).endsWith("/whep/plain?width=320&height=180");
    }
  }

  /**
   * Pending the server's simulcast support (today it refuses rid-only offers with 400). A viewer
   * asking for 320x180 must get the quarter layer (at most 320 wide), one asking for 1280x720 a
   * larger one, steadily once Chrome's bandwidth estimate has ramped up to send the top layers.
   */
  @Test
  void eachViewerGetsTheLayerItsSizeAsksFor() throws Exception {
    try (Chromium publisher = new Chromium();
        Chromium small = new Chromium();
        Chromium large = new Chromium()) {
      publisher.open(page("whip.html"));
      Object location = publisher.run("return await VisioDemo.publish('sim', " + SIMULCAST + ");");
      assertThat((String) location).contains("/whip/sim/");
      publisher.await(
          "return await VisioDemo.stats();",
          s -> "connected".equals(((Map<?, ?>) s).get("connectionState")),
          Duration.ofSeconds(20));

      small.open(page("whep.html"));
      small.run("return await VisioDemo.play('sim', {width: 320, height: 180});");
      large.open(page("whep.html"));
      large.run("return await VisioDemo.play('sim', {width: 1280, height: 720});");

      // Steady: both sizes right, and frames still being decoded, for 8 polls in a row.
      long deadline = System.nanoTime() + Duration.ofSeconds(25).toNanos();
      int streak = 0;
      long smallFrames = 0;
      long largeFrames = 0;
      Object s = null;
      Object l = null;
      while (streak < 8) {
        s = small.run("return await VisioDemo.stats();");
        l = large.run("return await VisioDemo.stats();");
        long sw = Chromium.inbound(s, "video", "frameWidth");
        long lw = Chromium.inbound(l, "video", "frameWidth");
        long sf = Chromium.inbound(s, "video", "framesDecoded");
        long lf = Chromium.inbound(l, "video", "framesDecoded");
        boolean ok = sw > 0 && sw <= 320 && lw > 320 && sf > smallFrames && lf > largeFrames;
        streak = ok ? streak + 1 : 0;
        smallFrames = sf;
        largeFrames = lf;
        if (streak < 8 && System.nanoTime() > deadline) {
          Files.writeString(
              Path.of("target/simulcast-publisher.json"),
              (String) publisher.run("return await VisioDemo.rawStats();"));
          Files.writeString(
              Path.of("target/simulcast-small.json"),
              (String) small.run("return await VisioDemo.rawStats();"));
          Files.writeString(
              Path.of("target/simulcast-large.json"),
              (String) large.run("return await VisioDemo.rawStats();"));
          throw new AssertionError(
              "layers not steady within 25 s; small viewer "
                  + s
                  + ", large viewer "
                  + l
                  + ", publisher "
                  + publisher.run("return await VisioDemo.stats();"));
        }
        Thread.sleep(300);
      }
      assertThat(Chromium.inbound(s, "video", "frameWidth")).isBetween(1L, 320L);
      assertThat(Chromium.inbound(l, "video", "frameWidth")).isGreaterThan(320L);
    }
  }
}
