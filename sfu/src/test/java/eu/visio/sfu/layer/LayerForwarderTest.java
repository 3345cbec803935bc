package eu.visio.sfu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.sfu.layer.Vp8Source.Packet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Simulcast switches and temporal drops seen through one subscriber's output. */
class LayerForwarderTest {
  private static final long FRAME_NANOS = 33_333_333L;

  /** What the subscriber received for one packet, read back from the rewritten copy. */
  record Out(int spatial, int seq, int ts, int pictureId, int tl0, int tid, boolean frameStart) {}

  private final LayerForwarder fwd = new LayerForwarder("dt-1", 90_000);
  private final Vp8Descriptor in = new Vp8Descriptor();
  private final Vp8Descriptor check = new Vp8Descriptor();
  private final List<Out> out = new ArrayList<>();
  private long now;

  private void feed(Packet p) {
    boolean ok = in.parse(p.payload(), 0, p.payload().length);
    if (!fwd.accept(p.spatial(), p.seq(), p.ts(), in, ok, now)) {
      return;
    }
    byte[] copy = p.payload().clone();
    fwd.writeDescriptor(in, copy, 0);
    assertThat(check.parse(copy, 0, copy.length)).isTrue();
    assertThat(copy.length).isEqualTo(p.payload().length);
    out.add(
        new Out(
            p.spatial(),
            fwd.sequence(),
            fwd.timestamp(),
            check.pictureId(),
            check.tl0PicIdx(),
            check.tid(),
            check.frameStart()));
  }

  private void feedFrame(Vp8Source... sources) {
    for (Vp8Source s : sources) {
      for (Packet p : s.frame()) {
        feed(p);
      }
    }
    now += FRAME_NANOS;
  }

  @Test
  void switchesFromLayer0To2OnlyAtALayer2KeyframeWithContinuousFields() {
    Vp8Source l0 = new Vp8Source(0, 1000, 5_000, 300, 10, 2);
    Vp8Source l1 = new Vp8Source(1, 20000, 900_000, 7000, 200, 3);
    Vp8Source l2 = new Vp8Source(2, 65530, -10_000, 32760, 250, 4);
    fwd.selector().setTarget(0, 2);
    assertThat(fwd.selector().keyframeRequest(now)).isEqualTo(0);
    for (int i = 0; i < 6; i++) {
      feedFrame(l0, l1, l2); // every source starts with a keyframe; layer 0 is picked up
    }
    assertThat(out).allMatch(o -> o.spatial() == 0).hasSize(12);

    fwd.selector().setTarget(2, 2);
    assertThat(fwd.selector().keyframeRequest(now)).isEqualTo(2);
    assertThat(fwd.selector().keyframeRequest(now + 1)).isEqualTo(LayerSelector.NONE);
    for (int i = 0; i < 5; i++) {
      feedFrame(l0, l1, l2); // no layer-2 keyframe yet: layer 0 continues
    }
    assertThat(out).allMatch(o -> o.spatial() == 0).hasSize(22);
    assertThat(fwd.selector().dropCount(LayerDropReason.NOT_KEYFRAME_YET)).isEqualTo(5 * 4);
    assertThat(fwd.selector().keyframeRequest(now)).isEqualTo(LayerSelector.NONE);
    assertThat(fwd.selector().keyframeRequest(now + 500_000_000L)).isEqualTo(2); // retried

    l2.keyframe();
    for (int i = 0; i < 6; i++) {
      feedFrame(l0, l1, l2);
    }
    // In the keyframe's round, layer 0's frame came first and still went out.
    assertThat(out.subList(22, 24)).allMatch(o -> o.spatial() == 0);
    assertThat(out.subList(24, out.size())).allMatch(o -> o.spatial() == 2).hasSize(24);
    assertThat(fwd.selector().currentSpatial()).isEqualTo(2);
    assertThat(fwd.selector().keyframeRequest(now)).isEqualTo(LayerSelector.NONE);
    assertContinuous(out);
    // The keyframe arrived right after the last layer-0 frame: one tick later, never the same.
    assertThat(out.get(24).ts() - out.get(23).ts()).isEqualTo(1);
  }

