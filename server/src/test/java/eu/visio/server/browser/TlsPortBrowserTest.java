package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.server.ServerConfig;
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
 * A browser that reaches the server on the TLS port alone, as behind a network that lets only 443
 * out: livekit-client in headless Chromium loads the page over HTTPS (self-signed, development
 * certificate), signals over wss: on that port, and is offered only the TLS port's passive TCP
 * candidates. Both peer connections connect over ICE-TCP on the TLS port and video flows both ways.
 */
@Tag("browser")
class TlsPortBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server =
        VisioServer.start(
            TestServers.keyedConfig(2)
                .withTls(ServerConfig.Tls.selfSigned(0))
                .withIceTcp(IceTcp.on(0).onlyOnTheTlsPort()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aParticipantReachesEverythingThroughTheTlsPort() throws Exception {
    String origin = "https://127.0.0.1:" + server.tlsPort();
    String room = "tls-port";
    try (LiveKitPage ann =
            new LiveKitPage(origin, "ann", o -> o.addArguments("--ignore-certificate-errors"));
        LiveKitPage bob =
            new LiveKitPage(origin, "bob", o -> o.addArguments("--ignore-certificate-errors"))) {
      for (LiveKitPage p : List.of(ann, bob)) {
        p.recordPeerConnections();
        p.connect(
            "wss://127.0.0.1:" + server.tlsPort(),
            LiveKitBrowserTest.token(p.identity, room),
            LiveKitBrowserTest.options(false, ""));
      }
      bob.awaitState(s -> stat(s, "ann", "video", "framesDecoded") > 10, WAIT);
      ann.awaitState(s -> stat(s, "bob", "video", "framesDecoded") > 10, WAIT);

      for (LiveKitPage p : List.of(ann, bob)) {
        p.checkBothSelectedPairs(
            (local, remote) -> {
              assertThat(remote.get("protocol")).isEqualTo("tcp");
              assertThat(((Number) remote.get("port")).intValue()).isEqualTo(server.tlsPort());
            });
      }
      assertThat(server.drops().count(DropReason.TCP_BAD_FRAME)).isZero();
      assertThat(server.drops().count(DropReason.PORT_UNKNOWN_PROTOCOL)).isZero();
    }
  }
}
