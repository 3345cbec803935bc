package eu.visio.sfu.svc;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.layer.LayerDropReason;
import eu.visio.sfu.layer.LayerSelector.Decision;
import eu.visio.sfu.svc.SvcStream.Packet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/** L3T3 streams through the filter, VP9 and AV1 alike: what goes out, and where the marker is. */
class SvcLayerFilterTest {
  private final Vp9Descriptor vp9 = new Vp9Descriptor();
  private final DependencyDescriptor dd = new DependencyDescriptor();
  private final Vp9LayerFilter vp9Filter = new Vp9LayerFilter("sub-1");
  private final Av1LayerFilter av1Filter = new Av1LayerFilter("sub-1");

  /** What the filter did with one packet. */
  record Out(Packet packet, Decision decision, boolean marker) {
    boolean sent() {
      return decision == Decision.FORWARD || decision == Decision.SWITCH;
    }
  }

  private Out vp9(Packet p) {
    boolean ok = vp9.parse(p.vp9(), 0, p.vp9().length);
    Decision d = vp9Filter.decideVp9(vp9, ok, p.ts(), p.marker());
    return new Out(
        p, d, d == Decision.FORWARD || d == Decision.SWITCH ? vp9Filter.setMarker() : false);
  }

  private Out av1(Packet p) {
    boolean ok = dd.parse(p.dd(), 0, p.dd().length);
    Decision d = av1Filter.decideAv1(dd, ok, p.ts(), p.marker());
    return new Out(
        p, d, d == Decision.FORWARD || d == Decision.SWITCH ? av1Filter.setMarker() : false);
  }

  private List<Out> run(List<Packet> packets, boolean av1) {
    List<Out> out = new ArrayList<>();
    for (Packet p : packets) {
      out.add(av1 ? av1(p) : vp9(p));
    }
    return out;
  }

  private static List<Packet> sent(List<Out> outs) {
    return outs.stream().filter(Out::sent).map(Out::packet).toList();
  }

  private static List<Packet> marked(List<Out> outs) {
    return outs.stream().filter(Out::marker).map(Out::packet).toList();
  }

  private static List<Packet> select(List<Packet> ps, Predicate<Packet> p) {
    return ps.stream().filter(p).toList();
  }

  private void l3t3ToS1T1(boolean av1) {
    SvcLayerFilter filter = av1 ? av1Filter : vp9Filter;
    List<Packet> stream = SvcStream.fullSvc().pictures(0, 12, Set.of(0, 8));
    filter.setTarget(1, 1);
    List<Out> outs = run(stream, av1);

    List<Packet> expected = select(stream, p -> p.sid() <= 1 && p.tid() <= 1);
    assertThat(sent(outs)).containsExactlyElementsOf(expected);
    // The marker ends each forwarded picture on the last packet of S1, where the source had none.
    assertThat(marked(outs))
        .containsExactlyElementsOf(select(expected, p -> p.sid() == 1 && p.last()));
    assertThat(outs.get(0).decision()).isEqualTo(Decision.SWITCH);
    assertThat(outs.stream().skip(1).filter(o -> o.decision() == Decision.SWITCH)).isEmpty();
    assertThat(outs.stream().filter(o -> !o.sent()))
        .allMatch(o -> o.decision() == Decision.DROP_IN_STREAM);
    long dropped =
        filter.dropCount(LayerDropReason.LAYER_NOT_SELECTED)
            + filter.dropCount(LayerDropReason.TEMPORAL_LAYER_DROPPED);
    assertThat(dropped).isEqualTo(stream.size() - expected.size());
    assertThat(filter.currentSpatial()).isEqualTo(1);
    assertThat(filter.currentTemporal()).isEqualTo(1);
    assertThat(filter.keyframeRequest(0)).isFalse();
  }

  @Test
  void vp9L3t3FilteredToS1T1() {
    l3t3ToS1T1(false);
  }

  @Test
  void av1L3t3FilteredToS1T1() {
    l3t3ToS1T1(true);
    assertThat(av1Filter.currentDecodeTarget()).isEqualTo(4);
  }

