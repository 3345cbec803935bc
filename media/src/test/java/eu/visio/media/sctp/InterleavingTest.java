package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** I-DATA (RFC 8260): used only when both ends offer it, and then large messages do not block. */
class InterleavingTest {
  private static final long SECOND = 1_000_000_000L;

  @ParameterizedTest(name = "a offers {0}, b offers {1}: I-DATA {2}")
  @CsvSource({
    "true, true, true",
    "true, false, false",
    "false, true, false",
    "false, false, false"
  })
  void iDataIsUsedOnlyWhenBothOfferIt(boolean a, boolean b, boolean used) throws Exception {
    SctpSim sim = new SctpSim(1, a, b).connect();
    List<Integer> types = new ArrayList<>();
    sim.drop =
        p -> {
          try {
            SctpPacket.parse(p, 0, p.length).chunks().forEach(c -> types.add(c.type()));
          } catch (SctpParseException e) {
            throw new AssertionError(e);
          }
          return false;
        };
    sim.a.association.send(1, 51, "hello".getBytes(), false, sim.now);
    sim.b.association.send(1, 51, "back".getBytes(), true, sim.now);
    sim.run(SECOND);
    assertThat(sim.b.events).containsExactly("1:hello");
    assertThat(sim.a.events).containsExactly("1:back");
    assertThat(types).contains(used ? Chunk.I_DATA : Chunk.DATA);
    assertThat(types).doesNotContain(used ? Chunk.DATA : Chunk.I_DATA);
  }

  /**
   * A 256 KiB message on one stream and a chat line on another sent just after: with I-DATA the
   * chat line arrives long before the large message is complete; with DATA it waits behind it.
   */
  @ParameterizedTest(name = "I-DATA {0}")
  @CsvSource({"true", "false"})
  void aLargeMessageDoesNotHoldUpAnotherStream(boolean interleaving) {
    SctpSim sim = new SctpSim(2, interleaving, interleaving).connect();
    sim.delay = 20_000_000L;
    byte[] large = new byte[256 * 1024];
    sim.a.association.send(1, 53, large, false, sim.now);
    sim.a.association.send(2, 51, "chat".getBytes(), false, sim.now);
    sim.runUntil(() -> sim.b.events.size() == 2, 30 * SECOND);
    if (interleaving) {
      assertThat(sim.b.events).containsExactly("2:chat", "1:262144 bytes");
    } else {
      assertThat(sim.b.events).containsExactly("1:262144 bytes", "2:chat");
    }
    assertThat(sim.b.payloads.get(interleaving ? 1 : 0)).isEqualTo(large);
  }
}
