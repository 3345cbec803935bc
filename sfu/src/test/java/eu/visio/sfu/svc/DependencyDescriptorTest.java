package eu.visio.sfu.svc;

import static eu.visio.sfu.svc.DependencyDescriptor.DISCARDABLE;
import static eu.visio.sfu.svc.DependencyDescriptor.NOT_PRESENT;
import static eu.visio.sfu.svc.DependencyDescriptor.REQUIRED;
import static eu.visio.sfu.svc.DependencyDescriptor.SWITCH;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.svc.Structures.Structure;
import eu.visio.sfu.svc.Structures.Template;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AV1 RTP spec Appendix A: descriptors written bit by bit per the spec, parsed and resolved. */
class DependencyDescriptorTest {
  private final DependencyDescriptor dd = new DependencyDescriptor();

  private boolean parse(byte[] b) {
    return dd.parse(b, 0, b.length);
  }

  private static String dtis(DependencyDescriptor d) {
    StringBuilder sb = new StringBuilder();
    for (int dt = 0; dt < d.decodeTargets(); dt++) {
      sb.append("-DSR".charAt(d.dti(dt)));
    }
    return sb.toString();
  }

  @Test
  void mandatoryFieldsByHand() {
    // First a structure: one template S0T0, one decode target, no chains.
    // 10: start, end=0, template 0 ... only mandatory bits are checked by hand below.
    BitWriter w = new BitWriter();
    w.flag(true).flag(true).f(6, 0).f(16, 0x1234); // mandatory
    w.flag(true).flag(false).flag(false).flag(false).flag(false); // structure present only
    w.f(6, 0).f(5, 0); // template_id_offset 0, DtCnt 1
    w.f(2, 3); // one template: S0T0
    w.f(2, SWITCH); // its DTI
    w.flag(false); // no fdiffs
    w.ns(2, 0); // chain_cnt 0 (one bit: 0)
    w.flag(false); // no resolutions
    assertThat(parse(w.bytes())).isTrue();
    assertThat(dd.startOfFrame()).isTrue();
    assertThat(dd.endOfFrame()).isTrue();
    assertThat(dd.frameNumber()).isEqualTo(0x1234);
    assertThat(dd.structureAttached()).isTrue();
    assertThat(dd.spatialId()).isZero();
    assertThat(dd.dti(0)).isEqualTo(SWITCH);

    // Then the 3-byte form: 40 = start 0, end 1, template 0 | 12 35 frame number.
    byte[] mandatory = HexFormat.of().parseHex("401235");
    assertThat(parse(mandatory)).isTrue();
    assertThat(dd.startOfFrame()).isFalse();
    assertThat(dd.endOfFrame()).isTrue();
    assertThat(dd.templateId()).isZero();
    assertThat(dd.frameNumber()).isEqualTo(0x1235);
    assertThat(dd.structureAttached()).isFalse();
    assertThat(dd.dti(0)).isEqualTo(SWITCH);
  }

  @Test
  void withoutAStructureNothingResolves() {
    byte[] b = HexFormat.of().parseHex("c00001");
    assertThat(parse(b)).isFalse();
    assertThat(dd.missingStructure()).isTrue();
    assertThat(dd.structure()).isNull();
  }