  @Test
  void vp9UpSwitchesWaitForSwitchingPoints() {
    SvcStream s = SvcStream.fullSvc();
    vp9Filter.setTarget(0, 0);
    assertThat(vp9Filter.keyframeRequest(0)).isTrue(); // not started: ask for a keyframe
    List<Out> outs = run(s.pictures(0, 3, Set.of(0)), false);
    assertThat(sent(outs)).allMatch(p -> p.sid() == 0 && p.tid() == 0);
    assertThat(marked(outs)).allMatch(p -> p.sid() == 0 && p.last()).hasSize(1);

    // Picture 3 is T2 without U (it references the T1 picture 2): no switch there.
    vp9Filter.setTarget(0, 2);
    assertThat(vp9Filter.keyframeRequest(1)).isFalse(); // temporal switches need no keyframe
    assertThat(sent(run(s.pictures(3, 5, Set.of()), false))).allMatch(p -> p.tid() == 0);
    // Picture 5 is T2 with U: it references only T0.
    assertThat(sent(run(s.pictures(5, 6, Set.of()), false))).hasSize(2);
    assertThat(vp9Filter.currentTemporal()).isEqualTo(2);

    // Spatial up needs a key picture; ask, again only after the retry interval.
    vp9Filter.setTarget(2, 2);
    assertThat(vp9Filter.keyframeRequest(1_000_000_000L)).isTrue();
    assertThat(vp9Filter.keyframeRequest(1_100_000_000L)).isFalse();
    assertThat(vp9Filter.keyframeRequest(1_500_000_000L)).isTrue();
    List<Out> waiting = run(s.pictures(6, 8, Set.of()), false);
    assertThat(sent(waiting)).allMatch(p -> p.sid() == 0).hasSize(4);
    assertThat(marked(waiting)).allMatch(p -> p.sid() == 0 && p.last()).hasSize(2);

    List<Out> key = run(s.pictures(8, 9, Set.of(8)), false);
    assertThat(sent(key)).hasSize(6);
    assertThat(marked(key)).singleElement().matches(p -> p.sid() == 2 && p.last());
    assertThat(vp9Filter.keyframeRequest(2_000_000_000L)).isFalse();
  }

  @Test
  void vp9SpatialDownAtTheNextPicture() {
    SvcStream s = SvcStream.fullSvc();
    vp9Filter.setTarget(2, 2);
    List<Packet> stream = s.pictures(0, 2, Set.of(0));
    List<Out> outs = new ArrayList<>();
    for (Packet p : stream) {
      if (p.picture() == 1 && p.sid() == 1 && p.first()) {
        vp9Filter.setTarget(0, 2); // mid-picture: this picture keeps its layers
      }
      outs.add(vp9(p));
    }
    outs.addAll(run(s.pictures(2, 3, Set.of()), false));
    assertThat(sent(outs))
        .containsExactlyElementsOf(
            select(outs.stream().map(Out::packet).toList(), p -> p.picture() < 2 || p.sid() == 0));
    assertThat(marked(outs))
        .extracting(p -> p.picture() + ":" + p.sid())
        .containsExactly("0:2", "1:2", "2:0");
  }

  @Test
  void vp9TargetRaisedInsideAKeyPictureUsesItsSpatialSwitchingPoints() {
    SvcStream s = SvcStream.fullSvc();
    vp9Filter.setTarget(0, 2);
    run(s.pictures(0, 8, Set.of(0)), false);
    List<Out> outs = new ArrayList<>();
    for (Packet p : s.pictures(8, 9, Set.of(8))) {
      outs.add(vp9(p));
      if (p.sid() == 0 && p.first()) {
        vp9Filter.setTarget(2, 2); // after the key picture started on S0 only
      }
    }
    // S0's end is left unmarked (its frame has P=0), so S1 and S2, also P=0, can join.
    assertThat(sent(outs)).hasSize(6);
    assertThat(marked(outs)).singleElement().matches(p -> p.sid() == 2);
    assertThat(vp9Filter.currentSpatial()).isEqualTo(2);
  }

  @Test
  void vp9PauseAndResumeAtAKeyframe() {
    SvcStream s = SvcStream.fullSvc();
    vp9Filter.setTarget(1, 2);
    run(s.pictures(0, 2, Set.of(0)), false);
    vp9Filter.pause();
    List<Out> paused = run(s.pictures(2, 4, Set.of()), false);
    assertThat(sent(paused)).isEmpty();
    assertThat(paused).allMatch(o -> o.decision() == Decision.DROP);
    assertThat(vp9Filter.dropCount(LayerDropReason.PAUSED)).isEqualTo(paused.size());
    assertThat(vp9Filter.keyframeRequest(0)).isFalse();

    vp9Filter.setTarget(1, 2);
    List<Out> waiting = run(s.pictures(4, 8, Set.of()), false);
    assertThat(sent(waiting)).isEmpty();
    assertThat(vp9Filter.lastDropReason()).isEqualTo(LayerDropReason.NOT_KEYFRAME_YET);
    assertThat(vp9Filter.keyframeRequest(0)).isTrue();
    List<Out> key = run(s.pictures(8, 9, Set.of(8)), false);
    assertThat(key.get(0).decision()).isEqualTo(Decision.SWITCH);
    assertThat(sent(key)).hasSize(4);
  }

