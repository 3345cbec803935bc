package eu.visio.server.netns;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.turn.TurnCounters;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, scenario 2: a client whose network lets out only TCP to 443 loads the page, signals and
 * joins with livekit-client in Chromium, all through 443, next to a participant on an open network.
 * The server runs as in production ({@link LabServer}): HTTPS on 443, which also takes ICE-TCP and
 * TURN over TLS, and the TURN relays handed out on demand.
 *
 * <ul>
 *   <li>A server at a public address, behind a plain port filter: the passive TCP candidate on 443
 *       is reached, media goes straight to the SFU over ICE-TCP, and no relay is made.
 *   <li>The same behind a TLS-inspecting middlebox (only connections that open with a TLS handshake
 *       get through): nothing offered at join is reached. Three seconds on, the server asks the
 *       client to resume; the ReconnectResponse carries the relays, and the client's ICE restart
 *       ends on a relay over TLS on 443, well within livekit-client's connection timeout. Its next
 *       join gets the relays at once.
 *   <li>A server at a private address (an intranet) behind the port filter: Chromium refuses a
 *       remote candidate on port 443 at a private address (libwebrtc's {@code VerifyCandidate}), so
 *       only the relay over TLS on 443 can carry the meeting, and does.
 * </ul>
 */
@Tag("browser")
class Port443BrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(40);

  @Test
  void behindAPortFilterMediaTakesIceTcpOn443AndNoRelay() throws Exception {
    try (NetLab lab = NetLab.createPublic();
        VisioServer server = LabServer.start(lab)) {
      lab.firewall(Firewall.onlyTcp(443));
      String base = LabServer.base(lab, server);
      try (LabParticipant ann = LabParticipant.inLab(lab, LabServer.httpsBase(lab), "ann");
          LabParticipant bob = LabParticipant.onHost(base, "bob")) {
        ann.join(LabServer.secureSignal(lab), LabServer.token("ann", "port-443"));
        bob.join(LabServer.signal(lab, server), LabServer.token("bob", "port-443"));
        ann.awaitVideoFrom("bob", 10, WAIT);
        bob.awaitVideoFrom("ann", 10, WAIT);

        List<Map<?, ?>> pairs = ann.selectedCandidatePairs();
        assertThat(pairs).as("ann's publisher and subscriber connections").hasSize(2);
        for (Map<?, ?> pair : pairs) {
          Map<?, ?> local = (Map<?, ?>) pair.get("local");
          Map<?, ?> remote = (Map<?, ?>) pair.get("remote");
          // Chromium reports its active TCP end as peer-reflexive; what matters is no relay.
          assertThat(local.get("candidateType"))
              .as("%s under %s", pair, lab.ruleset())
              .isIn("host", "prflx");
          assertThat(local.get("protocol")).as("%s", pair).isEqualTo("tcp");
          assertThat(remote.get("protocol")).as("%s", pair).isEqualTo("tcp");
          assertThat(((Number) remote.get("port")).intValue()).as("%s", pair).isEqualTo(443);
        }
        assertThat(server.turn().server().counters().allocationsCreated())
            .as("relays made")
            .isZero();
        assertThat(server.rooms().stats().relaysOnDemand()).isZero();
      }
    }
  }

  @Test
  void behindATlsOnlyMiddleboxTheRelayOverTlsOn443CarriesTheMeeting() throws Exception {
    try (NetLab lab = NetLab.createPublic();
        VisioServer server = LabServer.start(lab)) {
      lab.firewall(Firewall.onlyTlsTo(443));
      String base = LabServer.base(lab, server);
      TurnCounters turn = server.turn().server().counters();
      try (LabParticipant ann = LabParticipant.inLab(lab, LabServer.httpsBase(lab), "ann");
          LabParticipant bob = LabParticipant.onHost(base, "bob")) {
        joinAndSeeEachOther(lab, server, ann, bob, "tls-only");
        assertRelayedOverTls(ann, lab);
        // Only ann was asked, once; bob, on an open network, never got the relays.
        assertThat(server.rooms().stats().relaysOnDemand()).isEqualTo(1);
        assertThat(turn.allocationsCreated()).isPositive();
        // Media keeps crossing the relay both ways (polled: ten frames may be fewer datagrams).
        long deadline = System.nanoTime() + WAIT.toNanos();
        while ((turn.packetsToPeers() <= 100 || turn.packetsToClients() <= 100)
            && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertThat(turn.packetsToPeers()).isGreaterThan(100);
        assertThat(turn.packetsToClients()).isGreaterThan(100);
        assertThat(bob.selectedCandidatePairs())
            .hasSize(2)
            .allSatisfy(
                p ->
                    assertThat(((Map<?, ?>) p.get("local")).get("candidateType"))
                        .isEqualTo("host"));

        // Her next join (a reload) gets the relays at once: she is not asked again.
        ann.close();
        try (LabParticipant again = LabParticipant.inLab(lab, LabServer.httpsBase(lab), "ann")) {
          again.join(LabServer.secureSignal(lab), LabServer.token("ann", "tls-only"));
          again.awaitVideoFrom("bob", 10, WAIT);
          assertRelayedOverTls(again, lab);
          assertThat(server.rooms().stats().relaysOnDemand()).isEqualTo(1);
        }
      }
    }
  }

  @Test
  void anIntranetServerBehindAPortFilterIsReachedThroughTheRelayOverTlsOn443() throws Exception {
    try (NetLab lab = NetLab.create();
        VisioServer server = LabServer.start(lab)) {
      lab.firewall(Firewall.onlyTcp(443));
      try (LabParticipant ann = LabParticipant.inLab(lab, LabServer.httpsBase(lab), "ann");
          LabParticipant bob = LabParticipant.onHost(LabServer.base(lab, server), "bob")) {
        joinAndSeeEachOther(lab, server, ann, bob, "intranet");
        assertRelayedOverTls(ann, lab);
        assertThat(server.rooms().stats().relaysOnDemand()).isEqualTo(1);
      }
    }
  }

  /** Bob joins from the host, then ann through 443 from the lab; each decodes the other's video. */
  private static void joinAndSeeEachOther(
      NetLab lab, VisioServer server, LabParticipant ann, LabParticipant bob, String room)
      throws InterruptedException {
    bob.join(LabServer.signal(lab, server), LabServer.token("bob", room));
    ann.join(LabServer.secureSignal(lab), LabServer.token("ann", room));
    ann.awaitVideoFrom("bob", 10, WAIT);
    bob.awaitVideoFrom("ann", 10, WAIT);
  }

  private static void assertRelayedOverTls(LabParticipant p, NetLab lab) {
    List<Map<?, ?>> pairs = p.selectedCandidatePairs();
    assertThat(pairs).as("%s's publisher and subscriber connections", p.identity).hasSize(2);
    for (Map<?, ?> pair : pairs) {
      Map<?, ?> local = (Map<?, ?>) pair.get("local");
      assertThat(local.get("candidateType"))
          .as("%s under %s", pair, lab.ruleset())
          .isEqualTo("relay");
      assertThat(local.get("relayProtocol")).as("%s", pair).isEqualTo("tls");
    }
  }
}
