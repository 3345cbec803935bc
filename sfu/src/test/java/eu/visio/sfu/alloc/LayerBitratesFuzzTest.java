package eu.visio.sfu.alloc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Layer ids and sizes come from publishers' packets: whatever they claim, and however the clock
 * steps (backwards included), counting never throws and the rates stay consistent.
 */
class LayerBitratesFuzzTest {
  /** One packet: ids, size, and the clock step before it. */
  record Packet(int spatial, int temporal, int bytes, long stepNanos) {}

  @Provide
  Arbitrary<Packet> packets() {
    return Combinators.combine(
            Arbitraries.oneOf(Arbitraries.integers().between(-2, 5), Arbitraries.integers()),
            Arbitraries.oneOf(Arbitraries.integers().between(-2, 8), Arbitraries.integers()),
            Arbitraries.oneOf(Arbitraries.integers().between(-10, 1_500), Arbitraries.integers()),
            Arbitraries.oneOf(
                Arbitraries.longs().between(0, 30_000_000L),
                Arbitraries.longs().between(-200_000_000L, 3_000_000_000L)))
        .as(Packet::new);
  }

  @Property(tries = 1000)
  void ratesStayConsistentWhateverArrives(
      @ForAll("packetLists") List<Packet> packets,
      @ForAll boolean cumulative,
      @ForAll long origin) {
    LayerBitrates lb = new LayerBitrates(3, cumulative);
    long now = origin >> 4; // far from the ends of the long range, as a monotonic clock is
    long latest = now;
    for (Packet p : packets) {
      now += p.stepNanos();
      latest = Math.max(latest, now);
      lb.onPacket(p.spatial(), p.temporal(), p.bytes(), now);
      check(lb, now, cumulative);
    }
    check(lb, latest + 500_000_000L, cumulative);
    check(lb, latest + 2_000_000_000L, cumulative);
    for (int s = 0; s < LayerBitrates.MAX_LAYERS; s++) {
      assertThat(lb.bitrate(s, 3, latest + 1_000_000_000L))
          .as("gone a window after the last packet")
          .isZero();
    }
  }

  @Provide
  Arbitrary<List<Packet>> packetLists() {
    return packets().list().ofMaxSize(400);
  }

  private static void check(LayerBitrates lb, long now, boolean cumulative) {
    assertThat(lb.spatialCount()).isBetween(3, LayerBitrates.MAX_LAYERS);
    assertThat(lb.temporalCount()).isBetween(0, LayerBitrates.MAX_LAYERS);
    for (int s = 0; s < LayerBitrates.MAX_LAYERS; s++) {
      long previous = 0;
      for (int t = 0; t < LayerBitrates.MAX_LAYERS; t++) {
        long rate = lb.bitrate(s, t, now);
        assertThat(rate)
            .as("s%dt%d cumulative over temporal layers", s, t)
            .isGreaterThanOrEqualTo(previous);
        if (cumulative && s > 0) {
          assertThat(rate)
              .as("svc s%dt%d includes s%d", s, t, s - 1)
              .isGreaterThanOrEqualTo(lb.bitrate(s - 1, t, now));
        }
        previous = rate;
      }
      if (lb.available(s, now)) {
        assertThat(previous).as("an available layer has a rate").isPositive();
      }
    }
  }
}