  @Test
  void switchesDownAtALowerLayerKeyframeToo() {
    Vp8Source l0 = new Vp8Source(0, 100, 0, 1, 0, 1);
    Vp8Source l2 = new Vp8Source(2, 40000, 77, 20000, 99, 3);
    fwd.selector().setTarget(2, 2);
    for (int i = 0; i < 5; i++) {
      feedFrame(l0, l2);
    }
    fwd.selector().setTarget(0, 2);
    feedFrame(l0, l2);
    feedFrame(l0, l2);
    l0.keyframe();
    feedFrame(l0, l2);
    feedFrame(l0, l2);
    assertThat(out.stream().map(Out::spatial).toList())
        .containsExactly(2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0);
    assertContinuous(out);
  }

  @Test
  void droppingTid2FromL1T3KeepsSequenceAndPictureIdsContiguous() {
    Vp8Source l0 = new Vp8Source(0, 65000, 0, 32700, 254, 2);
    fwd.selector().setTarget(0, 1);
    for (int i = 0; i < 600; i++) { // 65,000 + 1,200 wraps the sequence numbers
      feedFrame(l0);
    }
    assertThat(out).allMatch(o -> o.tid() <= 1).hasSize(600); // half the frames, two packets each
    assertThat(fwd.selector().dropCount(LayerDropReason.TEMPORAL_LAYER_DROPPED)).isEqualTo(600);
    assertContinuous(out);
  }

  @Test
  void temporalUpSwitchWaitsForALayerSyncFrameAndDownIsImmediate() {
    Vp8Source l0 = new Vp8Source(0, 1, 0, 1, 0, 1);
    fwd.selector().setTarget(0, 0);
    for (int i = 0; i < 8; i++) {
      feedFrame(l0); // K(0) 2 1 2 0 2 1 2: only TID 0
    }
    assertThat(out).allMatch(o -> o.tid() == 0).hasSize(2);
    fwd.selector().setTarget(0, 2);
    for (int i = 0; i < 4; i++) {
      feedFrame(l0); // no Y after the keyframe's first TL1/TL2 frames: stay on TID 0
    }
    assertThat(out).hasSize(3);
    l0.keyframe();
    for (int i = 0; i < 4; i++) {
      feedFrame(l0); // a keyframe allows the target at once
    }
    assertThat(out.subList(3, 7).stream().map(Out::tid).toList()).containsExactly(0, 2, 1, 2);
    fwd.selector().setTarget(0, 1);
    for (int i = 0; i < 4; i++) {
      feedFrame(l0);
    }
    assertThat(out.subList(7, out.size()).stream().map(Out::tid).toList()).containsExactly(0, 1);
    assertContinuous(out);
  }

  @Test
  void temporalUpSwitchAtLayerSyncFrames() {
    Vp8Source l0 = new Vp8Source(0, 1, 0, 1, 0, 1);
    fwd.selector().setTarget(0, 0);
    feed(l0.frame()[0]); // keyframe, TID 0
    fwd.selector().setTarget(0, 2);
    for (int i = 0; i < 3; i++) {
      feedFrame(l0); // 2 (Y) 1 (Y) 2
    }
    assertThat(out.stream().map(Out::tid).toList()).containsExactly(0, 2, 1, 2);
    assertThat(fwd.selector().currentTemporal()).isEqualTo(2);
  }

