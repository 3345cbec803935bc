package eu.visio.sfu.alloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Rates on a virtual clock. The test source sends one packet per layer every 10 ms; each layer's
 * own rate (kbit/s, not cumulative) is:
 *
 * <pre>
 *        t0   t1   t2
 *   s0   40   20   20
 *   s1  100   60   60
 *   s2  400  200  200
 * </pre>
 *
 * (at 10 ms a packet, 1 kbit/s is 1.25 bytes a packet).
 */
class LayerBitratesTest {
  private static final long MS = 1_000_000L;
  private static final long START = 7_000 * MS; // any origin: the clock is not zero-based
  private static final int[][] OWN_KBPS = {{40, 20, 20}, {100, 60, 60}, {400, 200, 200}};

  /**
   * Sends every layer of {@code kbps} (null rows skipped) from {@code from} until before {@code
   * to}.
   */
  private static void send(LayerBitrates lb, int[][] kbps, long from, long to) {
    for (long now = from; now < to; now += 10 * MS) {
      for (int s = 0; s < kbps.length; s++) {
        if (kbps[s] == null) {
          continue;
        }
        for (int t = 0; t < kbps[s].length; t++) {
          lb.onPacket(s, t, kbps[s][t] * 5 / 4, now);
        }
      }
    }
  }

  @ParameterizedTest(name = "s{0}t{1}: simulcast {2}, svc {3} kbit/s")
  @CsvSource({
    "0, 0, 40, 40",
    "0, 1, 60, 60",
    "0, 2, 80, 80",
    "1, 0, 100, 140",
    "1, 1, 160, 220",
    "1, 2, 220, 300",
    "2, 0, 400, 540",
    "2, 1, 600, 820",
    "2, 2, 800, 1100",
    "2, 3, 800, 1100", // no t3: the same as t2
  })
  void ratesAreCumulativeOverTemporalLayersAndForSvcOverSpatialOnesToo(
      int s, int t, long simulcastKbps, long svcKbps) {
    LayerBitrates simulcast = new LayerBitrates(3, false);
    LayerBitrates svc = new LayerBitrates(3, true);
    send(simulcast, OWN_KBPS, START, START + 3_000 * MS);
    send(svc, OWN_KBPS, START, START + 3_000 * MS);
    long now = START + 3_000 * MS;
    assertThat(simulcast.bitrate(s, t, now)).isEqualTo(simulcastKbps * 1000);
    assertThat(svc.bitrate(s, t, now)).isEqualTo(svcKbps * 1000);
    // Between bucket boundaries the window is 0.9-1 s long: still close.
    send(simulcast, OWN_KBPS, now, now + 55 * MS);
    assertThat(simulcast.bitrate(s, t, now + 55 * MS))
        .isCloseTo(simulcastKbps * 1000, within(simulcastKbps * 1000 / 50));
  }

  @Test
  void aNewLayerIsAvailableAfterHalfASecondAndMeasuredOverItsOwnLifetime() {
    LayerBitrates lb = new LayerBitrates(3, false);
    send(lb, OWN_KBPS, START, START + 490 * MS);
    assertThat(lb.available(0, START + 490 * MS)).isFalse();
    assertThat(lb.bitrate(0, 2, START + 490 * MS)).as("not diluted").isEqualTo(80_000);
    send(lb, OWN_KBPS, START + 490 * MS, START + 600 * MS);
    assertThat(lb.available(0, START + 600 * MS)).isTrue();
    assertThat(lb.available(2, START + 600 * MS)).isTrue();
    assertThat(lb.bitrate(2, 2, START + 600 * MS)).isEqualTo(800_000);
  }

