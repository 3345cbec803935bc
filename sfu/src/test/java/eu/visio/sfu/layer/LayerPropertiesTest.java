package eu.visio.sfu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.layer.Vp8Source.Packet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Untrusted input never throws; the rewriters' invariants hold for random drop patterns. */
class LayerPropertiesTest {
  private final Vp8Descriptor d = new Vp8Descriptor();

  @Property(tries = 3000)
  void randomPayloadsNeverThrow(
      @ForAll @Size(max = 24) byte[] data, @ForAll @IntRange(min = 0, max = 4) int off) {
    int o = Math.min(off, data.length);
    if (d.parse(data, o, data.length - o)) {
      assertThat(d.length()).isBetween(1, data.length - o - 1);
      assertThat(d.pictureId()).isBetween(-1, 0x7FFF);
      assertThat(d.tl0PicIdx()).isBetween(-1, 255);
      assertThat(d.keyIdx()).isBetween(-1, 31);
      assertThat(d.tid()).isBetween(0, 3);
      byte[] copy = data.clone();
      d.writePictureId(copy, o, 12345);
      d.writeTl0PicIdx(copy, o, 7);
      d.writeKeyIdx(copy, o, 3);
      Vp8Descriptor again = new Vp8Descriptor();
      assertThat(again.parse(copy, o, data.length - o)).isTrue();
      assertThat(again.length()).isEqualTo(d.length());
    }
  }

  @Property(tries = 2000)
  void truncatedDescriptorsAreRefused(
      @ForAll byte first, @ForAll byte x, @ForAll boolean longPid, @ForAll @Size(6) byte[] rest) {
    byte[] b = new byte[8];
    b[0] = (byte) (first | 0x80);
    b[1] = x;
    System.arraycopy(rest, 0, b, 2, 6);
    b[2] = (byte) (longPid ? b[2] | 0x80 : b[2] & 0x7F);
    int need = 2;
    if ((x & 0x80) != 0) {
      need += longPid ? 2 : 1;
    }
    if ((x & 0x40) != 0) {
      need++;
    }
    if ((x & 0x30) != 0) {
      need++;
    }
    for (int len = 0; len <= b.length; len++) {
      boolean ok = d.parse(b, 0, len);
      assertThat(ok).as("len %d need %d", len, need).isEqualTo(len > need);
      if (ok) {
        assertThat(d.length()).isEqualTo(need);
      }
    }
  }

  @Property(tries = 500)
  void inOrderForwardsAreContiguousWhateverIsDropped(
      @ForAll @IntRange(min = 0, max = 65535) int first,
      @ForAll @Size(min = 1, max = 3000) List<Boolean> drops) {
    SequenceRewriter r = SequenceRewriter.rtp();
    int expected = -1;
    for (int i = 0; i < drops.size(); i++) {
      int in = (first + i) & 0xFFFF;
      if (drops.get(i)) {
        r.drop(in);
        continue;
      }
      int out = r.forward(in);
      assertThat(out).isNotEqualTo(SequenceRewriter.REJECTED);
      if (expected >= 0) {
        assertThat(out).isEqualTo(expected);
      }
      expected = (out + 1) & 0xFFFF;
      assertThat(r.inputOf(out)).isEqualTo(in);
    }
  }

  @Property(tries = 500)
  void reorderedInputsKeepOrderAndInvert(
      @ForAll @IntRange(min = 0, max = 65535) int first,
      @ForAll long seed,
      @ForAll @IntRange(min = 10, max = 2000) int n) {
    Random random = new Random(seed);
    boolean[] dropped = new boolean[n];
    for (int i = 0; i < n; i++) {
      dropped[i] = random.nextInt(3) == 0;
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = 1; i < n; i++) { // local reordering, at most a few packets
      if (random.nextInt(4) == 0) {
        int j = Math.max(1, i - 1 - random.nextInt(3));
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    SequenceRewriter r = SequenceRewriter.rtp();
    r.switchTo(first);
    Map<Integer, Integer> outs = new HashMap<>();
    for (int k : order) {
      int in = (first + k) & 0xFFFF;
      if (dropped[k]) {
        r.drop(in);
      } else {
        int out = r.forward(in);
        if (k > 0 || out != SequenceRewriter.REJECTED) {
          assertThat(out).isNotEqualTo(SequenceRewriter.REJECTED);
          outs.put(k, out);
        }
      }
    }
    Set<Integer> distinct = new HashSet<>(outs.values());
    assertThat(distinct).hasSameSizeAs(outs.values());
    List<Integer> keys = new ArrayList<>(outs.keySet());
    keys.sort(null);
    for (int i = 1; i < keys.size(); i++) {
      int a = outs.get(keys.get(i - 1));
      int b = outs.get(keys.get(i));
      assertThat((short) (b - a)).as("order").isPositive();
    }
    for (int k : keys) {
      if (k >= n - 1000) {
        assertThat(r.inputOf(outs.get(k))).isEqualTo((first + k) & 0xFFFF);
      }
    }
  }

  @Property(tries = 200)
  void forwarderOutputIsContiguousAcrossRandomSwitchesAndTemporalDrops(@ForAll long seed) {
    Random random = new Random(seed);
    Vp8Source[] sources = {
      new Vp8Source(0, random.nextInt(65536), random.nextInt(), random.nextInt(32768), 0, 1),
      new Vp8Source(1, random.nextInt(65536), random.nextInt(), random.nextInt(32768), 50, 2),
      new Vp8Source(2, random.nextInt(65536), random.nextInt(), random.nextInt(32768), 99, 3),
    };
    LayerForwarder fwd = new LayerForwarder("dt-prop", 90_000);
    Vp8Descriptor in = new Vp8Descriptor();
    Vp8Descriptor out = new Vp8Descriptor();
    int lastSeq = -1;
    int lastPid = -1;
    long now = 0;
    for (int frame = 0; frame < 300; frame++) {
      if (random.nextInt(20) == 0) {
        fwd.selector().setTarget(random.nextInt(4) - 1, random.nextInt(4));
      }
      for (Vp8Source s : sources) {
        if (random.nextInt(15) == 0) {
          s.keyframe();
        }
        for (Packet p : s.frame()) {
          boolean ok = in.parse(p.payload(), 0, p.payload().length);
          if (!fwd.accept(p.spatial(), p.seq(), p.ts(), in, ok, now)) {
            continue;
          }
          byte[] copy = p.payload().clone();
          fwd.writeDescriptor(in, copy, 0);
          assertThat(out.parse(copy, 0, copy.length)).isTrue();
          if (lastSeq >= 0) {
            assertThat(fwd.sequence()).isEqualTo((lastSeq + 1) & 0xFFFF);
            int step = out.frameStart() ? 1 : 0;
            assertThat(out.pictureId()).isEqualTo((lastPid + step) & 0x7FFF);
          }
          lastSeq = fwd.sequence();
          lastPid = out.pictureId();
        }
      }
      now += 33_000_000L;
    }
  }
}
