package eu.visio.sfu.alloc;

import static eu.visio.sfu.alloc.StreamAllocator.NONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import eu.visio.sfu.alloc.StreamAllocator.Source;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The three parts together on a virtual clock: publishers send simulcast packets every 10 ms (only
 * the encodings their {@link LayersNeeded} asks for, as a browser obeying dynacast would), the SFU
 * measures them with {@link LayerBitrates}, and one subscriber's {@link StreamAllocator} runs every
 * 100 ms on an estimate that follows a script.
 *
 * <p>Each publisher's own layer rates (kbit/s): s0 40/20/20, s1 100/60/60, s2 400/200/200, so a
 * subscriber needs 40/60/80, 100/160/220 and 400/600/800 for s0..s2 t0..t2.
 */
class AllocationScenarioTest {
  private static final long MS = 1_000_000L;
  private static final int[][] OWN_KBPS = {{40, 20, 20}, {100, 60, 60}, {400, 200, 200}};

  /** A simulcast publisher and what the SFU keeps for its track. */
  private static final class SimPublisher {
    final LayerBitrates rates = new LayerBitrates(3, false);
    final LayersNeeded needed;

    SimPublisher(String id) {
      needed = new LayersNeeded(id, 3);
      for (int s = 0; s < 3; s++) {
        rates.setSize(s, 1280 >> (2 - s), 720 >> (2 - s));
      }
    }

    void send(long now) {
      for (int s = 0; s <= needed.maxSpatial(); s++) {
        for (int t = 0; t < 3; t++) {
          rates.onPacket(s, t, OWN_KBPS[s][t] * 5 / 4, now);
        }
      }
    }
  }

  private final Events events = new Events();
  private final StreamAllocator alloc = new StreamAllocator("sub", events);
  private final SimPublisher pubA = new SimPublisher("A");
  private final SimPublisher pubB = new SimPublisher("B");
  private final List<String> log = new ArrayList<>();
  private long now = 42_000 * MS;
  private final long start = now;

  /** Runs for {@code millis} with the estimate given by {@code estimate(elapsed ms)}. */
  private void run(long millis, LongUnaryOperator estimate, int a, int b) {
    long end = now + millis * MS;
    while (now < end) {
      pubA.send(now);
      pubB.send(now);
      if ((now - start) % (100 * MS) == 0) {
        pubA.needed.set("sub", alloc.preferredSpatial(a));
        pubB.needed.set("sub", alloc.preferredSpatial(b));
        pubA.needed.poll(now);
        pubB.needed.poll(now);
        events.clear();
        alloc.allocate(estimate.applyAsLong((now - start) / MS), now);
        for (Events.State e : events.states) {
          log.add(
              (e.handle() == a ? "A" : "B")
                  + (e.active() ? " active@" : " paused@")
                  + (now - start) / MS);
        }
      }
      now += 10 * MS;
    }
  }

  private static LongUnaryOperator kbps(long kbps) {
    return ms -> kbps * 1000;
  }

  private String layer(int h) {
    int s = alloc.targetSpatial(h);
    return s == NONE
        ? (alloc.paused(h) ? "paused" : "none")
        : "s" + s + "t" + alloc.targetTemporal(h);
  }

  @Test
  void startsAtOnceSettlesOnMeasuredRatesPausesAndResumes() {
    int a = alloc.add("A", Source.CAMERA, pubA.rates);
    int b = alloc.add("B", Source.CAMERA, pubB.rates);
    alloc.setPreferences(b, 320, 180, 0, false); // B in a thumbnail

    run(100, kbps(2000), a, b);
    assertThat(List.of(layer(a), layer(b)))
        .as("not measured: asked layers at once")
        .containsExactly("s2t2", "s0t2");

    run(4_900, kbps(2000), a, b);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s2t2", "s0t2");
    // 800 + 80, measured: the packets sent at the very allocation instant add about 1%.
    assertThat(alloc.allocatedBps()).isCloseTo(880_000, within(10_000L));
    assertThat(pubB.needed.maxSpatial()).as("dynacast: B encodes only s0").isZero();
    assertThat(pubB.rates.available(2, now)).isFalse();
    assertThat(pubA.needed.maxSpatial()).isEqualTo(2);

    // Congestion: 65 kbit/s holds A's s0 (40) and one more step (60), not B too.
    run(5_000, kbps(65), a, b);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t1", "paused");
    assertThat(pubA.needed.maxSpatial()).as("bandwidth does not stop A's layers").isEqualTo(2);

    // A jittery estimate just under B's resume threshold (2 x 40 + 20 margin = 100) changes
    // nothing.
    run(5_000, ms -> (ms / 100 % 2 == 0 ? 95 : 70) * 1000L, a, b);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s0t1", "paused");

    run(5_000, kbps(2000), a, b);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s2t2", "s0t2");
    assertThat(log).containsExactly("B paused@5000", "B active@15000");
  }

  @Test
  void aTrackEnabledAgainAfterDynacastStoppedItStartsAtOnce() {
    int a = alloc.add("A", Source.CAMERA, pubA.rates);
    int b = alloc.add("B", Source.CAMERA, pubB.rates);
    run(2_000, kbps(3000), a, b);
    alloc.setPreferences(b, 0, 0, 0, true);
    run(5_000, kbps(3000), a, b);
    assertThat(pubB.needed.maxSpatial()).as("nobody wants B: its publisher stops").isEqualTo(NONE);
    assertThat(pubB.rates.available(0, now)).isFalse();

    alloc.setPreferences(b, 640, 360, 0, false);
    run(100, kbps(3000), a, b);
    assertThat(layer(b)).as("before any measurement").isEqualTo("s1t2");
    assertThat(pubB.needed.maxSpatial()).isEqualTo(1);
    run(2_000, kbps(3000), a, b);
    assertThat(List.of(layer(a), layer(b))).containsExactly("s2t2", "s1t2");
    assertThat(log).isEmpty();
  }

  @Test
  void steadyAllocationAllocatesNothing() {
    int a = alloc.add("A", Source.CAMERA, pubA.rates);
    int b = alloc.add("B", Source.SCREEN, pubB.rates);
    int mic = alloc.add("mic", Source.AUDIO, null);
    alloc.setSpeaker(a, true);
    run(3_000, kbps(700), a, b);
    assertThat(alloc.targetSpatial(mic)).isZero();
    long before = allocatedBytes();
    long sum = 0;
    for (int i = 0; i < 20_000; i++) {
      alloc.allocate(700_000 + (i % 2) * 10_000, now);
      sum += alloc.desiredBps(now);
    }
    long allocated = allocatedBytes() - before;
    assertThat(sum).isPositive();
    assertThat(allocated).as("bytes allocated by 20,000 allocations").isLessThan(4096);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
