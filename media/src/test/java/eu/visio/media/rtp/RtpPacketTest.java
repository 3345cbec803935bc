package eu.visio.media.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtpPacketTest {
  private static final HexFormat HEX = HexFormat.of();

  /** A browser-shaped Opus packet with the three one-byte extensions WebRTC negotiates first. */
  static final String OPUS_WITH_EXTENSIONS =
      "90ef1234" // V=2 P=0 X=1 CC=0 | M=1 PT=111 | seq 0x1234
          + "0001e240" // timestamp 123456
          + "cafebabe" // SSRC
          + "bede0003" // RFC 8285 one-byte profile, 3 words
          + "22123456" // id 2 (abs-send-time) L=2 -> 3 bytes 12 34 56
          + "31002a" // id 3 (transport-cc) L=1 -> 2 bytes, seq 42
          + "4030" // id 4 (mid) L=0 -> 1 byte "0"
          + "000000" // padding to the 32-bit boundary
          + "fcfffe0102"; // Opus payload

  private static byte[] hex(String s) {
    return HEX.parseHex(s);
  }

  @Test
  void parsesHeaderAndOneByteExtensions() {
    byte[] buf = hex(OPUS_WITH_EXTENSIONS);
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 0, buf.length)).isTrue();
    assertThat(p.version()).isEqualTo(2);
    assertThat(p.hasPadding()).isFalse();
    assertThat(p.hasExtension()).isTrue();
    assertThat(p.marker()).isTrue();
    assertThat(p.payloadType()).isEqualTo(111);
    assertThat(p.sequenceNumber()).isEqualTo(0x1234);
    assertThat(p.timestamp()).isEqualTo(123456);
    assertThat(p.ssrc()).isEqualTo(0xCAFEBABE);
    assertThat(p.csrcCount()).isZero();
    assertThat(p.extensionProfile()).isEqualTo(0xBEDE);
    assertThat(p.headerLength()).isEqualTo(28);
    assertThat(p.payloadOffset()).isEqualTo(28);
    assertThat(p.payloadLength()).isEqualTo(5);
    assertThat(p.paddingLength()).isZero();
    assertThat(p.extensionOffset(2)).isEqualTo(17);
    assertThat(p.extensionLength(2)).isEqualTo(3);
    assertThat(p.readExtension(2)).isEqualTo(0x123456);
    assertThat(p.readExtension(3)).isEqualTo(42);
    assertThat(p.extensionLength(4)).isEqualTo(1);
    assertThat(buf[p.extensionOffset(4)]).isEqualTo((byte) '0');
    assertThat(p.extensionOffset(5)).isEqualTo(-1);
    assertThat(p.extensionLength(0)).isEqualTo(-1);
    assertThat(p.extensionLength(256)).isEqualTo(-1);
  }

  @Test
  void settersWriteThroughToTheBuffer() {
    byte[] buf = hex(OPUS_WITH_EXTENSIONS);
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 0, buf.length)).isTrue();
    p.setSsrc(0x01020304);
    p.setSequenceNumber(0xFFFF);
    p.setTimestamp(0xA0B0C0D0);
    p.setPayloadType(96);
    p.setMarker(false);
    assertThat(p.writeExtension(3, 0xBEEF)).isTrue();
    assertThat(p.writeExtension(2, new byte[] {9, 8, 7}, 0, 3)).isTrue();
    assertThat(p.writeExtension(2, new byte[] {9, 8}, 0, 2)).as("length must match").isFalse();
    assertThat(p.writeExtension(9, 1)).as("absent id").isFalse();

    String expected =
        "9060ffff" // M=0 PT=96 seq 65535
            + "a0b0c0d0"
            + "01020304"
            + "bede0003"
            + "22090807"
            + "31beef"
            + "4030"
            + "000000"
            + "fcfffe0102";
    assertThat(HEX.formatHex(buf)).isEqualTo(expected);
    assertThat(p.wrap(buf, 0, buf.length)).isTrue();
    assertThat(p.payloadType()).isEqualTo(96);
    assertThat(p.marker()).isFalse();
  }

  @Test
  void wrapsAtAnOffsetAndStripsPaddingWithCsrcs() {
    String packet =
        "a2" // V=2 P=1 X=0 CC=2
            + "08" // M=0 PT=8 (PCMA)
            + "0001"
            + "00000010"
            + "00000001"
            + "00000002"
            + "00000003" // CSRCs
            + "d5d5d5" // payload
            + "000003"; // 3 bytes of padding, count included
    byte[] buf = hex("ffff" + packet + "eeee");
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 2, buf.length - 4)).isTrue();
    assertThat(p.csrcCount()).isEqualTo(2);
    assertThat(p.csrc(0)).isEqualTo(2);
    assertThat(p.csrc(1)).isEqualTo(3);
    assertThat(p.hasPadding()).isTrue();
    assertThat(p.payloadOffset()).isEqualTo(2 + 20);
    assertThat(p.payloadLength()).isEqualTo(3);
    assertThat(p.paddingLength()).isEqualTo(3);
    assertThat(p.extensionProfile()).isEqualTo(-1);
  }

  @Test
  void twoByteFormCarriesLargeIdsAndEmptyValues() {
    String packet =
        "9000"
            + "0001"
            + "00000000"
            + "00000001"
            + "10000003" // RFC 8285 two-byte profile (appbits 0), 3 words
            + "0103616263" // id 1, len 3, "abc"
            + "00" // padding byte between elements
            + "1400" // id 20, len 0
            + "f701"
            + "7f" // id 247, len 1
            + "00" // padding
            + "ab";
    byte[] buf = hex(packet);
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 0, buf.length)).isTrue();
    assertThat(p.extensionProfile()).isEqualTo(0x1000);
    assertThat(p.extensionLength(1)).isEqualTo(3);
    assertThat(p.extensionOffset(1)).isEqualTo(18);
    assertThat(p.extensionLength(20)).isZero();
    assertThat(p.readExtension(247)).isEqualTo(0x7F);
    assertThat(p.payloadLength()).isEqualTo(1);
  }

  @Test
  void oneByteIdFifteenStopsParsing() {
    String packet =
        "9000"
            + "0001"
            + "00000000"
            + "00000001"
            + "bede0001"
            + "11aabb" // id 1, 2 bytes
            + "f0"; // id 15: stop; anything after it is not an element
    byte[] buf = hex(packet + "f0");
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(buf, 0, buf.length)).isTrue();
    assertThat(p.readExtension(1)).isEqualTo(0xAABB);
    assertThat(p.extensionLength(15)).isEqualTo(-1);
  }

  @Test
  void reusingTheViewForgetsPreviousExtensions() {
    byte[] withExt = hex(OPUS_WITH_EXTENSIONS);
    byte[] plain = hex("8000000100000000000000010a");
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(withExt, 0, withExt.length)).isTrue();
    assertThat(p.wrap(plain, 0, plain.length)).isTrue();
    assertThat(p.extensionOffset(3)).isEqualTo(-1);
    assertThat(p.extensionProfile()).isEqualTo(-1);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "too short, 80000001000000000000",
    "version 1, 400000010000000000000001",
    "version 0, 000000010000000000000001",
    "CSRC list beyond end, 81000001000000000000000100",
    "padding count 0, a00000010000000000000001aa00",
    "padding longer than payload, a00000010000000000000001aa05",
    "extension header truncated, 9000000100000000000000010000",
    "extension block overruns, 900000010000000000000001bede0002aabbccdd",
    "one-byte element overruns block, 900000010000000000000001bede000113aabbcc",
    "two-byte element overruns block, 900000010000000000000001100000010104aabb",
    "two-byte element header cut, 90000001000000000000000110000001000000ff",
    "extension inside padding, b00000010000000000000001bede000111aabb0004",
  })
  void rejectsMalformed(String why, String hex) {
    byte[] buf = hex(hex);
    assertThat(new RtpPacket().wrap(buf, 0, buf.length)).as(why).isFalse();
  }

  @Test
  void rejectsBadBounds() {
    byte[] buf = hex(OPUS_WITH_EXTENSIONS);
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(null, 0, 12)).isFalse();
    assertThat(p.wrap(buf, -1, 12)).isFalse();
    assertThat(p.wrap(buf, 1, buf.length)).isFalse();
    assertThat(p.wrap(buf, 0, -5)).isFalse();
  }

  @ParameterizedTest(name = "first byte {0} -> {1}")
  @CsvSource({
    "0, false",
    "1, false",
    "20, false",
    "63, false",
    "127, false",
    "128, true",
    "144, true",
    "191, true",
    "192, false",
    "255, false"
  })
  void demuxRangePerRfc7983(int first, boolean rtp) {
    assertThat(RtpPacket.isRtpOrRtcp((byte) first)).isEqualTo(rtp);
  }

  @ParameterizedTest(name = "second byte {0} -> {1}")
  @CsvSource({
    "111, false",
    "127, false",
    "191, false",
    "192, true",
    "200, true",
    "206, true",
    "223, true",
    "224, false",
    "239, false"
  })
  void rtcpByPayloadTypePerRfc5761(int second, boolean rtcp) {
    byte[] buf = {(byte) 0x80, (byte) second, 0, 1};
    assertThat(RtpPacket.isRtcp(buf, 0, 4)).isEqualTo(rtcp);
  }

  @Test
  void isRtcpNeedsAValidFirstByteAndFourBytes() {
    assertThat(RtpPacket.isRtcp(new byte[] {0x00, (byte) 200, 0, 1}, 0, 4)).isFalse();
    assertThat(RtpPacket.isRtcp(new byte[] {(byte) 0x80, (byte) 200, 0}, 0, 3)).isFalse();
    assertThat(RtpPacket.isRtcp(new byte[] {(byte) 0x80, (byte) 200, 0, 1}, 1, 4)).isFalse();
  }
}
