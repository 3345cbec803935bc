package eu.visio.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class RtpHeaderExtensionWriterTest {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void addsAnExtensionToAForwardedPacket() {
    byte[] src = HEX.parseHex(RtpPacketTest.OPUS_WITH_EXTENSIONS);
    RtpPacket in = new RtpPacket();
    assertThat(in.wrap(src, 0, src.length)).isTrue();

    RtpHeaderExtensionWriter w = new RtpHeaderExtensionWriter();
    w.copyFrom(in);
    assertThat(w.size()).isEqualTo(3);
    w.remove(4); // drop mid
    w.setValue(3, 0x0102, 2); // replace transport-cc in place
    w.set(5, new byte[] {'h', 'i'}, 0, 2); // add a new one
    byte[] dst = new byte[w.packetLength(in)];
    assertThat(w.writePacket(in, dst, 0)).isEqualTo(dst.length);

    String expected =
        "90ef1234"
            + "0001e240"
            + "cafebabe"
            + "bede0003"
            + "22123456" // id 2 unchanged
            + "310102" // id 3 replaced
            + "516869" // id 5 added, "hi"
            + "0000" // padding
            + "fcfffe0102";
    assertThat(HEX.formatHex(dst)).isEqualTo(expected);
    RtpPacket out = new RtpPacket();
    assertThat(out.wrap(dst, 0, dst.length)).isTrue();
    assertThat(out.readExtension(3)).isEqualTo(0x0102);
    assertThat(out.extensionLength(4)).isEqualTo(-1);
  }

  @Test
  void switchesToTwoByteFormWhenAnIdOrValueDoesNotFit() {
    RtpHeaderExtensionWriter w = new RtpHeaderExtensionWriter();
    w.setValue(1, 0xAA, 1);
    assertThat(w.fitsOneByteForm()).isTrue();
    w.setValue(16, 0x0BCD, 2);
    assertThat(w.fitsOneByteForm()).isFalse();
    byte[] block = new byte[w.blockLength()];
    assertThat(w.write(block, 0)).isEqualTo(12);
    assertThat(HEX.formatHex(block)).isEqualTo("10000002" + "0101aa" + "10020bcd" + "00");

    w.remove(16);
    w.set(2, new byte[17], 0, 17); // 17 bytes: too long for the one-byte form
    assertThat(w.fitsOneByteForm()).isFalse();
    w.set(2, new byte[0], 0, 0); // empty value: only the two-byte form has it
    assertThat(w.fitsOneByteForm()).isFalse();
  }

  @Test
  void emptyWriterRemovesTheBlockAndClearsTheXBit() {
    byte[] src = HEX.parseHex(RtpPacketTest.OPUS_WITH_EXTENSIONS);
    RtpPacket in = new RtpPacket();
    assertThat(in.wrap(src, 0, src.length)).isTrue();
    RtpHeaderExtensionWriter w = new RtpHeaderExtensionWriter();
    byte[] dst = new byte[64];
    int n = w.writePacket(in, dst, 0);
    assertThat(HEX.formatHex(dst, 0, n))
        .isEqualTo("80ef1234" + "0001e240" + "cafebabe" + "fcfffe0102");
  }

  @Test
  void rejectsValuesTheFormatCannotCarry() {
    RtpHeaderExtensionWriter w = new RtpHeaderExtensionWriter();
    assertThatThrownBy(() -> w.setValue(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.setValue(256, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> w.set(1, new byte[256], 0, 256))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void growsAndReusesStorage() {
    RtpHeaderExtensionWriter w = new RtpHeaderExtensionWriter();
    for (int id = 1; id <= 255; id++) {
      w.set(id, new byte[255], 0, 255);
    }
    assertThat(w.size()).isEqualTo(255);
    byte[] block = new byte[w.blockLength()];
    w.write(block, 0);
    RtpPacket p = new RtpPacket();
    byte[] pkt = new byte[12 + block.length];
    pkt[0] = (byte) 0x90;
    System.arraycopy(block, 0, pkt, 12, block.length);
    assertThat(p.wrap(pkt, 0, pkt.length)).isTrue();
    assertThat(p.extensionLength(255)).isEqualTo(255);
    w.clear();
    assertThat(w.size()).isZero();
    assertThat(w.blockLength()).isZero();
  }
}
