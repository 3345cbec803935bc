package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.turn.TurnCounters;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * livekit-client in headless Chromium with {@code iceTransportPolicy: 'relay'}: every candidate it
 * may use is a relay on our embedded TURN server, with the credentials the JoinResponse carried.
 * Both participants connect, the selected pairs are relayed, video is decoded both ways, and the
 * TURN server counts the allocations and the datagrams it relayed; a resumed signalling connection
 * (new credentials in the ReconnectResponse) keeps it going. Then the same with the {@code turns:}
 * URL alone: TURN over TLS on the TLS port (self-signed certificate, which Chromium accepts for
 * TURN only with {@code --ignore-certificate-errors}).
 */
@Tag("browser")
class TurnRelayBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server =
        VisioServer.start(
            TestServers.keyedConfig(2)
                .withTls(ServerConfig.Tls.selfSigned(0))
                .withTurn(ServerConfig.Turn.on(0).toEveryone()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void withRelayPolicyMediaFlowsThroughOurTurnServer() throws Exception {
    // Every URL handed out (UDP, TCP, TLS): Chromium picks among the relays it got.
    TurnCounters c = server.turn().server().counters();
    long allocations = c.allocationsCreated();
    long toPeers = c.packetsToPeers();
    long toClients = c.packetsToClients();
    joinRelayedAndSeeEachOther(
        "relay-all", "return given;", List.of("udp", "tcp", "tls"), o -> {}, true);
    // Two peer connections each: four allocations at least; media both ways through them.
    assertThat(c.allocationsCreated()).isGreaterThanOrEqualTo(allocations + 4);
    assertThat(c.packetsToPeers()).isGreaterThan(toPeers + 100);
    assertThat(c.packetsToClients()).isGreaterThan(toClients + 100);
  }

  @Test
  void turnOverTlsOnTheTlsPortAloneCarriesTheMeeting() throws Exception {
    long allocations = server.turn().server().counters().allocationsCreated();
    // Only turns:127.0.0.1:<TLS port>. Chromium verifies a TURN server's certificate as it does
    // an HTTPS one (tried: with the self-signed certificate and no flag, ICE fails and the join
    // times out), so this browser is told to accept it, as TlsPortBrowserTest's are.
    joinRelayedAndSeeEachOther(
        "relay-tls",
        "return given.map(s => ({...s, urls: [].concat(s.urls).filter(u =>"
            + " u.startsWith('turns:'))})).filter(s => s.urls.length > 0);",
        List.of("tls"),
        o -> o.addArguments("--ignore-certificate-errors"),
        false);
    assertThat(server.turn().server().counters().allocationsCreated())
        .isGreaterThanOrEqualTo(allocations + 4);
  }

  private static void joinRelayedAndSeeEachOther(
      String room,
      String pick,
      List<String> relayProtocols,
      java.util.function.Consumer<org.openqa.selenium.chrome.ChromeOptions> tune,
      boolean resume)
      throws Exception {
    String origin = "http://127.0.0.1:" + server.httpPort();
    try (LiveKitPage ann = new LiveKitPage(origin, "ann", tune);
        LiveKitPage bob = new LiveKitPage(origin, "bob", tune)) {
      for (LiveKitPage p : List.of(ann, bob)) {
        p.recordPeerConnections();
        p.forceRelay(pick);
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
              assertThat(local.get("candidateType"))
                  .as(p.identity + " %s", local)
                  .isEqualTo("relay");
              assertThat((String) local.get("relayProtocol"))
                  .as(p.identity + " %s", local)
                  .isIn(relayProtocols);
            });
      }
      if (resume) {
        // The signalling drops and resumes: the ReconnectResponse carries fresh credentials
        // (livekit-client sets them on its connections, which restart ICE), and video goes on
        // through the relays.
        long before = stat(bob.state(), "ann", "video", "framesDecoded");
        ann.killSignal();
        ann.awaitState(s -> LiveKitPage.events(s).contains("reconnected"), WAIT);
        bob.awaitState(s -> stat(s, "ann", "video", "framesDecoded") > before + 30, WAIT);
        for (Map<?, ?> local : ann.selectedLocalCandidates()) {
          assertThat(local.get("candidateType")).as("%s", local).isEqualTo("relay");
        }
      }
    }
  }
}
