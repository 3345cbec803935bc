package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Counting as a receiver report does: unique packets against the sequence numbers sent. */
class ReceiveStreamTest {
  @Test
  void lossDuplicatesAndRepairsAcrossTheWrap() {
    ReceiveStream s = new ReceiveStream(1, true);
    long now = 1_000_000_000L;
    int[] arrivals = {65530, 65531, 65533, 65533, 65535, 0, 1, 65532, 65532};
    int fresh = 0;
    for (int seq : arrivals) {
      if (s.onPacket(seq, 0, now, seq == 65532)) {
        fresh++;
      }
    }
    // 65530..1 is 8 numbers; 65534 never came; 65533 and the repaired 65532 came twice.
    assertThat(s.expected()).isEqualTo(8);
    assertThat(s.unique).isEqualTo(7);
    assertThat(fresh).isEqualTo(7);
  }

  @Test
  void theWindowCountsFromItsStart() {
    ReceiveStream s = new ReceiveStream(1, false);
    for (int seq = 100; seq < 110; seq++) {
      s.onPacket(seq, seq * 960, 0, false);
    }
    s.startWindow();
    for (int seq = 110; seq < 130; seq++) {
      if (seq != 120) {
        s.onPacket(seq, seq * 960, 0, false);
      }
    }
    assertThat(s.windowExpected()).isEqualTo(20);
    assertThat(s.windowReceived()).isEqualTo(19);
  }

  @Test
  void aStreamThatStartsInsideTheWindowCountsFromItsFirstPacket() {
    ReceiveStream s = new ReceiveStream(1, false);
    for (int seq = 5; seq < 15; seq++) {
      s.onPacket(seq, 0, 0, false);
    }
    assertThat(s.windowExpected()).isEqualTo(10);
    assertThat(s.windowReceived()).isEqualTo(10);
  }

  @Test
  void theReportBlockSaysWhatWasLost() {
    ReceiveStream s = new ReceiveStream(0x01020304, false);
    for (int seq = 0; seq < 100; seq++) {
      if (seq % 10 != 3) {
        s.onPacket(seq, seq * 960, 0, false);
      }
    }
    byte[] b = new byte[24];
    assertThat(s.writeReportBlock(b, 0, 0)).isEqualTo(24);
    assertThat(Stamp.getInt(b, 0)).as("SSRC").isEqualTo(0x01020304);
    assertThat(b[4] & 0xFF).as("fraction lost, 10/100 of 256").isEqualTo(25);
    assertThat(Stamp.getInt(b, 4) & 0xFFFFFF).as("cumulative lost").isEqualTo(10);
    assertThat(Stamp.getInt(b, 8)).as("extended highest").isEqualTo(99);
  }
}
