package eu.visio.media.rtcp;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Random and mutated compounds never raise anything but {@link RtcpParseException}; whatever does
 * parse re-serializes to bytes that parse back to an equal packet.
 */
class RtcpFuzzTest {
  private static final String[] SEEDS = {
    RtcpFixtures.FIREFOX_COMPOUND,
    RtcpFixtures.SENDER_REPORT + RtcpFixtures.TWCC_EXAMPLE_1,
    "82ca0005" + "00000001" + "0103616263" + "000000" + "00000002" + "00000000",
    "82cb0004" + "902f9e2e" + "bc5e9a40" + "04676f6e65" + "000000",
    "83cc0003" + "902f9e2e" + "56495349" + "01020304",
    "84ce0006" + "00000001" + "00000000" + "4bc4fcb4" + "2a000000" + "12345678" + "ff000000",
    "81cd0004" + "00000001" + "4bc4fcb4" + "00648001" + "fffe0003",
    "8fce0006" + "00000001" + "00000000" + "52454d42" + "020bd090" + "4bc4fcb4" + "12345678",
    "afcd0007"
        + "9b74f61f"
        + "9371dcbc"
        + "853c0009"
        + "63f916b3"
        + "d5520030"
        + "9baa6aaa"
        + "7b010901",
    "afcd0006" + "fa17fa17" + "193dd8bb" + "0001000e" + "10636d00" + "ba00100c" + "0c100002",
  };

  private final RtcpCompoundIterator it = new RtcpCompoundIterator();

  @Property(tries = 3000)
  void randomBytesOnlyRaiseParseErrors(@ForAll @Size(max = 128) byte[] data) {
    walk(data);
  }

  @Property(tries = 3000)
  void randomBodiesBehindValidHeadersOnlyRaiseParseErrors(
      @ForAll @Size(min = 4, max = 128) byte[] data,
      @ForAll @IntRange(min = 200, max = 206) int pt,
      @ForAll @IntRange(min = 0, max = 31) int count) {
    data[0] = (byte) (0x80 | (data[0] & 0x20) | count);
    data[1] = (byte) pt;
    int words = data.length / 4 - 1;
    data[2] = (byte) (words >>> 8);
    data[3] = (byte) words;
    walk(data);
  }

  @Property(tries = 5000)
  void mutatedValidCompoundsOnlyRaiseParseErrors(
      @ForAll @IntRange(min = 0, max = 9) int seed,
      @ForAll("mutations") int[] flips,
      @ForAll @IntRange(min = 0, max = 8) int cut) {
    byte[] data = RtcpFixtures.hex(SEEDS[seed]);
    for (int i = 0; i + 1 < flips.length; i += 2) {
      data[Math.floorMod(flips[i], data.length)] = (byte) flips[i + 1];
    }
    byte[] shorter = new byte[Math.max(0, data.length - cut)];
    System.arraycopy(data, 0, shorter, 0, shorter.length);
    walk(shorter);
  }

  @Provide
  Arbitrary<int[]> mutations() {
    return Arbitraries.integers().between(0, 255).array(int[].class).ofMinSize(2).ofMaxSize(8);
  }

  private void walk(byte[] data) {
    it.wrap(data, 0, data.length);
    try {
      while (it.hasNext()) {
        it.next();
        RtcpPacket p = it.parse();
        byte[] out = new byte[p.length()];
        assertThat(p.write(out, 0)).isEqualTo(out.length);
        assertThat(RtcpPacket.parse(out, 0, out.length)).isEqualTo(p);
      }
    } catch (RtcpParseException expected) {
      // the only allowed failure
    }
  }
}
