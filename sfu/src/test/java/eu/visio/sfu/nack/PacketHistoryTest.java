package eu.visio.sfu.nack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.rtp.ExtendedSequence;
import eu.visio.media.rtp.RtpPacket;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PacketHistoryTest {
  private static byte[] packet(long seq, int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (seq * 31 + i);
    }
    return b;
  }

  @Test
  void storesAndReturnsExactBytes() {
    PacketHistory h = new PacketHistory(8, 200);
    byte[] p = packet(5, 173);
    assertThat(h.store(p, 0, p.length, 5, 1_000)).isTrue();
    byte[] dst = new byte[210];
    Arrays.fill(dst, (byte) 0x55);
    assertThat(h.read(5, dst, 7)).isEqualTo(173);
    assertThat(Arrays.copyOfRange(dst, 7, 180)).isEqualTo(p);
    assertThat(dst[6]).isEqualTo((byte) 0x55);
    assertThat(dst[180]).as("nothing written past the packet").isEqualTo((byte) 0x55);
    assertThat(h.length(5)).isEqualTo(173);
    assertThat(h.arrivalNanos(5)).isEqualTo(1_000);
    assertThat(h.contains(5)).isTrue();
  }

  @Test
  void storesFromAnOffset() {
    PacketHistory h = new PacketHistory(4, 100);
    byte[] buf = new byte[300];
    byte[] p = packet(9, 60);
    System.arraycopy(p, 0, buf, 120, 60);
    h.store(buf, 120, 60, 9, 0);
    byte[] dst = new byte[100];
    assertThat(h.read(9, dst, 0)).isEqualTo(60);
    assertThat(Arrays.copyOf(dst, 60)).isEqualTo(p);
  }

  @Test
  void storesAWrappedRtpPacket() {
    byte[] buf = new byte[64];
    buf[4] = (byte) 0x80; // V=2, header at offset 4
    buf[7] = 42; // seq 42
    buf[20] = 7;
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 4, 40)).isTrue();
    PacketHistory h = new PacketHistory(8, 100);
    assertThat(h.store(p, 42, 0)).isTrue();
    byte[] dst = new byte[100];
    assertThat(h.read(42, dst, 0)).isEqualTo(40);
    assertThat(Arrays.copyOf(dst, 40)).isEqualTo(Arrays.copyOfRange(buf, 4, 44));
  }

  @Test
  void neverStoredIsAbsent() {
    PacketHistory h = new PacketHistory(8, 100);
    byte[] dst = new byte[100];
    assertThat(h.read(0, dst, 0)).isEqualTo(-1);
    assertThat(h.readSeq16(0, dst, 0)).isEqualTo(-1);
    h.store(packet(1, 10), 0, 10, 1, 0);
    assertThat(h.read(2, dst, 0)).isEqualTo(-1);
    assertThat(h.read(1 + 8, dst, 0)).as("same slot, other cycle").isEqualTo(-1);
    assertThat(h.arrivalNanos(2)).isEqualTo(-1);
    assertThat(h.length(2)).isEqualTo(-1);
  }

  @Test
  void evictsByRingWrapAndRefusesStaleSlots() {
    PacketHistory h = new PacketHistory(8, 100);
    byte[] dst = new byte[100];
    for (long s = 100; s < 120; s++) {
      h.store(packet(s, 20 + (int) (s % 7)), 0, 20 + (int) (s % 7), s, s);
    }
    for (long s = 100; s < 112; s++) {
      assertThat(h.read(s, dst, 0)).as("evicted %d", s).isEqualTo(-1);
    }
    for (long s = 112; s < 120; s++) {
      int len = 20 + (int) (s % 7);
      assertThat(h.read(s, dst, 0)).isEqualTo(len);
      assertThat(Arrays.copyOf(dst, len)).isEqualTo(packet(s, len));
    }
    // A slot left over from an older cycle (a gap in the newer one) is not returned.
    h.store(packet(125, 30), 0, 30, 125, 0);
    assertThat(h.read(124, dst, 0)).isEqualTo(-1);
    assertThat(h.read(116, dst, 0)).as("slot of 124 still holds 116, which is valid").isPositive();
    assertThat(h.read(117, dst, 0)).as("overwritten by 125").isEqualTo(-1);
  }

  @Test
  void refusesDuplicatesLateAndOversizedPackets() {
    PacketHistory h = new PacketHistory(8, 100);
    byte[] dst = new byte[100];
    assertThat(h.store(packet(20, 50), 0, 50, 20, 0)).isTrue();
    assertThat(h.store(packet(99, 40), 0, 40, 20, 0)).as("stored once").isFalse();
    assertThat(h.read(20, dst, 0)).isEqualTo(50);
    assertThat(h.store(packet(12, 40), 0, 40, 12, 0)).as("older than slot owner").isFalse();
    assertThat(h.read(20, dst, 0)).isEqualTo(50);
    assertThat(h.store(new byte[101], 0, 101, 21, 0)).isFalse();
    assertThat(h.store(new byte[0], 0, 0, 22, 0)).isFalse();
    assertThat(h.store(packet(15, 30), 0, 30, 15, 0)).as("late but within the ring").isTrue();
    assertThat(h.read(15, dst, 0)).isEqualTo(30);
    assertThat(h.highest()).isEqualTo(20);
    assertThat(h.storedCount()).isEqualTo(2);
    assertThat(h.rejectedCount()).isEqualTo(4);
  }

  @Test
  void readsBySixteenBitNumbersAcrossTheWrap() {
    PacketHistory h = new PacketHistory(16, 100);
    ExtendedSequence ext = new ExtendedSequence();
    byte[] dst = new byte[100];
    for (int i = 0; i < 10; i++) {
      int seq = (65530 + i) & 0xFFFF;
      h.store(packet(seq, 40), 0, 40, ext.update(seq), i);
    }
    assertThat(h.highest()).isEqualTo(65539);
    for (int i = 0; i < 10; i++) {
      int seq = (65530 + i) & 0xFFFF;
      assertThat(h.readSeq16(seq, dst, 0)).as("seq %d", seq).isEqualTo(40);
      assertThat(Arrays.copyOf(dst, 40)).isEqualTo(packet(seq, 40));
    }
    assertThat(h.extend(65535)).isEqualTo(65535);
    assertThat(h.extend(3)).isEqualTo(65539);
    assertThat(h.readSeq16(4, dst, 0)).isEqualTo(-1);
  }

  @Test
  void clearForgetsEverything() {
    PacketHistory h = new PacketHistory(4, 100);
    h.store(packet(1, 10), 0, 10, 1, 0);
    h.clear();
    assertThat(h.read(1, new byte[100], 0)).isEqualTo(-1);
    assertThat(h.highest()).isEqualTo(Long.MIN_VALUE);
    assertThat(h.store(packet(0, 10), 0, 10, 0, 0)).isTrue();
  }

  @Test
  void rejectsBadSizes() {
    assertThatThrownBy(() -> new PacketHistory(100)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PacketHistory(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PacketHistory(8, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(new PacketHistory(512).slotSize()).isEqualTo(PacketHistory.DEFAULT_SLOT_SIZE);
  }
}
