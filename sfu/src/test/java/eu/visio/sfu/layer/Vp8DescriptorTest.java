package eu.visio.sfu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 7741 §4.2 descriptors: annotated byte fixtures, parsed, checked, rewritten, compared. */
class Vp8DescriptorTest {
  private final Vp8Descriptor d = new Vp8Descriptor();

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", "").replace("|", ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # name                  ; bytes                        ; len; S    ; PID; N    ; pid  ; bits; tl0; tid; Y    ; keyidx; key
          # 10: S=1 PID=0 | payload header 10: P=0 (key frame)
          minimal keyframe        ; 10 | 10 02 00 9d 01 2a        ; 1  ; true ; 0  ; false; -1   ; 0   ; -1 ; 0  ; false; -1    ; true
          # 10 | 11: P=1, an inter frame
          minimal delta           ; 10 | 11 02 00               ; 1  ; true ; 0  ; false; -1   ; 0   ; -1 ; 0  ; false; -1    ; false
          # 90: X S | e0: I L T | ab cd: M=1 pid 0x2bcd | 2a: TL0PICIDX | 60: TID=1 Y=1 | 11
          chrome L1T3 TID1 sync   ; 90 e0 ab cd 2a 60 | 11        ; 6  ; true ; 0  ; false; 11213; 15  ; 42 ; 1  ; true ; -1    ; false
          # 90 e0 | 80 05: pid 5 | 07 | 00: TID 0 | 10 (key)
          chrome keyframe         ; 90 e0 80 05 07 00 | 10 9d    ; 6  ; true ; 0  ; false; 5    ; 15  ; 7  ; 0  ; false; -1    ; true
          # 80: X, S=0 | 80: I | 7f: M=0 7-bit pid 127 | payload continues
          seven-bit continuation  ; 80 80 7f | 44 55               ; 3  ; false; 0  ; false; 127  ; 7   ; -1 ; 0  ; false; -1    ; false
          # b3: X N S PID=3 | 10: K only | df: TID bits (ignored, T=0) Y bits, KEYIDX 31 | 00
          K without T, partition 3; b3 10 df | 00                 ; 3  ; true ; 3  ; true ; -1   ; 0   ; -1 ; 0  ; false; 31    ; false
          # 90 f0: I L T K | 81 00: pid 256 | ff | a5: TID=2 Y=1 KEYIDX=5 | 10 (key)
          everything              ; 90 f0 81 00 ff a5 | 10        ; 6  ; true ; 0  ; false; 256  ; 15  ; 255; 2  ; true ; 5     ; true
          # 00: X=0 S=0 | 10: looks like a key header but S=0, so it is not a frame start
          not a frame start       ; 00 | 10                      ; 1  ; false; 0  ; false; -1   ; 0   ; -1 ; 0  ; false; -1    ; false
          """)
  void parsesFixtures(
      String name,
      String bytes,
      int length,
      boolean s,
      int pid,
      boolean n,
      int pictureId,
      int bits,
      int tl0,
      int tid,
      boolean y,
      int keyIdx,
      boolean key) {
    byte[] b = hex(bytes);
    assertThat(d.parse(b, 0, b.length)).isTrue();
    assertThat(d.length()).isEqualTo(length);
    assertThat(d.startOfPartition()).isEqualTo(s);
    assertThat(d.partitionId()).isEqualTo(pid);
    assertThat(d.nonReference()).isEqualTo(n);
    assertThat(d.pictureId()).isEqualTo(pictureId);
    assertThat(d.pictureIdBits()).isEqualTo(bits);
    assertThat(d.tl0PicIdx()).isEqualTo(tl0);
    assertThat(d.tid()).isEqualTo(tid);
    assertThat(d.layerSync()).isEqualTo(y);
    assertThat(d.keyIdx()).isEqualTo(keyIdx);
    assertThat(d.keyframe()).isEqualTo(key);
    assertThat(d.frameStart()).isEqualTo(s && pid == 0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          empty                       ; ''
          X but no X byte             ; 90
          no payload after 1 byte     ; 10
          I but no picture id         ; 90 80
          M but one picture id byte   ; 90 80 80
          15-bit pid, no payload      ; 90 80 80 01
          L but no TL0PICIDX          ; 90 c0 80 01
          T but no TID byte           ; 90 e0 80 01 05
          K but no KEYIDX byte        ; 90 10
          everything, no payload      ; 90 f0 81 00 ff a5
          """)
  void refusesTruncated(String name, String bytes) {
    byte[] b = hex(bytes);
    assertThat(d.parse(b, 0, b.length)).isFalse();
    assertThat(d.valid()).isFalse();
  }

  @Test
  void parsesAtAnOffsetAndRefusesBadBounds() {
    byte[] b = hex("ffff 90e0abcd2a60 11 ffff");
    assertThat(d.parse(b, 2, 7)).isTrue();
    assertThat(d.pictureId()).isEqualTo(0x2bcd);
    assertThat(d.parse(b, 2, 6)).isFalse(); // the payload byte is outside the view
    assertThat(d.parse(b, 8, 5)).isFalse();
    assertThat(d.parse(b, -1, 2)).isFalse();
    assertThat(d.parse(null, 0, 1)).isFalse();
  }

  @Test
  void rewritesFifteenBitFieldsInPlace() {
    // 90 e0 | ab cd: pid 0x2bcd | 2a | 60: TID 1 Y | 11
    byte[] b = hex("90 e0 ab cd 2a 60 11");
    assertThat(d.parse(b, 0, b.length)).isTrue();
    d.writePictureId(b, 0, 0x8123); // 15-bit field: 0x8123 mod 2^15 = 0x0123
    d.writeTl0PicIdx(b, 0, 0x107); // mod 256
    d.writeKeyIdx(b, 0, 9); // K is not set: untouched
    assertThat(b).isEqualTo(hex("90 e0 81 23 07 60 11"));
  }

  @Test
  void rewritesSevenBitFieldAndKeyIdxKeepingTidAndY() {
    // 90 b0: I T K | 05: 7-bit pid | a5: TID 2 Y KEYIDX 5 | 11
    byte[] b = hex("90 b0 05 a5 11");
    assertThat(d.parse(b, 0, b.length)).isTrue();
    assertThat(d.tid()).isEqualTo(2);
    d.writePictureId(b, 0, 0x1FF); // 7-bit field: 0x7f, M stays 0
    d.writeKeyIdx(b, 0, 0x21); // mod 32 = 1; TID and Y kept
    assertThat(b).isEqualTo(hex("90 b0 7f a1 11"));
  }

  @Test
  void rewritesIntoACopyAtAnotherOffset() {
    byte[] src = hex("90 e0 ab cd 2a 60 11");
    assertThat(d.parse(src, 0, src.length)).isTrue();
    byte[] copy = new byte[20];
    System.arraycopy(src, 0, copy, 12, src.length);
    d.writePictureId(copy, 12, 1);
    d.writeTl0PicIdx(copy, 12, 2);
    assertThat(java.util.Arrays.copyOfRange(copy, 12, 19)).isEqualTo(hex("90 e0 80 01 02 60 11"));
    assertThat(src).isEqualTo(hex("90 e0 ab cd 2a 60 11"));
  }
}
