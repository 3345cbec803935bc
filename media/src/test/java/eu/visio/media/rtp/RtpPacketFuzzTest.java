package eu.visio.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The RTP view never throws: every input either wraps with consistent bounds or is refused. */
class RtpPacketFuzzTest {
  private final RtpPacket packet = new RtpPacket();

  @Property(tries = 2000)
  void randomBytesNeverThrow(@ForAll @Size(max = 96) byte[] data) {
    check(data, 0, data.length);
  }

  @Property(tries = 2000)
  void randomHeadersWithVersionTwoNeverThrow(
      @ForAll @Size(min = 12, max = 96) byte[] data, @ForAll boolean twoByte) {
    data[0] = (byte) (0x80 | (data[0] & 0x3F));
    if ((data[0] & 0x10) != 0 && data.length >= 16) {
      int at = 12 + 4 * (data[0] & 0x0F);
      if (at + 2 <= data.length) {
        data[at] = (byte) (twoByte ? 0x10 : 0xBE);
        data[at + 1] = (byte) (twoByte ? 0x00 : 0xDE);
      }
    }
    check(data, 0, data.length);
  }

  @Property(tries = 3000)
  void mutatedValidPacketsNeverThrow(
      @ForAll("mutations") int[] flips, @ForAll @IntRange(min = 0, max = 40) int cut) {
    byte[] data = HexFormat.of().parseHex(RtpPacketTest.OPUS_WITH_EXTENSIONS);
    for (int i = 0; i + 1 < flips.length; i += 2) {
      data[Math.floorMod(flips[i], data.length)] = (byte) flips[i + 1];
    }
    check(data, 0, Math.max(0, data.length - cut));
  }

  @Provide
  Arbitrary<int[]> mutations() {
    return Arbitraries.integers().between(0, 255).array(int[].class).ofMinSize(2).ofMaxSize(12);
  }

  private void check(byte[] data, int off, int len) {
    if (!packet.wrap(data, off, len)) {
      return;
    }
    assertThat(packet.version()).isEqualTo(2);
    assertThat(packet.payloadOffset()).isBetween(off + 12, off + len);
    assertThat(packet.payloadOffset() + packet.payloadLength()).isLessThanOrEqualTo(off + len);
    for (int id = 0; id <= 256; id++) {
      int at = packet.extensionOffset(id);
      if (at >= 0) {
        assertThat(at + packet.extensionLength(id)).isLessThanOrEqualTo(packet.payloadOffset());
        packet.readExtension(id);
        packet.writeExtension(id, 0L);
      }
    }
    packet.setSsrc(1);
    packet.setSequenceNumber(2);
  }
}