  @Test
  void aLayerThatStopsDecaysToZeroWithinAWindow() {
    LayerBitrates lb = new LayerBitrates(3, false);
    long stop = START + 3_000 * MS;
    send(lb, OWN_KBPS, START, stop);
    int[][] withoutTop = {OWN_KBPS[0], OWN_KBPS[1], null};
    send(lb, withoutTop, stop, stop + 500 * MS);
    assertThat(lb.available(2, stop + 500 * MS)).isTrue();
    assertThat(lb.bitrate(2, 2, stop + 500 * MS)).isCloseTo(400_000, within(50_000L));
    send(lb, withoutTop, stop + 500 * MS, stop + 1_000 * MS);
    assertThat(lb.available(2, stop + 1_000 * MS)).isFalse();
    assertThat(lb.bitrate(2, 2, stop + 1_000 * MS)).isZero();
    assertThat(lb.bitrate(1, 2, stop + 1_000 * MS)).as("others unaffected").isEqualTo(220_000);
    // Without any packet at all, time alone empties every layer.
    assertThat(lb.bitrate(0, 2, stop + 2_000 * MS)).isZero();
    assertThat(lb.available(0, stop + 2_000 * MS)).isFalse();
  }

  @Test
  void aLayerThatComesBackIsMeasuredFromItsReturn() {
    LayerBitrates lb = new LayerBitrates(1, false);
    int[][] s0 = {OWN_KBPS[0]};
    send(lb, s0, START, START + 2_000 * MS);
    long back = START + 10_000 * MS;
    send(lb, s0, back, back + 300 * MS);
    assertThat(lb.available(0, back + 300 * MS)).as("half a second again").isFalse();
    assertThat(lb.bitrate(0, 2, back + 300 * MS)).isEqualTo(80_000);
    send(lb, s0, back + 300 * MS, back + 500 * MS);
    assertThat(lb.available(0, back + 500 * MS)).isTrue();
  }

  @Test
  void aKeyframeCostsItsBytesSpreadOverTenSecondsNotAJoltInOne() {
    LayerBitrates lb = new LayerBitrates(3, false);
    long at = START + 3_000 * MS;
    send(lb, OWN_KBPS, START, at);
    // A 50,000-byte keyframe on s1 (a browser's, at 640x360): counted with the delta frames it
    // would have made s1 cost 500 kbit/s more for a second, above s2t0.
    for (int i = 0; i < 50; i++) {
      lb.onPacket(1, 0, 1_000, true, at);
    }
    assertThat(lb.bitrate(1, 0, at)).isEqualTo(100_000 + 40_000);
    assertThat(lb.bitrate(1, 2, at)).as("up to t2 too").isEqualTo(220_000 + 40_000);
    assertThat(lb.bitrate(0, 2, at)).as("another layer").isEqualTo(80_000);
    assertThat(lb.bitrate(2, 0, at)).isEqualTo(400_000);
    LayerBitrates svc = new LayerBitrates(3, true);
    send(svc, OWN_KBPS, START, at);
    svc.onPacket(0, 0, 50_000, true, at);
    assertThat(svc.bitrate(2, 0, at)).as("SVC layers above need it").isEqualTo(540_000 + 40_000);

    send(lb, OWN_KBPS, at, at + 9_000 * MS);
    assertThat(lb.bitrate(1, 0, at + 9_000 * MS)).as("still in the window").isEqualTo(140_000);
    send(lb, OWN_KBPS, at + 9_000 * MS, at + 10_000 * MS);
    assertThat(lb.bitrate(1, 0, at + 10_000 * MS)).as("out of it").isEqualTo(100_000);
  }

  @Test
  void aLayerOfKeyframesOnlyIsAvailableAndCostsThemOnceTheirWindowIsFull() {
    LayerBitrates lb = new LayerBitrates(1, false);
    for (long now = START; now < START + 12_000 * MS; now += 100 * MS) {
      lb.onPacket(0, 0, 1_000, true, now); // ten keyframes a second, say an intra-only encoder
      if (now == START + 900 * MS) {
        assertThat(lb.available(0, now)).isTrue();
        // Their bytes of the first second spread over ten: an encoder's rare periodic keyframe is
        // not charged as if it came every second.
        assertThat(lb.bitrate(0, 0, now)).isEqualTo(10 * 1_000 * 8 / 10);
      }
    }
    assertThat(lb.bitrate(0, 0, START + 11_900 * MS)).isEqualTo(10 * 1_000 * 8);
  }

