package eu.visio.sfu.svc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 9628 §4.2 descriptors: annotated byte fixtures, parsed and checked field by field. */
class Vp9DescriptorTest {
  private final Vp9Descriptor d = new Vp9Descriptor();

  static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", "").replace("|", ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # name                ; bytes                                  ; len; pid ; bits; P    ; F    ; B    ; E    ; V    ; Z    ; tid; U    ; sid; D    ; tl0; pdiffs; key
          # 0c: B E | payload. No picture id, no layer indices: SID 0, P=0, a keyframe
          minimal               ; 0c | 82                                 ; 1  ; -1  ; 0   ; false; false; true ; true ; false; false; 0  ; false; 0  ; false; -1 ; ''    ; true
          # ec: I P L B E | 80 07: M, pid 7 | 33: TID 1 U SID 1 D | 2a: TL0PICIDX | payload
          non-flexible S1T1     ; ec 80 07 33 2a | 00                     ; 5  ; 7   ; 15  ; true ; false; true ; true  ; false; false; 1  ; true ; 1  ; true ; 42 ; ''    ; false
          # fc: I P L F B E | 05: 7-bit pid | 40: TID 2 | 03 05 08: P_DIFF 1 N, 2 N, 4 | payload
          flexible three diffs  ; fc 05 40 03 05 08 | aa                  ; 6  ; 5   ; 7   ; true ; true ; true ; true ; false; false; 2  ; false; 0  ; false; -1 ; 1 2 4 ; false
          # f8: I P L F B | 85 00: pid 0x0500 | 20: TID 1 | 02: P_DIFF 1 | payload
          flexible one diff     ; f8 85 00 20 02 | aa bb                  ; 5  ; 1280; 15  ; true ; true ; true ; false; false; false; 1  ; false; 0  ; false; -1 ; 1     ; false
          # a1: I L Z, no B/E (middle packet) | 81 00: pid 256 | 05: SID 2 D | 00 | payload
          middle of S2          ; a1 81 00 05 00 | 11                     ; 5  ; 256 ; 15  ; false; false; false; false; false; true ; 0  ; false; 2  ; true ; 0  ; ''    ; false
          # 28: L B, P=0 on SID 1 (inter-layer only): not a keyframe | 02: SID 1 | 07 | payload
          intra S1 is not key   ; 28 02 07 | 11                          ; 3  ; -1  ; 0   ; false; false; true ; false; false; false; 0  ; false; 1  ; false; 7  ; ''    ; false
          """)
  void parsesFixtures(
      String name,
      String bytes,
      int length,
      int pictureId,
      int bits,
      boolean p,
      boolean f,
      boolean b,
      boolean e,
      boolean v,
      boolean z,
      int tid,
      boolean u,
      int sid,
      boolean dBit,
      int tl0,
      String pDiffs,
      boolean key) {
    byte[] x = hex(bytes);
    assertThat(d.parse(x, 0, x.length)).isTrue();
    assertThat(d.valid()).isTrue();
    assertThat(d.length()).isEqualTo(length);
    assertThat(d.pictureId()).isEqualTo(pictureId);
    assertThat(d.pictureIdBits()).isEqualTo(bits);
    assertThat(d.interPicturePredicted()).isEqualTo(p);
    assertThat(d.flexible()).isEqualTo(f);
    assertThat(d.startOfFrame()).isEqualTo(b);
    assertThat(d.endOfFrame()).isEqualTo(e);
    assertThat(d.ssPresent()).isEqualTo(v);
    assertThat(d.notReferenceForUpperSpatial()).isEqualTo(z);
    assertThat(d.tid()).isEqualTo(tid);
    assertThat(d.switchingUp()).isEqualTo(u);
    assertThat(d.sid()).isEqualTo(sid);
    assertThat(d.interLayerDependency()).isEqualTo(dBit);
    assertThat(d.tl0PicIdx()).isEqualTo(tl0);
    String[] diffs = pDiffs == null || pDiffs.isBlank() ? new String[0] : pDiffs.split(" ");
    assertThat(d.pDiffCount()).isEqualTo(diffs.length);
    for (int i = 0; i < diffs.length; i++) {
      assertThat(d.pDiff(i)).isEqualTo(Integer.parseInt(diffs[i]));
    }
    assertThat(d.keyframe()).isEqualTo(key);
  }

  /** Chrome's first packet of an L3T3 key picture: non-flexible, with the SS. */
  static final String KEY_WITH_SS =
      "aa" // I L B V: P=0
          + "92 34" // M, picture id 0x1234
          + "00" // TID 0, U 0, SID 0, D 0
          + "05" // TL0PICIDX
          + "58" // SS: N_S 2 (three layers), Y, G
          + "0140 00b4" // 320x180
          + "0280 0168" // 640x360
          + "0500 02d0" // 1280x720
          + "04" // N_G: four pictures
          + "04 04" // TID 0, R 1: P_DIFF 4
          + "54 01" // TID 2, U, R 1: P_DIFF 1
          + "34 02" // TID 1, U, R 1: P_DIFF 2
          + "44 01"; // TID 2, R 1: P_DIFF 1

  @Test
  void parsesTheScalabilityStructure() {
    byte[] x = hex(KEY_WITH_SS + "824983");
    assertThat(d.parse(x, 0, x.length)).isTrue();
    assertThat(d.keyframe()).isTrue();
    assertThat(d.pictureId()).isEqualTo(0x1234);
    assertThat(d.tl0PicIdx()).isEqualTo(5);
    assertThat(d.ssPresent()).isTrue();
    assertThat(d.spatialLayers()).isEqualTo(3);
    assertThat(d.resolutionsPresent()).isTrue();
    assertThat(d.width(0)).isEqualTo(320);
    assertThat(d.height(0)).isEqualTo(180);
    assertThat(d.width(1)).isEqualTo(640);
    assertThat(d.height(1)).isEqualTo(360);
    assertThat(d.width(2)).isEqualTo(1280);
    assertThat(d.height(2)).isEqualTo(720);
    assertThat(d.groupPresent()).isTrue();
    assertThat(d.groupSize()).isEqualTo(4);
    int[] tids = {0, 2, 1, 2};
    boolean[] ups = {false, true, true, false};
    int[] diffs = {4, 1, 2, 1};
    for (int i = 0; i < 4; i++) {
      assertThat(d.groupTid(i)).isEqualTo(tids[i]);
      assertThat(d.groupSwitchingUp(i)).isEqualTo(ups[i]);
      assertThat(d.groupRefCount(i)).isEqualTo(1);
      assertThat(d.groupPDiff(i, 0)).isEqualTo(diffs[i]);
    }
    assertThat(d.length()).isEqualTo(x.length - 3);
  }

  @Test
  void parsesAnSsWithoutResolutionsOrGroup() {
    // ba: I L F B V | 01 | 00: SID 0 (flexible: no TL0PICIDX) | 00: SS N_S 0 | payload
    byte[] x = hex("ba 01 00 00 | 82");
    assertThat(d.parse(x, 0, x.length)).isTrue();
    assertThat(d.spatialLayers()).isEqualTo(1);
    assertThat(d.resolutionsPresent()).isFalse();
    assertThat(d.groupPresent()).isFalse();
    assertThat(d.groupSize()).isZero();
    assertThat(d.length()).isEqualTo(4);
    assertThat(d.keyframe()).isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          empty                          ; ''
          descriptor byte only           ; 0c
          I but no picture id            ; 80
          M but one picture id byte      ; 80 80
          picture id, no payload         ; 80 05
          L but no layer byte            ; a0 05
          non-flexible L but no TL0PICIDX; a0 05 00
          flexible P but no P_DIFF       ; 50
          P_DIFF announces one more      ; 50 03
          four P_DIFFs                   ; 50 03 03 03 02 aa
          V but no SS                    ; 02
          SS Y cut in the resolutions    ; 02 30 01 40 00 b4 02 80 01
          SS G but no N_G                ; 02 08
          SS group picture cut           ; 02 08 02 04 04
          SS group P_DIFF missing        ; 02 08 01 04
          SS complete, no payload        ; 02 08 01 04 04
          """)
  void refusesTruncated(String name, String bytes) {
    byte[] x = hex(bytes == null ? "" : bytes);
    assertThat(d.parse(x, 0, x.length)).isFalse();
    assertThat(d.valid()).isFalse();
  }

  @Test
  void everyPrefixOfTheKeyDescriptorIsRefused() {
    byte[] x = hex(KEY_WITH_SS + "82");
    for (int len = 0; len < x.length; len++) {
      assertThat(d.parse(x, 0, len)).as("len %d", len).isFalse();
    }
    assertThat(d.parse(x, 0, x.length)).isTrue();
  }

  @Test
  void parsesAtAnOffsetAndRefusesBadBounds() {
    byte[] x = hex("ffff ec800733 2a 00 ffff");
    assertThat(d.parse(x, 2, 6)).isTrue();
    assertThat(d.pictureId()).isEqualTo(7);
    assertThat(d.pictureIdOffset()).isEqualTo(1);
    assertThat(d.tl0PicIdxOffset()).isEqualTo(4);
    assertThat(d.parse(x, 2, 5)).isFalse();
    assertThat(d.parse(x, 8, 5)).isFalse();
    assertThat(d.parse(x, -1, 2)).isFalse();
    assertThat(d.parse(null, 0, 1)).isFalse();
  }
}