  @Test
  void l1t3StructureAndFrames() {
    Structure s = Structures.L1T3;
    byte[] key = DdBuilder.of(s).frame(true, true, s.templateId(0), 100).attach(s).bytes();
    assertThat(parse(key)).isTrue();
    DependencyStructure st = dd.structure();
    assertThat(st.templateIdOffset()).isEqualTo(1);
    assertThat(st.decodeTargets()).isEqualTo(3);
    assertThat(st.templates()).isEqualTo(5);
    assertThat(st.maxSpatialId()).isZero();
    assertThat(st.maxTemporalId()).isEqualTo(2);
    assertThat(st.chains()).isEqualTo(1);
    assertThat(st.resolutionsPresent()).isFalse();
    assertThat(dd.activeDecodeTargets()).isEqualTo(0b111);
    for (int dt = 0; dt < 3; dt++) {
      assertThat(st.decodeTargetSpatialId(dt)).isZero();
      assertThat(st.decodeTargetTemporalId(dt)).isEqualTo(dt);
      assertThat(st.protectedBy(dt)).isZero();
    }
    // T0 is in every decode target; T0-1 in T0-2: containment grows with the layers.
    assertThat(st.containedIn(0)).isEqualTo(0b111);
    assertThat(st.containedIn(1)).isEqualTo(0b110);
    assertThat(st.containedIn(2)).isEqualTo(0b100);
    assertThat(dtis(dd)).isEqualTo("SSS");
    assertThat(dd.fdiffCount()).isZero();

    // frame, template index, sid, tid, DTIs, fdiff, chain fdiff
    Object[][] frames = {
      {101, 3, 2, "--D", 1, 1},
      {102, 2, 1, "-DS", 2, 2},
      {103, 4, 2, "--D", 1, 3},
      {104, 1, 0, "SSS", 4, 4},
    };
    for (Object[] f : frames) {
      int index = (int) f[1];
      byte[] b = DdBuilder.of(s).frame(true, true, s.templateId(index), (int) f[0]).bytes();
      assertThat(b).hasSize(3);
      assertThat(parse(b)).as("frame %s", f[0]).isTrue();
      assertThat(dd.frameNumber()).isEqualTo(f[0]);
      assertThat(dd.templateIndex()).isEqualTo(index);
      assertThat(dd.spatialId()).isZero();
      assertThat(dd.temporalId()).isEqualTo(f[2]);
      assertThat(dtis(dd)).isEqualTo(f[3]);
      assertThat(dd.fdiffCount()).isEqualTo(1);
      assertThat(dd.fdiff(0)).isEqualTo(f[4]);
      assertThat(dd.chainFdiff(0)).isEqualTo(f[5]);
    }
  }

  @Test
  void l3t3StructureResolvesLayersAndWrappedTemplateIds() {
    Structure s = Structures.L3T3;
    assertThat(parse(DdBuilder.of(s).frame(true, false, s.templateId(0), 65535).attach(s).bytes()))
        .isTrue();
    DependencyStructure st = dd.structure();
    assertThat(st.templateIdOffset()).isEqualTo(60);
    assertThat(st.decodeTargets()).isEqualTo(9);
    assertThat(st.templates()).isEqualTo(12);
    assertThat(st.maxSpatialId()).isEqualTo(2);
    assertThat(st.maxTemporalId()).isEqualTo(2);
    assertThat(st.chains()).isEqualTo(3);
    assertThat(st.resolutionsPresent()).isTrue();
    assertThat(st.renderWidth(2)).isEqualTo(1280);
    assertThat(st.renderHeight(0)).isEqualTo(180);
    for (int dt = 0; dt < 9; dt++) {
      assertThat(st.decodeTargetSpatialId(dt)).as("dt %d", dt).isEqualTo(dt / 3);
      assertThat(st.decodeTargetTemporalId(dt)).as("dt %d", dt).isEqualTo(dt % 3);
      assertThat(st.protectedBy(dt)).isEqualTo(dt / 3);
    }
    // Full SVC: S1T1 (dt 4) is inside S2T1 and S2T2, not inside S2T0 or S1T0.
    assertThat(st.containedIn(4)).isEqualTo(1 << 4 | 1 << 5 | 1 << 7 | 1 << 8);
    for (int i = 0; i < s.templates().size(); i++) {
      Template t = s.templates().get(i);
      byte[] b = DdBuilder.of(s).frame(true, true, s.templateId(i), i).bytes();
      assertThat(parse(b)).isTrue();
      assertThat(dd.spatialId()).as("template %d", i).isEqualTo(t.sid());
      assertThat(dd.temporalId()).as("template %d", i).isEqualTo(t.tid());
      assertThat(dtis(dd)).as("template %d", i).isEqualTo(t.dtis());
      assertThat(dd.fdiffCount()).isEqualTo(t.fdiffs().length);
      for (int k = 0; k < t.fdiffs().length; k++) {
        assertThat(dd.fdiff(k)).isEqualTo(t.fdiffs()[k]);
      }
      for (int c = 0; c < 3; c++) {
        assertThat(dd.chainFdiff(c)).isEqualTo(t.chainFdiffs()[c]);
      }
    }
    // Template id 59 maps to index (59 - 60) mod 64 = 63: beyond the 12 templates.
    assertThat(parse(DdBuilder.of(s).frame(true, true, 59, 1).bytes())).isFalse();
    assertThat(dd.missingStructure()).isFalse();
  }

