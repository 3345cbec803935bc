package eu.visio.sfu.svc;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.layer.LayerSelector.Decision;
import eu.visio.sfu.svc.SvcStream.Packet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Untrusted input never throws; the filter never sends more than its target allows. */
class SvcPropertiesTest {

  @Property(tries = 3000)
  void randomVp9PayloadsNeverThrow(
      @ForAll @Size(max = 64) byte[] data, @ForAll @IntRange(min = 0, max = 4) int off) {
    Vp9Descriptor d = new Vp9Descriptor();
    int o = Math.min(off, data.length);
    if (d.parse(data, o, data.length - o)) {
      assertThat(d.length()).isBetween(1, data.length - o - 1);
      assertThat(d.pictureId()).isBetween(-1, 0x7FFF);
      assertThat(d.tid()).isBetween(0, 7);
      assertThat(d.sid()).isBetween(0, 7);
      assertThat(d.pDiffCount()).isBetween(0, 3);
      assertThat(d.spatialLayers()).isBetween(0, 8);
    }
  }

  @Property(tries = 3000)
  void randomDependencyDescriptorsNeverThrow(
      @ForAll @Size(max = 48) byte[] data, @ForAll boolean withStructure) {
    DependencyDescriptor dd = new DependencyDescriptor();
    if (withStructure) {
      byte[] key =
          DdBuilder.of(Structures.L3T3).frame(true, true, 60, 0).attach(Structures.L3T3).bytes();
      assertThat(dd.parse(key, 0, key.length)).isTrue();
    }
    if (dd.parse(data, 0, data.length)) {
      checkResolved(dd);
    }
  }

  /** Valid descriptors with random bits flipped: the parser refuses or resolves consistently. */
  @Property(tries = 2000)
  void mutatedDescriptorsNeverThrow(
      @ForAll @IntRange(min = 0, max = 11) int template,
      @ForAll boolean attach,
      @ForAll @Size(min = 1, max = 4) List<@IntRange(min = 0, max = 1000) Integer> flips,
      @ForAll @IntRange(min = 0, max = 8) int cut) {
    Structures.Structure s = Structures.L3T3;
    DependencyDescriptor dd = new DependencyDescriptor();
    byte[] key = DdBuilder.of(s).frame(true, true, s.templateId(0), 0).attach(s).bytes();
    assertThat(dd.parse(key, 0, key.length)).isTrue();
    DdBuilder b = DdBuilder.of(s).frame(true, false, s.templateId(template), 7);
    if (attach) {
      b.attach(s);
    } else {
      b.customDtis(3, 3, 3, 2, 2, 2, 1, 1, 1).customFdiffs(1, 40).customChains(1, 2, 3);
    }
    byte[] x = b.bytes();
    for (int f : flips) {
      int bit = f % (x.length * 8);
      x[bit >>> 3] ^= (byte) (0x80 >>> (bit & 7));
    }
    int len = Math.max(0, x.length - cut);
    if (dd.parse(x, 0, len)) {
      checkResolved(dd);
    }
    assertThat(dd.structure()).isNotNull(); // a broken one never replaces it
  }

  private static void checkResolved(DependencyDescriptor dd) {
    DependencyStructure st = dd.structure();
    assertThat(st).isNotNull();
    assertThat(dd.spatialId()).isBetween(0, DependencyStructure.MAX_SPATIAL_ID);
    assertThat(dd.temporalId()).isBetween(0, DependencyStructure.MAX_TEMPORAL_ID);
    assertThat(dd.templateIndex()).isBetween(0, st.templates() - 1);
    for (int dt = 0; dt < dd.decodeTargets(); dt++) {
      assertThat(dd.dti(dt)).isBetween(0, 3);
    }
    for (int i = 0; i < dd.fdiffCount(); i++) {
      assertThat(dd.fdiff(i)).isBetween(1, 4096);
    }
    for (int c = 0; c < st.chains(); c++) {
      assertThat(dd.chainFdiff(c)).isBetween(0, 255);
    }
  }

  /**
   * Random target changes, losses and reordering on an L3T3 stream. Nothing throws; a sent packet
   * is never above the highest target in force since its picture's first packet arrived (except AV1
   * K-SVC, which keeps its spatial layer until a keyframe allows another); and an AV1 frame is
   * never sent when a frame it references reached the filter and was dropped.
   */
  @Property(tries = 300)
  void filterStaysWithinItsTargetAndSendsDecodableFrames(
      @ForAll boolean av1, @ForAll boolean kSvc, @ForAll long seed) {
    Random r = new Random(seed);
    SvcStream s = kSvc ? SvcStream.kSvc() : SvcStream.fullSvc();
    List<Packet> stream = new ArrayList<>(s.pictures(0, 40, Set.of(0, 12, 24, 36)));
    Vp9LayerFilter vp9Filter = new Vp9LayerFilter("prop");
    Av1LayerFilter av1Filter = new Av1LayerFilter("prop");
    SvcLayerFilter f = av1 ? av1Filter : vp9Filter;
    Vp9Descriptor vp9 = new Vp9Descriptor();
    DependencyDescriptor dd = new DependencyDescriptor();
    Map<Integer, int[]> allowed = new HashMap<>(); // picture -> highest target since it began
    Map<Integer, Boolean> frameSent = new HashMap<>(); // frame number -> sent
    for (int i = 0; i < stream.size(); i++) {
      if (r.nextInt(10) == 0) {
        f.setTarget(r.nextInt(4) - 1, r.nextInt(3));
        for (int[] a : allowed.values()) {
          a[0] = Math.max(a[0], f.targetSpatial());
          a[1] = Math.max(a[1], f.targetTemporal());
        }
      }
      Packet p = stream.get(i);
      if (r.nextInt(20) == 0) {
        continue; // lost
      }
      if (r.nextInt(20) == 0 && i + 1 < stream.size()) {
        stream.set(i, stream.get(i + 1)); // swapped with the next one
        stream.set(i + 1, p);
        p = stream.get(i);
      }
      allowed.putIfAbsent(p.picture(), new int[] {f.targetSpatial(), f.targetTemporal()});
      Decision d;
      if (av1) {
        d = av1Filter.decideAv1(dd, dd.parse(p.dd(), 0, p.dd().length), p.ts(), p.marker());
      } else {
        d = vp9Filter.decideVp9(vp9, vp9.parse(p.vp9(), 0, p.vp9().length), p.ts(), p.marker());
      }
      boolean sent = d == Decision.FORWARD || d == Decision.SWITCH;
      if (sent) {
        int[] a = allowed.get(p.picture());
        if (!(av1 && kSvc)) {
          assertThat(p.sid()).as("%s", p).isLessThanOrEqualTo(a[0]);
        }
        assertThat(p.tid()).as("%s", p).isLessThanOrEqualTo(a[1]);
      }
      if (av1 && dd.valid()) { // the filter decides frames it can read
        int frame = s.frameNumber(p.picture(), p.sid());
        frameSent.putIfAbsent(frame, sent);
        if (sent) {
          for (int k = 0; k < dd.fdiffCount(); k++) {
            Boolean ref = frameSent.get((frame - dd.fdiff(k)) & 0xFFFF);
            assertThat(ref).as("reference %d of %s", dd.fdiff(k), p).isNotEqualTo(Boolean.FALSE);
          }
        }
      }
      f.keyframeRequest(i * 10_000_000L);
    }
  }
}
