package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Two associations over a lossy, reordering, delaying network on a virtual clock (issue 5's
 * acceptance): everything sent reliably arrives complete and, per ordered stream, in order;
 * partially reliable messages are dropped but never stall what follows.
 */
class AssociationNetworkTest {
  private static final long SECOND = 1_000_000_000L;

  /** A message that says which it is: stream, index, then bytes derived from both. */
  private static byte[] message(int stream, int index, int size) {
    ByteBuffer b = ByteBuffer.allocate(Math.max(8, size));
    b.putInt(stream).putInt(index);
    Random r = new Random(stream * 1_000_003L + index);
    while (b.hasRemaining()) {
      b.put((byte) r.nextInt());
    }
    return b.array();
  }

  @ParameterizedTest(name = "I-DATA {3}: loss {0}, delay {1} ms, jitter {2} ms")
  @CsvSource({
    "0.0, 5, 0, false",
    "0.02, 20, 20, false",
    "0.1, 40, 60, false",
    "0.0, 5, 0, true",
    "0.02, 20, 20, true",
    "0.1, 40, 60, true"
  })
  void tenThousandMessagesArriveCompleteAndInOrder(
      double loss, long delayMs, long jitterMs, boolean interleaving) {
    SctpSim sim = new SctpSim(42, true, interleaving).connect();
    sim.loss = loss;
    sim.delay = delayMs * 1_000_000L;
    sim.jitter = jitterMs * 1_000_000L;
    Random sizes = new Random(7);
    Map<Integer, Integer> sentPerStream = new HashMap<>();
    int total = 10_000;
    for (int i = 0; i < total; i++) {
      int stream = i % 3; // streams 0 and 1 ordered, 2 unordered
      // Mostly chat-sized, some spanning several packets (up to 20 KiB).
      int size = sizes.nextInt(10) == 0 ? 2_000 + sizes.nextInt(18_000) : 8 + sizes.nextInt(300);
      int index = sentPerStream.merge(stream, 1, Integer::sum) - 1;
      byte[] m = message(stream, index, size);
      sim.a.association.send(stream, 53, m, stream == 2, sim.now);
      if (i % 100 == 99) {
        sim.run(10_000_000L); // the application keeps writing while the network works
      }
    }
    boolean done = sim.runUntil(() -> sim.b.payloads.size() == total, 600 * SECOND);
    assertThat(done).as("all delivered; got %d", sim.b.payloads.size()).isTrue();
    if (loss > 0) {
      assertThat(sim.lost).as("the network did lose packets").isPositive();
    }
    Map<Integer, Integer> nextIndex = new HashMap<>();
    List<Integer> unordered = new ArrayList<>();
    for (byte[] got : sim.b.payloads) {
      ByteBuffer b = ByteBuffer.wrap(got);
      int stream = b.getInt();
      int index = b.getInt();
      assertThat(got).as("intact").isEqualTo(message(stream, index, got.length));
      if (stream == 2) {
        unordered.add(index);
      } else {
        int expected = nextIndex.getOrDefault(stream, 0);
        assertThat(index).as("stream %d in order", stream).isEqualTo(expected);
        nextIndex.put(stream, expected + 1);
      }
    }
    assertThat(unordered).as("every unordered message once").doesNotHaveDuplicates();
    assertThat(unordered).hasSize(sentPerStream.get(2));
  }

  /**
   * Partial reliability under 10 % loss: unretransmitted messages are lost for good, what arrives
   * is in order, and a reliable stream alongside delivers everything.
   */
  @ParameterizedTest(name = "seed {0}, I-DATA {1}")
  @CsvSource({"1, false", "2, false", "3, false", "1, true", "2, true", "3, true"})
  void partialReliabilityIsHonoured(long seed, boolean interleaving) {
    SctpSim sim = new SctpSim(seed, interleaving, true).connect();
    sim.loss = 0.1;
    sim.jitter = 10_000_000L;
    for (int i = 0; i < 2_000; i++) {
      sim.a.association.send(4, 53, message(4, i, 40), false, 0, -1, sim.now);
      if (i % 10 == 0) {
        sim.a.association.send(6, 53, message(6, i / 10, 40), false, sim.now);
      }
      sim.run(5_000_000L);
    }
    sim.a.association.send(4, 53, message(4, 2_000, 40), false, sim.now);
    sim.run(30 * SECOND);
    List<Integer> lossy = new ArrayList<>();
    List<Integer> reliable = new ArrayList<>();
    for (int i = 0; i < sim.b.payloads.size(); i++) {
      ByteBuffer b = ByteBuffer.wrap(sim.b.payloads.get(i));
      (b.getInt() == 4 ? lossy : reliable).add(b.getInt());
    }
    assertThat(reliable).as("reliable stream complete").hasSize(200).isSorted();
    assertThat(lossy).as("some lost for good").hasSizeLessThan(2_001).isSorted();
    assertThat(lossy).as("most arrive").hasSizeGreaterThan(1_500);
    assertThat(lossy).as("nothing stalls").endsWith(2_000);
  }
}
