package eu.visio.server.netns;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, scenario 3: a client in the lab namespace with nothing blocked joins with livekit-client
 * in Chromium, against the server as it runs in production (ICE-TCP and TURN too, {@link
 * LabServer}): both its peer connections choose UDP host candidates (they rank first), video is
 * decoded, and no TURN allocation is made: the relays are handed out only to a client that reaches
 * the SFU by no direct path, which this one does at once.
 */
@Tag("browser")
class OpenNetworkBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theJoinUsesUdpAndVideoIsDecoded() throws Exception {
    try (NetLab lab = NetLab.create();
        VisioServer server = LabServer.start(lab);
        LabParticipant ann = LabParticipant.inLab(lab, LabServer.base(lab, server), "ann");
        LabParticipant bob = LabParticipant.onHost(LabServer.base(lab, server), "bob")) {
      for (LabParticipant p : List.of(ann, bob)) {
        p.join(LabServer.signal(lab, server), LabServer.token(p.identity, "open"));
      }
      ann.awaitVideoFrom("bob", 10, WAIT);
      bob.awaitVideoFrom("ann", 10, WAIT);

      List<Map<?, ?>> pairs = ann.selectedCandidatePairs();
      assertThat(pairs).as("ann's publisher and subscriber connections").hasSize(2);
      for (Map<?, ?> pair : pairs) {
        Map<?, ?> remote = (Map<?, ?>) pair.get("remote");
        assertThat(((Map<?, ?>) pair.get("local")).get("protocol")).as("%s", pair).isEqualTo("udp");
        assertThat(remote.get("protocol")).isEqualTo("udp");
        assertThat(remote.get("candidateType")).isEqualTo("host");
        assertThat(((Number) remote.get("port")).intValue()).isEqualTo(server.udpPort());
      }
      assertThat(server.turn().server().counters().allocationsCreated()).as("relays made").isZero();
      assertThat(server.rooms().stats().relaysOnDemand()).isZero();
    }
  }
}
