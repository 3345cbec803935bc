package eu.visio.sfu.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceRewriterTest {
  private final SequenceRewriter r = SequenceRewriter.rtp();

  @Test
  void identityUntilSomethingIsDropped() {
    assertThat(r.forward(100)).isEqualTo(100);
    assertThat(r.forward(101)).isEqualTo(101);
    assertThat(r.forward(103)).isEqualTo(103); // 102 lost: its gap stays for the NACK
    assertThat(r.forward(102)).isEqualTo(102);
  }

  @Test
  void dropsCloseUp() {
    r.forward(1);
    r.forward(2);
    assertThat(r.drop(3)).isTrue();
    assertThat(r.drop(4)).isTrue();
    assertThat(r.forward(5)).isEqualTo(3);
    assertThat(r.forward(6)).isEqualTo(4);
    assertThat(r.droppedCount()).isEqualTo(2);
  }

  @Test
  void reorderedPacketsAroundADropKeepTheirSlot() {
    assertThat(r.forward(10)).isEqualTo(10);
    // 11 is late. 12 is dropped (a TID 2 frame), 13 forwarded.
    assertThat(r.drop(12)).isTrue();
    assertThat(r.forward(13)).isEqualTo(12);
    assertThat(r.forward(11)).isEqualTo(11); // late, before the drop: its own slot
    assertThat(r.forward(14)).isEqualTo(13);
    assertThat(r.forward(12)).isEqualTo(SequenceRewriter.REJECTED); // a dropped input stays dropped
  }

  @Test
  void aLateDropIsTakenBackWhileNothingNewerWasSent() {
    r.forward(10);
    r.drop(12); // 11 still in flight
    assertThat(r.drop(11)).isTrue(); // same dropped frame, reordered: nothing after it was sent
    assertThat(r.forward(13)).isEqualTo(11);
  }

  @Test
  void aLateDropAfterANewerSentPacketLeavesAGap() {
    r.forward(10);
    r.forward(12);
    assertThat(r.drop(11)).isFalse();
    assertThat(r.gapCount()).isEqualTo(1);
    assertThat(r.forward(13)).isEqualTo(13);
  }

  @Test
  void dropIsIdempotent() {
    r.forward(1);
    r.drop(2);
    r.drop(2);
    assertThat(r.forward(3)).isEqualTo(2);
  }

  @Test
  void wrapsAt16Bits() {
    r.forward(65534);
    r.drop(65535);
    assertThat(r.forward(0)).isEqualTo(65535);
    r.drop(1);
    assertThat(r.forward(2)).isEqualTo(0);
  }

  @Test
  void switchContinuesAfterTheLastOutputAndRefusesWhatCameBefore() {
    r.forward(500);
    r.forward(501);
    r.drop(502);
    r.switchTo(9000);
    assertThat(r.forward(9000)).isEqualTo(502);
    assertThat(r.forward(8999)).isEqualTo(SequenceRewriter.REJECTED);
    assertThat(r.forward(9001)).isEqualTo(503);
    assertThat(r.rejectedCount()).isEqualTo(1);
  }

  @Test
  void switchToAnExplicitOutput() {
    r.switchTo(7, 40000);
    assertThat(r.forward(7)).isEqualTo(40000);
    assertThat(r.nextOutput()).isEqualTo(40001);
  }

  @Test
  void refusesInputsOlderThanTheWindow() {
    r.forward(0);
    r.forward(2000);
    assertThat(r.forward(2000 - 1024)).isEqualTo(SequenceRewriter.REJECTED);
    assertThat(r.forward(2000 - 1023)).isEqualTo(2000 - 1023);
  }

  @Test
  void bigJumpsClearTheWindow() {
    r.forward(0);
    r.drop(1);
    assertThat(r.forward(5000)).isEqualTo(4999);
    assertThat(r.forward(4999)).isEqualTo(4998);
  }

  @Test
  void inputOfInvertsForwardedSlots() {
    r.forward(10);
    r.drop(11);
    r.forward(12); // -> 11
    r.drop(13);
    r.drop(14);
    r.forward(16); // -> 13 (15 lost: slot 12)
    assertThat(r.inputOf(10)).isEqualTo(10);
    assertThat(r.inputOf(11)).isEqualTo(12);
    assertThat(r.inputOf(12)).isEqualTo(15); // the lost packet the subscriber NACKs
    assertThat(r.inputOf(13)).isEqualTo(16);
    assertThat(r.inputOf(9)).isEqualTo(SequenceRewriter.REJECTED); // before the start
    assertThat(r.forward(15)).isEqualTo(12);
  }

  @Test
  void fifteenBitPictureIdsWrap() {
    SequenceRewriter pids = new SequenceRewriter(15, 256);
    pids.switchTo(32766, 32760);
    assertThat(pids.forward(32766)).isEqualTo(32760);
    pids.drop(32767);
    assertThat(pids.forward(0)).isEqualTo(32761);
    assertThat(pids.forward(1)).isEqualTo(32762);
    pids.switchTo(100);
    for (int i = 0; i < 10; i++) {
      assertThat(pids.forward(100 + i)).isEqualTo((32763 + i) & 0x7FFF);
    }
  }

  @Test
  void sevenBitSpaceWithASmallWindow() {
    SequenceRewriter pids = new SequenceRewriter(7, 32);
    pids.forward(126);
    pids.drop(127);
    assertThat(pids.forward(0)).isEqualTo(127);
    assertThat(pids.forward(1)).isEqualTo(0);
    assertThat(pids.forward(100)).isEqualTo(SequenceRewriter.REJECTED); // 29 behind: older
  }
}
