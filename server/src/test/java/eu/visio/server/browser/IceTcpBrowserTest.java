package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.ServerConfig.IceTcp;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * livekit-client in headless Chromium joins a server that offers only passive TCP candidates (as if
 * UDP were blocked: the browser has no UDP pair to try), on {@code /rtc} with its two peer
 * connections: both connect over ICE-TCP and video published by one participant is decoded by the
 * other.
 */
@Tag("browser")
class IceTcpBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server =
        VisioServer.start(
            TestServers.keyedConfig(2).withIceTcp(IceTcp.on(0).withoutUdpCandidates()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aParticipantJoinsOverIceTcpAndVideoIsDecoded() throws Exception {
    String room = "ice-tcp";
    try (LiveKitPage ann = new LiveKitPage(server.httpPort(), "ann");
        LiveKitPage bob = new LiveKitPage(server.httpPort(), "bob")) {
      for (LiveKitPage p : List.of(ann, bob)) {
        p.recordPeerConnections();
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
              assertThat(local.get("protocol"))
                  .as(p.identity + " local %s", local)
                  .isEqualTo("tcp");
              assertThat(remote.get("protocol")).isEqualTo("tcp");
              assertThat(((Number) remote.get("port")).intValue()).isEqualTo(server.tcpPort());
            });
      }
      assertThat(server.drops().count(eu.visio.media.DropReason.TCP_BAD_FRAME)).isZero();
    }
  }
}
