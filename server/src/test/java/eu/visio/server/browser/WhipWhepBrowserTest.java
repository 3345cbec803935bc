package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Headless Chromium publishes its fake camera and microphone over WHIP; a second Chromium plays
 * them over WHEP and must decode video frames and receive audio.
 */
@Tag("browser")
class WhipWhepBrowserTest {
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

  @Test
  void viewerDecodesWhatPublisherSends() throws Exception {
    try (Chromium publisher = new Chromium();
        Chromium viewer = new Chromium()) {
      publisher.open(page("whip.html"));
      Object location =
          publisher.run(
              "return await VisioDemo.publish('cam', {video: {width: 640, height: 360}});");
      assertThat((String) location).matches("http://127\\.0\\.0\\.1:\\d+/whip/cam/[0-9a-f]{24}");
      publisher.await(
          "return await VisioDemo.stats();",
          s -> "connected".equals(((Map<?, ?>) s).get("connectionState")),
          Duration.ofSeconds(20));

      viewer.open(page("whep.html"));
      viewer.run("return await VisioDemo.play('cam');");
      Object stats;
      try {
        stats =
            viewer.await(
                "return await VisioDemo.stats();",
                s ->
                    Chromium.inbound(s, "video", "framesDecoded") > 30
                        && Chromium.inbound(s, "audio", "packetsReceived") > 50,
                Duration.ofSeconds(30));
      } catch (AssertionError e) {
        java.nio.file.Files.writeString(
            java.nio.file.Path.of("target/whep-viewer-stats.json"),
            (String) viewer.run("return await VisioDemo.rawStats();"));
        throw e;
      }
      assertThat(Chromium.inbound(stats, "video", "frameWidth")).isEqualTo(640);
      assertThat(server.drops().count(DropReason.SRTP_AUTH_FAILED)).isZero();

      // Ending the viewer over HTTP DELETE frees its session on the server.
      int before = server.whip().activeSessions();
      viewer.run("await VisioDemo.stop(); return true;");
      assertThat(server.whip().activeSessions()).isEqualTo(before - 1);
    }
  }
}