  @Test
  void pausesAtAFrameStartAndResumesAtAKeyframe() {
    Vp8Source l0 = new Vp8Source(0, 10, 0, 1, 0, 3);
    fwd.selector().setTarget(0, 2);
    feedFrame(l0);
    Packet[] frame = l0.frame();
    feed(frame[0]);
    fwd.selector().pause();
    feed(frame[1]);
    feed(frame[2]); // the frame in flight completes
    feedFrame(l0);
    assertThat(out).hasSize(6);
    assertThat(fwd.selector().dropCount(LayerDropReason.PAUSED)).isEqualTo(3);
    fwd.selector().setTarget(0, 2);
    feedFrame(l0);
    assertThat(out).hasSize(6);
    l0.keyframe();
    feedFrame(l0);
    assertThat(out).hasSize(9);
    assertContinuous(out);
  }

  @Test
  void reorderedPacketsAroundADroppedFrameMapToTheirSlots() {
    Vp8Source l0 = new Vp8Source(0, 100, 0, 50, 0, 2);
    fwd.selector().setTarget(0, 1);
    Packet[] key = l0.frame(); // TID 0, seq 100 101
    Packet[] t2 = l0.frame(); // TID 2, seq 102 103: dropped
    Packet[] t1 = l0.frame(); // TID 1, seq 104 105
    feed(key[0]);
    feed(t2[1]); // the dropped frame arrives out of order
    feed(t2[0]);
    feed(t1[0]);
    feed(key[1]); // late, before the dropped frame: keeps its slot
    feed(t1[1]);
    assertThat(out.stream().map(Out::seq).toList()).containsExactly(100, 102, 101, 103);
    assertThat(out.stream().map(Out::pictureId).toList()).containsExactly(50, 51, 50, 51);
    assertThat(fwd.sequences().gapCount()).isZero();
  }

  @Test
  void aDroppedPacketArrivingAfterANewerForwardedOneLeavesAGap() {
    Vp8Source l0 = new Vp8Source(0, 100, 0, 50, 0, 2);
    fwd.selector().setTarget(0, 1);
    Packet[] key = l0.frame(); // seq 100 101
    Packet[] t2 = l0.frame(); // seq 102 103: dropped
    Packet[] t1 = l0.frame(); // seq 104 105
    feed(key[0]);
    feed(key[1]);
    feed(t2[0]);
    feed(t1[0]); // 104 -> 103, keeping slot 102 for 103 (not seen yet)
    feed(t2[1]); // 103 is dropped after 104 was sent: slot 102 cannot be taken back
    feed(t1[1]); // 105 -> 104; slot 102 stays a gap, as in mediasoup and LiveKit
    assertThat(out.stream().map(Out::seq).toList()).containsExactly(100, 101, 103, 104);
    assertThat(fwd.sequences().gapCount()).isEqualTo(1);
  }

  @Test
  void malformedPacketsAreCounted() {
    byte[] bad = {(byte) 0x90};
    assertThat(fwd.accept(0, 1, 1, in, in.parse(bad, 0, 1), 0)).isFalse();
    assertThat(fwd.selector().dropCount(LayerDropReason.MALFORMED)).isEqualTo(1);
  }

  /**
   * Sequence numbers strictly contiguous; picture ids advance by one per frame; TL0PICIDX by one
   * per base-layer frame; timestamps never go back.
   */
  private static void assertContinuous(List<Out> out) {
    for (int i = 1; i < out.size(); i++) {
      Out a = out.get(i - 1);
      Out b = out.get(i);
      assertThat(b.seq()).as("seq after %s", a).isEqualTo((a.seq() + 1) & 0xFFFF);
      int pidStep = b.frameStart() ? 1 : 0;
      assertThat(b.pictureId()).as("pid after %s", a).isEqualTo((a.pictureId() + pidStep) & 0x7FFF);
      int tl0Step = b.frameStart() && b.tid() == 0 ? 1 : 0;
      assertThat(b.tl0()).as("tl0 after %s", a).isEqualTo((a.tl0() + tl0Step) & 0xFF);
      assertThat(b.ts() - a.ts()).as("ts after %s", a).isGreaterThanOrEqualTo(0);
    }
  }
}
