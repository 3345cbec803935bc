package eu.visio.sfu.nack;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtp.ExtendedSequence;
import eu.visio.media.rtp.SequenceNumbers;
import java.util.HashSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random arrival orders (loss, reordering, duplicates, wraps, jumps) never make the generator
 * throw, and everything it NACKs is really missing at that moment.
 */
class NackGeneratorFuzzTest {
  private static final long MS = 1_000_000L;

  @Property(tries = 500)
  void nacksOnlyReallyMissingNumbers(
      @ForAll("steps") int[] steps,
      @ForAll @IntRange(min = 0, max = 65535) int start,
      @ForAll @IntRange(min = 1, max = 300) int rttMs,
      @ForAll @IntRange(min = 4, max = 8) int capacityLog2) {
    int capacity = 1 << capacityLog2;
    NackGenerator g =
        new NackGenerator(
            new NackGenerator.Config(capacity, 5 * MS, 3, 10 * MS, 5, 1000 * MS, 3000));
    g.setRttNanos(rttMs * MS);
    ExtendedSequence unwrap = new ExtendedSequence();
    Set<Long> received = new HashSet<>();
    int[] out = new int[32];
    int seq = start;
    long now = 0;
    for (int i = 0; i + 1 < steps.length; i += 2) {
      seq = (seq + steps[i]) & 0xFFFF;
      now += Math.floorMod(steps[i + 1], 20) * MS;
      long jumps = g.jumps();
      long ext = unwrap.update(seq);
      boolean ignored = false;
      if ((steps[i + 1] & 31) == 7) {
        // A retransmission beyond the jump limit is a nonsense OSN: ignored by design (no reset),
        // so it is not a number the generator has seen.
        ignored = i > 0 && Math.abs(ext - g.highest()) > 3000; // the first packet starts it
        g.onRtx(ext, now);
      } else {
        g.onPacket(ext, now);
      }
      if (g.jumps() != jumps) {
        received.clear(); // a new incarnation of the stream: old numbers may be reused
      }
      if (!ignored) {
        received.add(ext);
      }
      if ((steps[i + 1] & 3) == 0) {
        int n = g.collect(now, out);
        assertThat(n).isBetween(0, out.length);
        long prev = Long.MIN_VALUE;
        for (int k = 0; k < n; k++) {
          long nacked =
              g.highest() + SequenceNumbers.diff(out[k], (int) g.highest()); // nearest the highest
          assertThat(received).as("NACKed %d", nacked).doesNotContain(nacked);
          assertThat(nacked).isLessThan(g.highest());
          assertThat(nacked).as("ascending").isGreaterThan(prev);
          prev = nacked;
        }
      }
      assertThat(g.missing()).isBetween(0, capacity);
    }
  }

  @Provide
  Arbitrary<int[]> steps() {
    Arbitrary<Integer> delta =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(70, Arbitraries.just(1)),
            net.jqwik.api.Tuple.of(15, Arbitraries.integers().between(-30, 40)),
            net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(-70_000, 70_000)),
            net.jqwik.api.Tuple.of(12, Arbitraries.integers().between(0, 255)));
    return delta.array(int[].class).ofMinSize(2).ofMaxSize(600);
  }
}
