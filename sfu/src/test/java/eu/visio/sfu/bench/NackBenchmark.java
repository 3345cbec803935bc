package eu.visio.sfu.bench;

import eu.visio.sfu.nack.NackGenerator;
import eu.visio.sfu.nack.NackResponder;
import eu.visio.sfu.nack.PacketHistory;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Per-packet NACK machinery, which must not allocate: storing a 1,200-byte packet in the history
 * and reading an older one back (a NACK answer); feeding the generator in order; feeding it with 2%
 * loss, RTX recovery and a collect every 32 packets (the RTCP tick); answering one lost number.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NackBenchmark {
  private static final long PACKET_INTERVAL_NANOS = 1_000_000L;

  private long sent;
  private final byte[] packet = new byte[1200];
  private final byte[] dst = new byte[PacketHistory.DEFAULT_SLOT_SIZE];
  private final int[] out = new int[64];
  private final PacketHistory history = new PacketHistory(512);
  private final NackGenerator inOrder = new NackGenerator();
  private final NackGenerator lossy = new NackGenerator();
  private final NackResponder responder = new NackResponder(512, 10_000_000L);
  private final NackResponder.SequenceMap identity = seq -> seq;
  private final NackResponder.Resender sink = (seq, buf, off, len) -> sent += len;
  private long seq;
  private long lossySeq;
  private long now;

  @Setup
  public void setUp() {
    for (int i = 0; i < packet.length; i++) {
      packet[i] = (byte) i;
    }
    for (int i = 0; i < 512; i++) {
      history.store(packet, 0, packet.length, seq++, now);
    }
  }

  @Benchmark
  public int storeAndRead() {
    long s = seq++;
    now += PACKET_INTERVAL_NANOS;
    history.store(packet, 0, packet.length, s, now);
    return history.read(s - 100, dst, 0);
  }

  @Benchmark
  public int generatorInOrder() {
    now += PACKET_INTERVAL_NANOS;
    inOrder.onPacket(seq++, now);
    return inOrder.missing();
  }

  @Benchmark
  public int generatorWithLoss() {
    long s = lossySeq++;
    now += PACKET_INTERVAL_NANOS;
    if (s % 50 == 7) {
      return 0; // lost
    }
    lossy.onPacket(s, now);
    if (s % 50 == 27) {
      lossy.onRtx(s - 20, now); // recovered by retransmission
    }
    if ((s & 31) == 0) {
      return lossy.collect(now, out);
    }
    return lossy.missing();
  }

  @Benchmark
  public boolean respondOne() {
    now += 20_000_000L; // past the rate limit
    return responder.respond(
        (int) (history.highest() - 200) & 0xFFFF, identity, history, dst, sink, now);
  }
}
