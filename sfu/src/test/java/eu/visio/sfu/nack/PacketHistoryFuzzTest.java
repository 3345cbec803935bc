package eu.visio.sfu.nack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever order packets are stored in, a read returns either -1 or exactly the bytes stored under
 * that number, and the newest packet is always there.
 */
class PacketHistoryFuzzTest {
  @Property(tries = 500)
  void readsNeverReturnAnotherPacketsBytes(
      @ForAll @Size(min = 1, max = 300) List<@IntRange(min = -40, max = 60) Integer> deltas,
      @ForAll @IntRange(min = 0, max = 90) int lenSeed) {
    PacketHistory h = new PacketHistory(16, 64);
    Map<Long, byte[]> first = new HashMap<>();
    byte[] dst = new byte[64];
    long seq = 1000;
    int i = 0;
    for (int d : deltas) {
      seq += d;
      int len = (lenSeed + i++ * 7) % 70; // 0 and > 64 are refused
      byte[] p = new byte[len];
      Arrays.fill(p, (byte) (seq ^ i));
      if (h.store(p, 0, len, seq, i)) {
        assertThat(first).as("stored once").doesNotContainKey(seq);
        first.put(seq, p);
      }
      long highest = h.highest();
      if (highest != Long.MIN_VALUE) {
        assertThat(h.read(highest, dst, 0)).isEqualTo(first.get(highest).length);
      }
      for (long s = seq - 40; s <= seq + 60; s++) {
        int n = h.read(s, dst, 0);
        if (n >= 0) {
          assertThat(Arrays.copyOf(dst, n)).isEqualTo(first.get(s));
        }
      }
    }
  }
}
