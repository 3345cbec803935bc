package eu.visio.sfu.audio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** RFC 2198 payloads: annotated fixtures, then arbitrary bytes. */
class RedTest {
  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replaceAll("[ |]", ""));
  }

  /**
   * Chrome's Opus RED with two redundant frames: headers F=1 PT=111 offset 1920 length 3, F=1
   * PT=111 offset 960 length 2, then the primary header F=0 PT=111, then the three blocks.
   */
  static final String TWO_REDUNDANT =
      "ef 1e 00 03 | ef 0f 00 02 | 6f | aa aa aa | bb bb | cc cc cc cc";

  @Test
  void primaryOfTwoRedundantBlocks() {
    byte[] b = hex(TWO_REDUNDANT);
    assertThat(Red.primaryOffset(b, 0, b.length)).isEqualTo(14);
    assertThat(Red.primaryPayloadType(b, 0, b.length)).isEqualTo(111);
  }

  @Test
  void primaryOnly() {
    byte[] b = hex("6f | 01 02 03");
    assertThat(Red.primaryOffset(b, 0, b.length)).isEqualTo(1);
  }

  @Test
  void blockLengthsPastTheEndAreMalformed() {
    byte[] b = hex("ef 1e 00 09 | 6f | aa aa");
    assertThat(Red.primaryOffset(b, 0, b.length)).isEqualTo(-1);
    assertThat(Red.primaryOffset(new byte[0], 0, 0)).isEqualTo(-1);
    assertThat(Red.primaryOffset(hex("ef 1e 00"), 0, 3)).isEqualTo(-1);
  }

  @Test
  void rewriteMapsEveryBlockType() {
    byte[] b = hex(TWO_REDUNDANT);
    byte[] map = new byte[128];
    Arrays.fill(map, (byte) -1);
    map[111] = 109;
    assertThat(Red.rewriteBlockTypes(b, 0, b.length, map)).isTrue();
    assertThat(b).isEqualTo(hex("ed 1e 00 03 | ed 0f 00 02 | 6d | aa aa aa | bb bb | cc cc cc cc"));
  }

  @Test
  void rewriteRefusesAnUnknownBlockType() {
    byte[] b = hex("e0 1e 00 01 | 6f | aa | cc");
    byte[] map = new byte[128];
    Arrays.fill(map, (byte) -1);
    map[111] = 109;
    assertThat(Red.rewriteBlockTypes(b, 0, b.length, map)).isFalse();
  }

  @Property(tries = 3000)
  void arbitraryBytesNeverThrowAndStayInBounds(@ForAll @Size(max = 80) byte[] b) {
    int p = Red.primaryOffset(b, 0, b.length);
    assertThat(p).isBetween(-1, b.length);
    byte[] map = new byte[128];
    for (int i = 0; i < 128; i++) {
      map[i] = (byte) i;
    }
    assertThat(Red.rewriteBlockTypes(b.clone(), 0, b.length, map)).isEqualTo(p >= 0);
  }
}
