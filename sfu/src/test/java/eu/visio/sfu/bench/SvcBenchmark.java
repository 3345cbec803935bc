package eu.visio.sfu.bench;

import eu.visio.sfu.layer.LayerSelector.Decision;
import eu.visio.sfu.svc.Av1LayerFilter;
import eu.visio.sfu.svc.DependencyDescriptor;
import eu.visio.sfu.svc.SvcStream;
import eu.visio.sfu.svc.Vp9Descriptor;
import eu.visio.sfu.svc.Vp9LayerFilter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-packet SVC path: parse the VP9 descriptor or the AV1 dependency descriptor, and decide
 * for one subscriber on S1T1 of an L3T3 stream (two packets per frame, a key picture with the SS or
 * the repeated structure every 12 pictures). Timestamps and frame numbers keep advancing across
 * rounds of the prepared packets, as in a live stream. Must not allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SvcBenchmark {
  private static final int PICTURES = 12;

  private byte[][] vp9Packets;
  private byte[][] ddPackets;
  private int[] timestamps;
  private boolean[] markers;
  private final Vp9Descriptor vp9 = new Vp9Descriptor();
  private final DependencyDescriptor dd = new DependencyDescriptor();
  private final Vp9LayerFilter vp9Filter = new Vp9LayerFilter("bench-vp9");
  private final Av1LayerFilter av1Filter = new Av1LayerFilter("bench-av1");
  private int i;
  private int round;

  @Setup
  public void setUp() {
    List<SvcStream.Packet> ps = SvcStream.fullSvc().pictures(0, PICTURES, Set.of(0));
    int n = ps.size();
    vp9Packets = new byte[n][];
    ddPackets = new byte[n][];
    timestamps = new int[n];
    markers = new boolean[n];
    for (int k = 0; k < n; k++) {
      vp9Packets[k] = ps.get(k).vp9();
      ddPackets[k] = ps.get(k).dd();
      timestamps[k] = ps.get(k).ts();
      markers[k] = ps.get(k).marker();
    }
    vp9Filter.setTarget(1, 1);
    av1Filter.setTarget(1, 1);
  }

  private int next() {
    int k = i++;
    if (i == vp9Packets.length) {
      i = 0;
      round++;
    }
    return k;
  }

  @Benchmark
  public boolean vp9Parse() {
    byte[] b = vp9Packets[next()];
    return vp9.parse(b, 0, b.length);
  }

  @Benchmark
  public int vp9ParseAndDecide() {
    int k = next();
    byte[] b = vp9Packets[k];
    boolean ok = vp9.parse(b, 0, b.length);
    int ts = timestamps[k] + round * PICTURES * 3000;
    Decision d = vp9Filter.decideVp9(vp9, ok, ts, markers[k]);
    return d.ordinal() + (vp9Filter.setMarker() ? 8 : 0);
  }

  @Benchmark
  public boolean ddParse() {
    byte[] b = ddPackets[advanceFrame(next())];
    return dd.parse(b, 0, b.length);
  }

  @Benchmark
  public int ddParseAndDecide() {
    int k = advanceFrame(next());
    byte[] b = ddPackets[k];
    boolean ok = dd.parse(b, 0, b.length);
    int ts = timestamps[k] + round * PICTURES * 3000;
    Decision d = av1Filter.decideAv1(dd, ok, ts, markers[k]);
    return d.ordinal() + (av1Filter.setMarker() ? 8 : 0);
  }

  /** Rewrites the packet's frame number (bytes 1-2) for the current round, in place. */
  private int advanceFrame(int k) {
    byte[] b = ddPackets[k];
    int frame = 65500 + round * PICTURES * 3 + k / 2;
    b[1] = (byte) (frame >>> 8);
    b[2] = (byte) frame;
    return k;
  }
}