  @Test
  void aLongRunWrapsTheRingWithoutDrift() {
    LayerBitrates lb = new LayerBitrates(3, true);
    send(lb, OWN_KBPS, START, START + 60_000 * MS);
    assertThat(lb.bitrate(2, 2, START + 60_000 * MS)).isEqualTo(1_100_000);
  }

  @Test
  void layerIdsOutOfRangeAreClampedAndCounted() {
    LayerBitrates lb = new LayerBitrates(2, false);
    assertThat(lb.spatialCount()).isEqualTo(2);
    assertThat(lb.temporalCount()).as("unknown before any packet").isZero();
    for (long now = START; now < START + 1_000 * MS; now += 10 * MS) {
      lb.onPacket(9, 7, 125, now);
      lb.onPacket(-1, -5, 125, now);
    }
    long now = START + 1_000 * MS;
    assertThat(lb.spatialCount()).isEqualTo(4);
    assertThat(lb.temporalCount()).isEqualTo(4);
    assertThat(lb.bitrate(3, 3, now)).isEqualTo(100_000);
    assertThat(lb.bitrate(3, 2, now)).isZero();
    assertThat(lb.bitrate(0, 0, now)).isEqualTo(100_000);
    assertThat(lb.bitrate(7, 9, now)).as("asked above the top").isEqualTo(100_000);
    assertThat(lb.bitrate(-1, 0, now)).isZero();
    assertThat(lb.available(-1, now)).isFalse();
    assertThat(lb.available(4, now)).isFalse();
  }

  @Test
  void emptyPacketsAreNotCountedAndDoNotMakeALayerAvailable() {
    LayerBitrates lb = new LayerBitrates(1, false);
    for (long now = START; now < START + 1_000 * MS; now += 10 * MS) {
      lb.onPacket(0, 0, 0, now);
      lb.onPacket(0, 1, -3, now);
    }
    assertThat(lb.available(0, START + 1_000 * MS)).isFalse();
    assertThat(lb.bitrate(0, 3, START + 1_000 * MS)).isZero();
    assertThat(lb.temporalCount()).isZero();
  }

  @Test
  void aPacketStampedBeforeTheLatestCountsAsNow() {
    LayerBitrates lb = new LayerBitrates(1, false);
    send(lb, new int[][] {{80}}, START, START + 1_000 * MS);
    lb.onPacket(0, 0, 1_000, START - 5_000 * MS); // an older clock reading
    assertThat(lb.bitrate(0, 0, START + 1_000 * MS))
        .isEqualTo(80_000 + 8_000 * 1_000 / 900 * 1_000 / 1000);
    // A query with an older time is answered as of the latest packet.
    assertThat(lb.bitrate(0, 0, START)).isPositive();
  }

  @Test
  void sizesAreKeptPerLayer() {
    LayerBitrates lb = new LayerBitrates(3, false);
    lb.setSize(2, 1280, 720);
    lb.setSize(0, 320, -1);
    lb.setSize(5, 1, 1); // ignored
    lb.setSize(-1, 1, 1);
    assertThat(lb.width(2)).isEqualTo(1280);
    assertThat(lb.height(2)).isEqualTo(720);
    assertThat(lb.width(0)).isEqualTo(320);
    assertThat(lb.height(0)).isZero();
    assertThat(lb.width(1)).isZero();
    assertThat(lb.width(9)).isZero();
    assertThat(lb.height(-1)).isZero();
  }

  @Test
  void countingAndQueryingAllocateNothing() {
    LayerBitrates lb = new LayerBitrates(3, true);
    send(lb, OWN_KBPS, START, START + 5_000 * MS); // warm up
    long before = allocatedBytes();
    long now = START + 5_000 * MS;
    long sum = 0;
    for (int i = 0; i < 200_000; i++) {
      now += MS / 10;
      lb.onPacket(i % 3, i % 4, 1_000, now);
      if (i % 1_000 == 0) {
        sum += lb.bitrate(2, 2, now) + (lb.available(1, now) ? 1 : 0);
      }
    }
    long allocated = allocatedBytes() - before;
    assertThat(sum).isPositive();
    assertThat(allocated).as("bytes allocated for 200,000 packets").isLessThan(4096);
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }
}
