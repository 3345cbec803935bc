package eu.visio.sfu.audio;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtp.RtpPacket;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AudioLevelTest {
  private static final String HEADER = "90ef1234" + "0001e240" + "cafebabe";
  private static final String PAYLOAD = "fcfffe";

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    // case, extensions (after the fixed header), id, expected packed value
    "V=1 level 30, bede0001 109e0000, 1, 158",
    "V=0 level 30, bede0001 101e0000, 1, 30",
    "silence, bede0001 107f0000, 1, 127",
    "loudest with V, bede0001 10800000, 1, 128",
    "after transport-cc, bede0002 31002a10 9e000000, 1, 158",
    "two-byte form, 10000001 01019e00, 1, 158",
    "other id only, bede0001 209e0000, 1, -1",
    "id not negotiated, bede0001 109e0000, 0, -1",
    "two bytes long, bede0001 119e0000, 1, -1",
    "four bytes long, bede0002 139e0000 00000000, 1, -1",
    "empty in two-byte form, 10000001 01000000, 1, -1",
    "no extension block, , 1, -1",
  })
  void reads(String name, String extensions, int id, int expected) {
    String ext = extensions == null ? "" : extensions.replace(" ", "");
    String first = ext.isEmpty() ? "80" : "90";
    byte[] buf = HexFormat.of().parseHex(first + HEADER.substring(2) + ext + PAYLOAD);
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 0, buf.length)).isTrue();
    assertThat(AudioLevel.read(p, id)).isEqualTo(expected);
    if (expected >= 0) {
      assertThat(AudioLevel.level(expected)).isEqualTo(expected & 0x7F);
      assertThat(AudioLevel.voiceActivity(expected)).isEqualTo(expected >= 128);
    }
  }

  @Property(tries = 2000)
  void anyWrappedPacketReadsAbsentOrOneByte(
      @ForAll @Size(min = 12, max = 64) byte[] data,
      @ForAll @IntRange(min = -2, max = 300) int id) {
    data[0] = (byte) (0x90 | (data[0] & 0x2F));
    if (data.length >= 16) {
      int at = 12 + 4 * (data[0] & 0x0F);
      if (at + 2 <= data.length) {
        data[at] = (byte) 0xBE;
        data[at + 1] = (byte) 0xDE;
      }
    }
    RtpPacket p = new RtpPacket();
    if (!p.wrap(data, 0, data.length)) {
      return;
    }
    int v = AudioLevel.read(p, id);
    assertThat(v).isBetween(-1, 255);
    assertThat(v == AudioLevel.ABSENT).isEqualTo(p.extensionLength(id) != 1 || id <= 0);
  }
}
