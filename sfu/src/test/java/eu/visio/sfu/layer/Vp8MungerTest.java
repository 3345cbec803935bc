package eu.visio.sfu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Picture id, TL0PICIDX and KEYIDX rewriting, byte for byte. */
class Vp8MungerTest {
  private final Vp8Munger munger = new Vp8Munger();
  private final Vp8Descriptor d = new Vp8Descriptor();

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", "").replace("|", ""));
  }

  private byte[] rewrite(String packet) {
    byte[] b = hex(packet);
    assertThat(d.parse(b, 0, b.length)).isTrue();
    assertThat(munger.rewrite(d, b, 0)).isTrue();
    return b;
  }

  private void switchTo(String packet) {
    byte[] b = hex(packet);
    assertThat(d.parse(b, 0, b.length)).isTrue();
    assertThat(d.keyframe()).isTrue();
    munger.switchTo(d);
  }

  private void drop(String packet) {
    byte[] b = hex(packet);
    assertThat(d.parse(b, 0, b.length)).isTrue();
    munger.drop(d);
  }

  @Test
  void switchContinuesPictureIdTl0AndKeyIdx() {
    // Layer A: 90 f0 | 81 00: pid 256 | 10: TL0 16 | 03: TID 0 KEYIDX 3 | 10 (key)
    switchTo("90 f0 8100 10 03 10");
    assertThat(rewrite("90 f0 8100 10 03 10")).isEqualTo(hex("90 f0 8100 10 03 10"));
    // 90 f0 | 81 01 | 10 | 83: TID 2 KEYIDX 3 | 11
    assertThat(rewrite("90 f0 8101 10 83 11")).isEqualTo(hex("90 f0 8101 10 83 11"));
    // Layer B keyframe: pid 0x7ffe, TL0 200, KEYIDX 30: continues at 258, 17, 4.
    switchTo("90 f0 fffe c8 1e 10");
    assertThat(rewrite("90 f0 fffe c8 1e 10")).isEqualTo(hex("90 f0 8102 11 04 10"));
    // Its picture ids wrap at 2^15; the output keeps counting.
    assertThat(rewrite("90 f0 ffff c8 9e 11")).isEqualTo(hex("90 f0 8103 11 84 11"));
    assertThat(rewrite("90 f0 8000 c9 1e 11")).isEqualTo(hex("90 f0 8104 12 04 11"));
  }

  @Test
  void droppedTid2PicturesLeaveNoGapAndKeepTl0() {
    switchTo("90 e0 8010 05 00 10"); // pid 16, TL0 5, TID 0
    rewrite("90 e0 8010 05 00 10");
    drop("90 e0 8011 05 80 11"); // pid 17, TID 2: dropped
    assertThat(rewrite("90 e0 8012 05 40 11")).isEqualTo(hex("90 e0 8011 05 40 11")); // TID 1
    drop("90 e0 8013 05 80 11");
    assertThat(rewrite("90 e0 8014 06 00 11")).isEqualTo(hex("90 e0 8012 06 00 11")); // TID 0
  }

  @Test
  void sevenBitSourceKeepsSevenBitArithmetic() {
    // 90 80 | 7e: 7-bit pid 126 | 10 (key)
    switchTo("90 80 7e 10");
    assertThat(rewrite("90 80 7e 10")).isEqualTo(hex("90 80 7e 10"));
    drop("90 80 7f 11");
    assertThat(rewrite("90 80 00 11")).isEqualTo(hex("90 80 7f 11")); // wraps at 128
    assertThat(rewrite("90 80 01 11")).isEqualTo(hex("90 80 00 11"));
  }

  @Test
  void switchBetweenFieldSizesContinuesModulo128() {
    switchTo("90 80 05 10"); // 7-bit pid 5
    rewrite("90 80 05 10");
    switchTo("90 80 9234 10"); // 15-bit source: continues at 6 in 15-bit space
    assertThat(rewrite("90 80 9234 10")).isEqualTo(hex("90 80 8006 10"));
    // A 7-bit field in the 15-bit source: mapped near the newest id, written in 7 bits.
    assertThat(rewrite("90 80 35 11")).isEqualTo(hex("90 80 07 11"));
  }

  @Test
  void aPacketOfADroppedPictureIsRefused() {
    switchTo("90 80 8010 10");
    rewrite("90 80 8010 10");
    drop("90 80 8011 11");
    byte[] b = hex("90 80 8011 11");
    assertThat(d.parse(b, 0, b.length)).isTrue();
    assertThat(munger.rewrite(d, b, 0)).isFalse();
    assertThat(b).isEqualTo(hex("90 80 8011 11"));
  }

  @Test
  void descriptorsWithoutFieldsPassUnchanged() {
    assertThat(rewrite("10 10 02 00")).isEqualTo(hex("10 10 02 00"));
    assertThat(munger.pictureIdOut()).isEqualTo(-1);
  }
}
