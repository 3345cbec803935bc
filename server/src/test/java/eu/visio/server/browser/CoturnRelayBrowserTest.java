package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.visio.media.turn.TurnCredentials;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interop: Debian's coturn as the browser's only TURN server, with relay policy. The browser's
 * relayed candidates reach our ICE-lite SFU through coturn (our side sees checks from coturn's
 * relay address, a peer-reflexive candidate to it), and video is decoded both ways.
 */
@Tag("browser")
@Tag("interop")
class CoturnRelayBrowserTest {
  private static final Path TURNSERVER = Path.of("/usr/bin/turnserver");
  private static final String SECRET = "coturn-interop-secret-0123456789abcdef";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theBrowserReachesOurSfuThroughCoturn(@TempDir Path dir) throws Exception {
    assumeTrue(
        Files.isExecutable(TURNSERVER),
        "coturn's turnserver is not installed (./test installs the coturn package)");
    int port = freePort();
    Path conf = dir.resolve("turnserver.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "listening-port=" + port,
            "use-auth-secret",
            "static-auth-secret=" + SECRET,
            "realm=visio.test",
            "fingerprint",
            "userdb=" + dir.resolve("turndb"),
            "pidfile=" + dir.resolve("turnserver.pid"),
            "log-file=stdout",
            "simple-log",
            ""));
    Process coturn =
        new ProcessBuilder(
                TURNSERVER.toString(),
                "-c",
                conf.toString(),
                "--listening-ip",
                "127.0.0.1",
                "--relay-ip",
                "127.0.0.1",
                "--allow-loopback-peers",
                "--no-cli",
                "--no-tls",
                "--no-dtls")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("coturn.log").toFile())
            .start();
    try (VisioServer server = TestServers.withKeys()) {
      awaitListening(port, coturn, dir.resolve("coturn.log"));
      TurnCredentials credentials = new TurnCredentials(SECRET, Clock.systemUTC());
      String room = "coturn";
      try (LiveKitPage ann = new LiveKitPage(server.httpPort(), "ann");
          LiveKitPage bob = new LiveKitPage(server.httpPort(), "bob")) {
        for (LiveKitPage p : List.of(ann, bob)) {
          TurnCredentials.Credential c = credentials.issue(p.identity, Duration.ofHours(1));
          p.recordPeerConnections();
          // coturn only, whatever the server handed out (nothing: our TURN is off here).
          p.forceRelay(
              "return [{urls: ['turn:127.0.0.1:%d?transport=udp'], username: '%s', credential: '%s'}];"
                  .formatted(port, c.username(), c.password()));
          p.connect(
              server.httpPort(),
              LiveKitBrowserTest.token(p.identity, room),
              LiveKitBrowserTest.options(false, ""));
        }
        bob.awaitState(s -> stat(s, "ann", "video", "framesDecoded") > 10, WAIT);
        ann.awaitState(s -> stat(s, "bob", "video", "framesDecoded") > 10, WAIT);
        for (LiveKitPage p : List.of(ann, bob)) {
          p.checkBothSelectedPairs(
              (local, remote) -> {
                assertThat(local.get("candidateType")).as("%s", local).isEqualTo("relay");
                assertThat((String) local.get("url")).as("%s", local).contains(":" + port);
              });
        }
      }
    } finally {
      coturn.destroy();
      if (!coturn.waitFor(5, TimeUnit.SECONDS)) {
        coturn.destroyForcibly();
      }
    }
  }

  /** Waits (with a deadline) until coturn accepts TCP on its port, i.e. it has started. */
  private static void awaitListening(int port, Process coturn, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!coturn.isAlive()) {
        throw new AssertionError("coturn exited: " + Files.readString(log));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("coturn did not start listening: " + Files.readString(log));
  }

  private static int freePort() throws IOException {
    // Free for both: coturn listens on UDP and TCP on the same port.
    for (int i = 0; i < 20; i++) {
      try (java.net.ServerSocket tcp = new java.net.ServerSocket(0);
          java.net.DatagramSocket udp = new java.net.DatagramSocket(tcp.getLocalPort())) {
        return tcp.getLocalPort();
      } catch (java.net.SocketException e) {
        // taken on UDP: another
      }
    }
    throw new IOException("no port free on both UDP and TCP");
  }
}
