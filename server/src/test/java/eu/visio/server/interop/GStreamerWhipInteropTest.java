package eu.visio.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.server.browser.Chromium;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Independent WebRTC stacks against our WHIP and WHEP endpoints. The publisher is GStreamer's
 * webrtcbin (libnice ICE, OpenSSL DTLS, libsrtp) driven by a small WHIP client script; the viewers
 * are headless Chromium and aiortc (aioice, pyOpenSSL DTLS, libsrtp, PyAV decoders). Debian
 * bookworm's simple-whip-client wraps the same webrtcbin but aborts at start (it links libsoup 2
 * while libnice pulls in libsoup 3), so a script stands in for it.
 */
@Tag("interop")
class GStreamerWhipInteropTest {

  private static PythonPeers.Peer publish(VisioServer server, String stream) throws Exception {
    String url = "http://127.0.0.1:" + server.httpPort() + "/whip/" + stream;
    PythonPeers.Peer publisher = PythonPeers.start("gst_whip_publish.py", url, "60", "127.0.0.1");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!publisher
        .output()
        .contains("connection state: <enum GST_WEBRTC_PEER_CONNECTION_STATE_CONNECTED")) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("GStreamer did not connect:\n" + publisher.output());
      }
      Thread.sleep(200);
    }
    return publisher;
  }

  /** A number from the script's one-line JSON summary. */
  private static long field(String json, String name) {
    var m = java.util.regex.Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
    assertThat(m.find()).as("%s in %s", name, json).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void chromiumPlaysWhatGStreamerPublishes() throws Exception {
    assertThat(new File(PythonPeers.PYTHON).canExecute()).isTrue();
    try (VisioServer server = TestServers.loopback();
        PythonPeers.Peer publisher = publish(server, "gst");
        Chromium viewer = new Chromium()) {
      viewer.open("http://127.0.0.1:" + server.httpPort() + "/whep.html");
      viewer.run("return await VisioDemo.play('gst');");
      Object stats =
          viewer.await(
              "return await VisioDemo.stats();",
              s ->
                  Chromium.inbound(s, "video", "framesDecoded") > 20
                      && Chromium.inbound(s, "audio", "packetsReceived") > 50,
              Duration.ofSeconds(30));
      assertThat(Chromium.inbound(stats, "video", "frameWidth")).isEqualTo(320);
    }
  }

  @Test
  void aiortcPlaysWhatGStreamerPublishes() throws Exception {
    try (VisioServer server = TestServers.loopback();
        PythonPeers.Peer publisher = publish(server, "gst2");
        PythonPeers.Peer viewer =
            PythonPeers.start(
                "aiortc_whep_play.py",
                "http://127.0.0.1:" + server.httpPort() + "/whep/gst2",
                "6")) {
      String out = viewer.await(40);
      String last = out.strip().lines().reduce((a, b) -> b).orElse("");
      assertThat(last).as("aiortc output:\n%s", out).startsWith("{");
      // 6 s of 30 fps video and 50 packets/s of audio: allow for the start-up.
      assertThat(field(last, "video_frames")).isGreaterThan(60);
      assertThat(field(last, "width")).isEqualTo(320);
      assertThat(field(last, "height")).isEqualTo(240);
      assertThat(field(last, "audio_frames")).isGreaterThan(100);
    }
  }
}
