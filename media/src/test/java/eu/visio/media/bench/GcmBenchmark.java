package eu.visio.media.bench;

import eu.visio.media.srtp.AggregatedGhash;
import eu.visio.media.srtp.GcmBenchHooks;
import eu.visio.media.srtp.NibbleGhash;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Where AES-GCM time goes on one 1,200-byte RTP packet (12-byte header, 1,188-byte payload), per
 * engine and per part: {@code seal} is the whole cipher core without SRTP framing or the packet
 * copy; {@code ghash8} / {@code ghash4} are GHASH alone over the 75 blocks with 8-bit (64 KiB,
 * production) and 4-bit (8 KiB, experiment) per-position tables, {@code ghash8x2} two blocks per
 * step with aggregated reduction (8-bit tables for H and H², 128 KiB, experiment; 76 blocks, it
 * needs an even count); {@code ctr} is the batched AES/ECB keystream alone (76 blocks, one JCE
 * call).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GcmBenchmark {
  private static final int HEADER = 12;
  private static final int PAYLOAD = 1188;

  @Param({"openssl", "java"})
  public String engine;

  private GcmBenchHooks gcm;
  private NibbleGhash nibble;
  private AggregatedGhash aggregated;
  private final byte[] buf = new byte[HEADER + PAYLOAD + 16];
  private final byte[] iv = new byte[12];
  private final byte[] counter = new byte[16];
  private final byte[] out = new byte[16];
  private int n;

  @Setup
  public void setUp() {
    Random random = new Random(7);
    byte[] key = new byte[16];
    random.nextBytes(key);
    random.nextBytes(buf);
    gcm = new GcmBenchHooks(engine, key);
    nibble = new NibbleGhash(gcm.hashKey());
    aggregated = new AggregatedGhash(gcm.hashKey());
  }

  @Benchmark
  public byte seal() {
    iv[11] = (byte) ++n;
    gcm.seal(iv, buf, HEADER, PAYLOAD);
    return buf[HEADER + PAYLOAD];
  }

  @Benchmark
  public byte ghash8() {
    gcm.ghash(buf, 1200, out);
    return out[0];
  }

  @Benchmark
  public long ghash4() {
    return nibble.hash(buf, 0, 75);
  }

  @Benchmark
  public long ghash8x2() {
    return aggregated.hash(buf, 0, 76);
  }

  @Benchmark
  public byte ctr() {
    return gcm.keystream(counter, 76);
  }
}