  @Test
  void kSvcDecodeTargetsDoNotContainLowerLayers() {
    Structure s = Structures.L3T3_KEY;
    assertThat(parse(DdBuilder.of(s).frame(true, true, 0, 0).attach(s).bytes())).isTrue();
    DependencyStructure st = dd.structure();
    assertThat(st.containedIn(4)).isEqualTo(1 << 4 | 1 << 5);
    assertThat(st.containedIn(0)).isEqualTo(0b111);
  }

  @Test
  void customFieldsOverrideTheTemplate() {
    Structure s = Structures.L3T3;
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(0), 1).attach(s).bytes()))
        .isTrue();
    byte[] b =
        DdBuilder.of(s)
            .frame(true, false, s.templateId(5), 2)
            .customDtis(0, 0, 0, 2, 2, 2, 3, 3, 1)
            .customFdiffs(1, 17, 300)
            .customChains(9, 200, 255)
            .bytes();
    assertThat(parse(b)).isTrue();
    assertThat(dd.customDtis()).isTrue();
    assertThat(dtis(dd)).isEqualTo("---SSSRRD");
    assertThat(dd.fdiffCount()).isEqualTo(3);
    assertThat(dd.fdiff(0)).isEqualTo(1);
    assertThat(dd.fdiff(1)).isEqualTo(17);
    assertThat(dd.fdiff(2)).isEqualTo(300);
    assertThat(dd.chainFdiff(1)).isEqualTo(200);
    assertThat(dd.chainFdiff(2)).isEqualTo(255);
    assertThat(dd.spatialId()).isEqualTo(1);
    // The next packet without custom fields is back on the template.
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(5), 3).bytes())).isTrue();
    assertThat(dtis(dd)).isEqualTo("---SSSRRR");
    assertThat(dd.fdiff(0)).isEqualTo(12);
  }

  @Test
  void activeDecodeTargetsPersistUntilTheNextStructure() {
    Structure s = Structures.L3T3;
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(0), 1).attach(s).bytes()))
        .isTrue();
    assertThat(dd.activeDecodeTargets()).isEqualTo(0x1FF);
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(1), 2).active(0x3F).bytes()))
        .isTrue();
    assertThat(dd.activeDecodeTargets()).isEqualTo(0x3F);
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(1), 3).bytes())).isTrue();
    assertThat(dd.activeDecodeTargets()).isEqualTo(0x3F);
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(0), 4).attach(s).bytes()))
        .isTrue();
    assertThat(dd.activeDecodeTargets()).isEqualTo(0x1FF);
  }

  @Test
  void aRepeatedStructureKeepsTheSameObjectAndANewOneReplacesIt() {
    Structure s = Structures.L3T3;
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(0), 1).attach(s).bytes()))
        .isTrue();
    DependencyStructure first = dd.structure();
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(0), 50).attach(s).bytes()))
        .isTrue();
    assertThat(dd.structure()).isSameAs(first);
    assertThat(dd.structuresReceived()).isEqualTo(2);
    assertThat(dd.structureChanges()).isEqualTo(1);

    Structure k = Structures.L3T3_KEY;
    assertThat(parse(DdBuilder.of(k).frame(true, true, 0, 99).attach(k).bytes())).isTrue();
    assertThat(dd.structure()).isNotSameAs(first);
    assertThat(dd.structureChanges()).isEqualTo(2);
    assertThat(first.dti(1, 3)).isEqualTo(REQUIRED); // the old object is left untouched
  }

  @Test
  void aBrokenStructureLeavesTheCurrentOne() {
    Structure s = Structures.L1T3;
    assertThat(parse(DdBuilder.of(s).frame(true, true, s.templateId(0), 1).attach(s).bytes()))
        .isTrue();
    DependencyStructure current = dd.structure();
    byte[] l3 =
        DdBuilder.of(Structures.L3T3).frame(true, true, 60, 2).attach(Structures.L3T3).bytes();
    for (int len = 3; len < l3.length - 1; len++) {
      // A cut descriptor loses its structure's tail; either it fails, or (len 3) it is read
      // as mandatory fields only against the current structure.
      boolean ok = dd.parse(l3, 0, len);
      if (len > 3) {
        assertThat(ok).as("len %d", len).isFalse();
      }
      assertThat(dd.structure()).isSameAs(current);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = ';',
      textBlock =
          """
          # name                        ; dtCnt ; template layers (next_layer_idc sequence)
          64 templates is the limit     ; 1     ; 64
          65 templates is too many      ; 1     ; 65
          spatial id 3 is the limit     ; 1     ; s3
          spatial id 4 is too big       ; 1     ; s4
          """)
  void templateLimits(String name, int dtCount, String layers) {
    BitWriter w = new BitWriter();
    w.flag(true).flag(true).f(6, 0).f(16, 1);
    w.flag(true).flag(false).flag(false).flag(false).flag(false);
    w.f(6, 0).f(5, dtCount - 1);
    int templates;
    if (layers.startsWith("s")) {
      int spatial = layers.charAt(1) - '0';
      templates = spatial + 1;
      for (int i = 0; i < spatial; i++) {
        w.f(2, 2);
      }
    } else {
      templates = Integer.parseInt(layers);
      for (int i = 0; i < templates - 1; i++) {
        w.f(2, 0);
      }
    }
    w.f(2, 3);
    for (int i = 0; i < templates * dtCount; i++) {
      w.f(2, DISCARDABLE);
    }
    for (int i = 0; i < templates; i++) {
      w.flag(false);
    }
    w.ns(dtCount + 1, 0).flag(false);
    boolean ok = parse(w.bytes());
    assertThat(ok).isEqualTo(!name.contains("too"));
  }

  @Test
  void nonSymmetricNumbersRoundTrip() {
    BitReader r = new BitReader();
    for (int n = 0; n <= 40; n++) {
      for (int v = 0; v < Math.max(n, 1); v++) {
        BitWriter w = new BitWriter().ns(n, v).f(3, 5);
        byte[] b = w.bytes();
        r.reset(b, 0, b.length);
        assertThat(r.ns(n)).as("ns(%d) = %d", n, v).isEqualTo(n <= 1 ? 0 : v);
        assertThat(r.f(3)).isEqualTo(5);
      }
    }
    // ns(5): w = 3, m = 3: 0..2 take two bits, 3..4 three bits.
    assertThat(new BitWriter().ns(5, 2).bits()).isEqualTo(2);
    assertThat(new BitWriter().ns(5, 4).bits()).isEqualTo(3);
    assertThat(NOT_PRESENT).isZero();
  }

  @Test
  void refusesBadBounds() {
    byte[] b = HexFormat.of().parseHex("c0000100");
    assertThat(dd.parse(null, 0, 3)).isFalse();
    assertThat(dd.parse(b, -1, 3)).isFalse();
    assertThat(dd.parse(b, 2, 3)).isFalse();
    assertThat(dd.parse(b, 0, 2)).isFalse();
  }
}
