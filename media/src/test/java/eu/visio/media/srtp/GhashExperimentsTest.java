package eu.visio.media.srtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The GHASH variants GcmBenchmark measures compute the same function as production {@link Ghash}
 * (itself checked against the JDK through the GCM tests), so their timings compare like for like.
 */
class GhashExperimentsTest {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /**
   * With Y_n the GHASH chain over {@code data}'s blocks, {@link Ghash} fed the blocks plus {@code
   * zeros} zero blocks then {@code finish(0, 0)} (one more zero block) yields Y_n·H^(zeros + 1).
   */
  private static long[] ghashTimesPower(byte[] h, byte[] padded, int blocks, int zeros) {
    Ghash g = new Ghash(h);
    g.update(padded, 0, 16 * (blocks + zeros));
    byte[] out = new byte[16];
    g.finish(0, 0, out, 0);
    return new long[] {(long) LONG_BE.get(out, 0), (long) LONG_BE.get(out, 8)};
  }

  @Property(tries = 200)
  void variantsAgreeWithGhash(
      @ForAll @Size(16) byte[] h,
      @ForAll @Size(1280) byte[] data,
      @ForAll @IntRange(max = 40) int pairs) {
    int blocks = 2 * pairs;
    byte[] padded = new byte[16 * blocks + 32]; // the data blocks, then two zero blocks
    System.arraycopy(data, 0, padded, 0, 16 * blocks);

    long[] timesH = ghashTimesPower(h, padded, blocks, 0);
    long nibble = new NibbleGhash(h).hash(padded, 0, blocks + 1); // Y_n·H, high ^ low
    assertThat(nibble).isEqualTo(timesH[0] ^ timesH[1]);

    long[] timesH2 = ghashTimesPower(h, padded, blocks, 1);
    AggregatedGhash aggregated = new AggregatedGhash(h);
    aggregated.hash(padded, 0, blocks + 2); // Y_n·H²
    assertThat(aggregated.y()).containsExactly(timesH2[0], timesH2[1]);
  }
}