  @Test
  void vp9LatePacketsFollowTheirPicture() {
    SvcStream s = SvcStream.fullSvc();
    vp9Filter.setTarget(2, 2);
    List<Packet> stream = s.pictures(0, 3, Set.of(0));
    // Picture 1's last packet arrives after picture 2 started, and after a switch down to S0.
    Packet late = stream.stream().filter(p -> p.picture() == 1 && p.marker()).findFirst().get();
    List<Packet> reordered = new ArrayList<>(stream);
    reordered.remove(late);
    vp9Filter.setTarget(2, 2);
    List<Out> outs = new ArrayList<>();
    for (Packet p : reordered) {
      if (p.picture() == 2 && p.first() && p.sid() == 0) {
        vp9Filter.setTarget(0, 2);
      }
      outs.add(vp9(p));
      if (p.picture() == 2 && p.sid() == 0 && p.first()) {
        outs.add(vp9(late));
      }
    }
    Out lateOut = outs.stream().filter(o -> o.packet() == late).findFirst().get();
    assertThat(lateOut.sent()).isTrue();
    assertThat(lateOut.marker()).isTrue();
  }

  @Test
  void malformedPacketsAreDroppedAndCounted() {
    byte[] junk = {(byte) 0x80};
    assertThat(vp9Filter.decideVp9(vp9, vp9.parse(junk, 0, 1), 0, false)).isEqualTo(Decision.DROP);
    assertThat(vp9Filter.dropCount(LayerDropReason.MALFORMED)).isEqualTo(1);
    byte[] noStructure = DdBuilder.of(Structures.L1T3).frame(true, true, 1, 5).bytes();
    boolean ok = dd.parse(noStructure, 0, noStructure.length);
    assertThat(av1Filter.decideAv1(dd, ok, 0, false)).isEqualTo(Decision.DROP);
    assertThat(av1Filter.dropCount(LayerDropReason.NOT_KEYFRAME_YET)).isEqualTo(1);
  }

  @Test
  void av1UpSwitchesWaitForSwitchFramesWithTheirReferences() {
    SvcStream s = SvcStream.fullSvc();
    av1Filter.setTarget(0, 0);
    List<Out> start = run(s.pictures(0, 1, Set.of(0)), true);
    assertThat(sent(start)).allMatch(p -> p.sid() == 0 && p.tid() == 0).hasSize(2);
    assertThat(av1Filter.currentDecodeTarget()).isZero();

    // To S0T2 (dt 2): picture 1's T2 frame is only Discardable for it; picture 2's T1 is Switch
    // and references the T0 key frame we sent.
    av1Filter.setTarget(0, 2);
    assertThat(av1Filter.keyframeRequest(0)).isFalse();
    assertThat(sent(run(s.pictures(1, 2, Set.of()), true))).isEmpty();
    List<Out> t1 = run(s.pictures(2, 8, Set.of()), true);
    assertThat(sent(t1)).allMatch(p -> p.sid() == 0).hasSize(12);
    assertThat(av1Filter.currentDecodeTarget()).isEqualTo(2);

    // To S2T2: S2T0 frames are Switch for dt 8, but reference S2 frames we never sent.
    av1Filter.setTarget(2, 2);
    assertThat(av1Filter.keyframeRequest(0)).isTrue();
    assertThat(sent(run(s.pictures(8, 12, Set.of()), true))).allMatch(p -> p.sid() == 0);
    List<Out> key = run(s.pictures(12, 13, Set.of(12)), true);
    assertThat(sent(key)).hasSize(6);
    assertThat(marked(key)).singleElement().matches(p -> p.sid() == 2 && p.last());
    assertThat(av1Filter.currentDecodeTarget()).isEqualTo(8);

    // Down to S1T1 in full SVC: contained in S2T2, so at the next picture without a keyframe.
    av1Filter.setTarget(1, 1);
    assertThat(av1Filter.keyframeRequest(1_000_000_000L)).isFalse();
    List<Out> down = run(s.pictures(13, 16, Set.of()), true);
    assertThat(sent(down)).allMatch(p -> p.sid() <= 1 && p.tid() <= 1).hasSize(4);
    assertThat(marked(down)).allMatch(p -> p.sid() == 1 && p.last()).hasSize(1);
  }

