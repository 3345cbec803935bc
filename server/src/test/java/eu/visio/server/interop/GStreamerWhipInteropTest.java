package eu.visio.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.server.browser.Chromium;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An independent WebRTC stack publishes: GStreamer's webrtcbin (libnice ICE, OpenSSL DTLS,
 * libsrtp), driven by a small WHIP client script, sends VP8 and Opus to our WHIP endpoint, and
 * headless Chromium plays the stream over WHEP. (Debian bookworm's simple-whip-client wraps the
 * same webrtcbin but aborts at start: it links libsoup 2 while libnice pulls in libsoup 3.)
 */
@Tag("interop")
class GStreamerWhipInteropTest {
  /** Debian's Python, which has the GStreamer introspection bindings (python3-gi). */
  static final String PYTHON = "/usr/bin/python3";

  @Test
  void chromiumPlaysWhatGStreamerPublishes() throws Exception {
    assertThat(new File(PYTHON).canExecute()).as("Debian python3 is installed by ./test").isTrue();
    try (VisioServer server = TestServers.loopback()) {
      String base = "http://127.0.0.1:" + server.httpPort();
      Path log = Files.createTempFile("whip-client", ".log");
      Path script = Files.createTempFile("gst_whip_publish", ".py");
      try (var in =
          GStreamerWhipInteropTest.class.getResourceAsStream("/interop/gst_whip_publish.py")) {
        Files.write(script, in.readAllBytes());
      }
      Process client =
          new ProcessBuilder(PYTHON, script.toString(), base + "/whip/gst", "60", "127.0.0.1")
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try (Chromium viewer = new Chromium()) {
        viewer.open(base + "/whep.html");
        // The publisher needs a moment to negotiate; WHEP answers 404 until it has.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
          try {
            viewer.run("return await VisioDemo.play('gst');");
            break;
          } catch (IllegalStateException e) {
            if (System.nanoTime() > deadline || !e.getMessage().contains("404")) {
              throw new AssertionError(
                  "WHEP play failed; the GStreamer publisher said:\n" + Files.readString(log), e);
            }
            viewer.run("await VisioDemo.stop(); return true;");
            Thread.sleep(500);
          }
        }
        Object stats =
            viewer.await(
                "return await VisioDemo.stats();",
                s ->
                    Chromium.inbound(s, "video", "framesDecoded") > 20
                        && Chromium.inbound(s, "audio", "packetsReceived") > 50,
                Duration.ofSeconds(30));
        assertThat(Chromium.inbound(stats, "video", "frameWidth")).isEqualTo(320);
      } finally {
        client.destroy();
        if (!client.waitFor(5, TimeUnit.SECONDS)) {
          client.destroyForcibly();
        }
        Files.deleteIfExists(log);
        Files.deleteIfExists(script);
      }
    }
  }
}
