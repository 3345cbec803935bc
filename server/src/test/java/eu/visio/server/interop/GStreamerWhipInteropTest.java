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
 * An independent WebRTC stack publishes: Debian's simple-whip-client (GStreamer webrtcbin, libnice,
 * OpenSSL DTLS) sends VP8 and Opus to our WHIP endpoint, and headless Chromium plays the stream
 * over WHEP.
 */
@Tag("interop")
class GStreamerWhipInteropTest {
  static final String WHIP_CLIENT = "/usr/bin/whip-client";

  @Test
  void chromiumPlaysWhatGStreamerPublishes() throws Exception {
    assertThat(new File(WHIP_CLIENT).canExecute())
        .as("simple-whip-client is installed by ./test")
        .isTrue();
    try (VisioServer server = TestServers.loopback()) {
      String base = "http://127.0.0.1:" + server.httpPort();
      Path log = Files.createTempFile("whip-client", ".log");
      Process client =
          new ProcessBuilder(
                  WHIP_CLIENT,
                  "-u",
                  base + "/whip/gst",
                  "-n",
                  "-V",
                  "videotestsrc is-live=true pattern=ball ! video/x-raw,width=320,height=240,framerate=30/1"
                      + " ! videoconvert ! queue ! vp8enc deadline=1 keyframe-max-dist=30"
                      + " ! rtpvp8pay pt=96 ssrc=11 ! queue"
                      + " ! application/x-rtp,media=video,encoding-name=VP8,payload=96",
                  "-A",
                  "audiotestsrc is-live=true wave=red-noise ! audioconvert ! audioresample"
                      + " ! queue ! opusenc ! rtpopuspay pt=111 ssrc=22 ! queue"
                      + " ! application/x-rtp,media=audio,encoding-name=OPUS,payload=111")
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
                  "WHEP play failed; whip-client said:\n" + Files.readString(log), e);
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
      }
    }
  }
}