  @Test
  void av1KSvcSendsOnlyTheFramesTheDecodeTargetNeeds() {
    SvcStream s = SvcStream.kSvc();
    av1Filter.setTarget(2, 2);
    List<Out> outs = run(s.pictures(0, 8, Set.of(0)), true);
    // The key picture's S0 and S1 frames, then S2 frames only.
    assertThat(sent(outs)).allMatch(p -> p.picture() == 0 || p.sid() == 2).hasSize(6 + 7 * 2);
    assertThat(marked(outs)).allMatch(p -> p.sid() == 2 && p.last()).hasSize(8);

    // Down to S1T1: S1 is not contained in S2 here (its frames were not sent): wait for a key,
    // meanwhile step down in time to S2T1, which S2T2 contains.
    av1Filter.setTarget(1, 1);
    assertThat(av1Filter.keyframeRequest(0)).isTrue();
    List<Out> waiting = run(s.pictures(8, 12, Set.of()), true);
    assertThat(sent(waiting)).allMatch(p -> p.sid() == 2 && p.tid() <= 1).hasSize(4);
    assertThat(av1Filter.currentDecodeTarget()).isEqualTo(7);
    List<Out> after = run(s.pictures(12, 16, Set.of(12)), true);
    assertThat(sent(after))
        .containsExactlyElementsOf(
            select(
                after.stream().map(Out::packet).toList(),
                p -> p.tid() <= 1 && (p.sid() == 1 || p.key() && p.sid() == 0)));
    assertThat(marked(after)).allMatch(p -> p.sid() == 1 && p.last()).hasSize(2);
  }

  @Test
  void av1LatePacketsFollowTheirFrame() {
    SvcStream s = SvcStream.fullSvc();
    av1Filter.setTarget(1, 2);
    List<Packet> stream = s.pictures(0, 3, Set.of(0));
    List<Out> outs = new ArrayList<>();
    Packet held = null;
    for (Packet p : stream) {
      if (p.picture() == 1 && p.sid() == 1 && p.last()) {
        held = p; // S1's second packet of picture 1 comes after picture 2
        continue;
      }
      outs.add(av1(p));
    }
    av1Filter.setTarget(0, 0);
    Out late = av1(held);
    assertThat(late.sent()).isTrue();
    assertThat(late.marker()).isTrue();
  }

  /**
   * Regression (jqwik seed -2003003426870555219): at S0T0, then S2T2 wanted; picture 23's S2 frame
   * loses its first packet and its last one arrives after picture 24's keyframe switched to S2T2.
   * S2T2 wants that frame, but it references picture 22's S2 frame, which was dropped at S0T0.
   */
  @Test
  void av1LateFrameFromBeforeASwitchIsNotSentOnDroppedReferences() {
    lateFrameAcrossKeySwitch(SvcStream.fullSvc());
  }

  @Test
  void av1KSvcLateFrameFromBeforeASwitchIsNotSentOnDroppedReferences() {
    lateFrameAcrossKeySwitch(SvcStream.kSvc());
  }

  private void lateFrameAcrossKeySwitch(SvcStream s) {
    av1Filter.setTarget(0, 0);
    List<Out> before = run(s.pictures(0, 20, Set.of(0, 12)), true);
    assertThat(sent(before)).allMatch(p -> p.sid() == 0 && p.tid() == 0).isNotEmpty();
    av1Filter.setTarget(2, 2);
    List<Packet> p23 = s.pictures(23, 24, Set.of());
    run(s.pictures(20, 23, Set.of()), true);
    run(select(p23, p -> p.sid() < 2), true); // S2's first packet is lost
    List<Packet> key = s.pictures(24, 25, Set.of(24));
    assertThat(av1(key.get(0)).decision()).isEqualTo(Decision.FORWARD);
    assertThat(av1Filter.currentDecodeTarget()).isEqualTo(8);

    Out late = av1(select(p23, p -> p.sid() == 2 && p.last()).getFirst());
    assertThat(late.sent()).isFalse();
    assertThat(late.decision()).isEqualTo(Decision.DROP_IN_STREAM);
    assertThat(av1Filter.lastDropReason()).isEqualTo(LayerDropReason.STALE);
    assertThat(sent(run(key.subList(1, key.size()), true))).hasSize(key.size() - 1);
  }

  @Test
  void av1PauseAndStructureRepeat() {
    SvcStream s = SvcStream.fullSvc();
    av1Filter.setTarget(2, 2);
    run(s.pictures(0, 4, Set.of(0)), true);
    av1Filter.pause();
    List<Out> paused = run(s.pictures(4, 8, Set.of(4)), true);
    assertThat(sent(paused)).isEmpty();
    assertThat(av1Filter.currentDecodeTarget()).isEqualTo(SvcLayerFilter.NONE);
    av1Filter.setTarget(0, 2);
    List<Out> resumed = run(s.pictures(8, 9, Set.of(8)), true);
    assertThat(resumed.get(0).decision()).isEqualTo(Decision.SWITCH);
    assertThat(sent(resumed)).allMatch(p -> p.sid() == 0).hasSize(2);
    assertThat(dd.structureChanges()).isEqualTo(1); // keys repeated the structure
  }
}
