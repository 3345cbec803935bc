package eu.visio.sfu.bench;

import eu.visio.sfu.layer.LayerForwarder;
import eu.visio.sfu.layer.Vp8Descriptor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-packet layer path of one subscriber: parse the VP8 descriptor, decide (an L1T3 stream
 * with the subscriber on TID 0..1, so TID 2 frames are dropped and recorded), map sequence number,
 * timestamp, picture id and TL0PICIDX, and write them into the send copy. Two packets per frame.
 * Must not allocate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class Vp8LayerBenchmark {
  private static final int[] L1T3 = {0, 2, 1, 2};

  private final byte[] src = new byte[1100];
  private final byte[] copy = new byte[1100];
  private final Vp8Descriptor descriptor = new Vp8Descriptor();
  private LayerForwarder forwarder;
  private int n;
  private int seq;
  private int pictureId;
  private int tl0;
  private long now;

  @Setup
  public void setUp() {
    forwarder = new LayerForwarder("bench", 90_000);
    forwarder.selector().setTarget(0, 1);
    src[1] = (byte) 0xE0; // I L T
    next(true);
  }

  /** Builds the next source packet in place: the publisher's side, also allocation-free. */
  private void next(boolean key) {
    int frame = n >>> 1;
    boolean first = (n & 1) == 0;
    int tid = key ? 0 : L1T3[frame & 3];
    if (first) {
      pictureId = (pictureId + 1) & 0x7FFF;
      if (tid == 0) {
        tl0 = (tl0 + 1) & 0xFF;
      }
    }
    src[0] = (byte) (0x80 | (first ? 0x10 : 0));
    src[2] = (byte) (0x80 | (pictureId >>> 8));
    src[3] = (byte) pictureId;
    src[4] = (byte) tl0;
    src[5] = (byte) (tid << 6);
    src[6] = (byte) (first && key ? 0x10 : 0x11);
  }

  @Benchmark
  public int parseDecideAndMunge() {
    boolean ok = descriptor.parse(src, 0, src.length);
    int ts = (n >>> 1) * 3000;
    int result = -1;
    if (forwarder.accept(0, seq, ts, descriptor, ok, now)) {
      System.arraycopy(src, 0, copy, 0, 8);
      forwarder.writeDescriptor(descriptor, copy, 0);
      result = forwarder.sequence();
    }
    seq = (seq + 1) & 0xFFFF;
    n++;
    now += 16_000_000L;
    next(false);
    return result;
  }
}
