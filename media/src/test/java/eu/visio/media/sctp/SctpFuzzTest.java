package eu.visio.media.sctp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;

/**
 * Random and mutated packets never escape the codec as anything but {@link SctpParseException};
 * what parses writes back to the same bytes' meaning (it re-parses equal). Mutations get a fresh
 * checksum, or the CRC would reject nearly all of them before any chunk parser ran.
 */
class SctpFuzzTest {
  static final List<String> FIXTURES =
      List.of(
          SctpPacketTest.INIT,
          SctpPacketTest.DATA_SACK,
          SctpPacketTest.IDATA_RECONFIG,
          SctpPacketTest.CONTROL);

  @Property(tries = 1000)
  void randomBytesOnlyThrowParseException(@ForAll @Size(max = 300) byte[] bytes) {
    check(bytes);
  }

  @Property(tries = 3000)
  void mutatedPacketsOnlyThrowParseException(@ForAll("mutated") byte[] bytes) {
    Statistics.label("outcome").collect(check(bytes) ? "parsed" : "refused");
    Statistics.label("outcome")
        .coverage(
            c -> {
              c.check("parsed").percentage(p -> p > 5);
              c.check("refused").percentage(p -> p > 5);
            });
  }

  /** Whatever arrives, an association drops or handles it: it never throws at its caller. */
  @Property(tries = 1000)
  void anAssociationNeverThrowsOnInput(@ForAll("mutated") byte[] bytes) {
    Association assoc =
        new Association(
            Association.Config.webRtc(5000, 5000),
            new Association.Listener() {
              @Override
              public void onPacket(byte[] packet) {}

              @Override
              public void onMessage(int streamId, long ppid, boolean unordered, byte[] payload) {}
            });
    assoc.connect(0);
    assoc.receive(bytes, 0, bytes.length, 1);
    assoc.tick(2_000_000_000L);
  }

  @Provide
  Arbitrary<byte[]> mutated() {
    return Arbitraries.of(FIXTURES)
        .flatMap(
            f ->
                Arbitraries.randoms()
                    .map(
                        r -> {
                          byte[] b = SctpPacketTest.hex(f);
                          int n = 1 + r.nextInt(4);
                          for (int i = 0; i < n; i++) {
                            int at = SctpPacket.HEADER + r.nextInt(b.length - SctpPacket.HEADER);
                            b[at] =
                                (byte)
                                    (r.nextBoolean() ? r.nextInt(256) : b[at] ^ 1 << r.nextInt(8));
                          }
                          if (r.nextInt(4) == 0) {
                            b =
                                java.util.Arrays.copyOf(
                                    b, SctpPacket.HEADER + r.nextInt(b.length - SctpPacket.HEADER));
                          }
                          return SctpPacketTest.sealed(b);
                        }));
  }

  /** Returns whether it parsed. */
  private static boolean check(byte[] bytes) {
    SctpPacket p;
    try {
      p = SctpPacket.parse(bytes, 0, bytes.length);
    } catch (SctpParseException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
      return false;
    }
    byte[] again = p.toBytes();
    try {
      assertThat(SctpPacket.parse(again, 0, again.length)).isEqualTo(p);
    } catch (SctpParseException e) {
      throw new AssertionError("written form does not re-parse: " + e.getMessage(), e);
    }
    return true;
  }
}
