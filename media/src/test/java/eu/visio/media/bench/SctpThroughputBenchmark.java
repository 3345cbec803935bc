package eu.visio.media.bench;

import eu.visio.media.sctp.Association;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Reliable SCTP throughput between two in-process associations joined back to back (no DTLS, no
 * loss): one operation sends a message of {@code size} bytes on an ordered stream and pumps packets
 * both ways until the receiver has it whole. Throughput in Mbit/s is ops/s × size × 8 / 10⁶. This
 * is the SCTP cost a data channel adds on top of DTLS (issue 5 target: ≥ 500 Mbit/s).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SctpThroughputBenchmark {
  @Param({"1024", "65536"})
  public int size;

  /** I-DATA (RFC 8260) or DATA. */
  @Param({"true", "false"})
  public boolean interleaving;

  private final ArrayDeque<byte[]> toB = new ArrayDeque<>();
  private final ArrayDeque<byte[]> toA = new ArrayDeque<>();
  private Association a;
  private Association b;
  private byte[] message;
  private long received;

  @Setup(Level.Trial)
  public void setUp() {
    a =
        new Association(
            Association.Config.webRtc(5000, 5000).withInterleaving(interleaving),
            new Association.Listener() {
              @Override
              public void onPacket(byte[] packet) {
                toB.add(packet);
              }

              @Override
              public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {}
            });
    b =
        new Association(
            Association.Config.webRtc(5000, 5000).withInterleaving(interleaving),
            new Association.Listener() {
              @Override
              public void onPacket(byte[] packet) {
                toA.add(packet);
              }

              @Override
              public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {
                received++;
              }
            });
    a.connect(System.nanoTime());
    pump();
    if (a.state() != Association.State.ESTABLISHED) {
      throw new IllegalStateException("no association: " + a.state());
    }
    message = new byte[size];
  }

  private void pump() {
    long now = System.nanoTime();
    while (!toA.isEmpty() || !toB.isEmpty()) {
      byte[] p;
      while ((p = toB.poll()) != null) {
        b.receive(p, 0, p.length, now);
      }
      while ((p = toA.poll()) != null) {
        a.receive(p, 0, p.length, now);
      }
    }
  }

  @Benchmark
  public long sendOneMessage() {
    long before = received;
    a.send(1, 53, message, false, System.nanoTime());
    while (received == before) {
      pump();
      if (received == before) {
        // Only a timer can move things now (a delayed SACK): run it.
        long now = System.nanoTime();
        a.tick(Math.max(now, a.deadline()));
        b.tick(Math.max(now, b.deadline()));
      }
    }
    return received;
  }
}
