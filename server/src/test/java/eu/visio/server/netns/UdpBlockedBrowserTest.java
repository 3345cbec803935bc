package eu.visio.server.netns;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropReason;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, scenario 1: a client whose network drops every UDP datagram to and from the server
 * (nftables in its namespace) joins with livekit-client in Chromium, next to a participant on an
 * open network. The server offers UDP and ICE-TCP candidates as in production; the locked-down
 * client's two peer connections both end on ICE-TCP (on its own port, which ranks above the TLS
 * port's), and video crosses both ways, with no relay made.
 */
@Tag("browser")
class UdpBlockedBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theJoinSucceedsOverIceTcpAndVideoIsDecoded() throws Exception {
    try (NetLab lab = NetLab.create();
        VisioServer server = LabServer.start(lab)) {
      lab.firewall(Firewall.noUdp());
      String base = LabServer.base(lab, server);
      try (LabParticipant ann = LabParticipant.inLab(lab, base, "ann");
          LabParticipant bob = LabParticipant.onHost(base, "bob")) {
        for (LabParticipant p : List.of(ann, bob)) {
          p.join(LabServer.signal(lab, server), LabServer.token(p.identity, "udp-blocked"));
        }
        ann.awaitVideoFrom("bob", 10, WAIT);
        bob.awaitVideoFrom("ann", 10, WAIT);

        List<Map<?, ?>> pairs = ann.selectedCandidatePairs();
        assertThat(pairs).as("ann's publisher and subscriber connections").hasSize(2);
        for (Map<?, ?> pair : pairs) {
          Map<?, ?> remote = (Map<?, ?>) pair.get("remote");
          assertThat(((Map<?, ?>) pair.get("local")).get("protocol"))
              .as("ann's pair %s under %s", pair, lab.ruleset())
              .isEqualTo("tcp");
          assertThat(remote.get("protocol")).isEqualTo("tcp");
          assertThat(((Number) remote.get("port")).intValue()).isEqualTo(server.tcpPort());
        }
        // The other participant shows UDP was on offer: only the locked-down client fell back.
        assertThat(bob.selectedCandidatePairs())
            .hasSize(2)
            .allSatisfy(
                p -> assertThat(((Map<?, ?>) p.get("local")).get("protocol")).isEqualTo("udp"));
        assertThat(server.drops().count(DropReason.TCP_BAD_FRAME)).isZero();
        // ICE-TCP was reached at once: the relays were never needed, nor handed out.
        assertThat(server.turn().server().counters().allocationsCreated()).isZero();
        assertThat(server.rooms().stats().relaysOnDemand()).isZero();
      }
    }
  }
}
