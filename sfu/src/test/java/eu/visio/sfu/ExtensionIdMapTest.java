package eu.visio.sfu;

import static eu.visio.media.sdp.RtpExtensions.ABS_SEND_TIME;
import static eu.visio.media.sdp.RtpExtensions.MID;
import static eu.visio.media.sdp.RtpExtensions.REPAIRED_RTP_STREAM_ID;
import static eu.visio.media.sdp.RtpExtensions.RTP_STREAM_ID;
import static eu.visio.media.sdp.RtpExtensions.TRANSPORT_CC;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.rtp.RtpPacket;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Header extension ids translated from the publisher's numbering to a subscriber's. Each case
 * compares the whole rewritten extension block with annotated bytes, then re-parses the output with
 * {@link RtpPacket} as the subscriber would.
 */
class ExtensionIdMapTest {
  /** Publisher: abs-send-time 2, transport-cc 3, mid 4, rid 10, repaired rid 11. */
  private static final Map<String, Integer> PUB = Streams.PUB_EXT;

  /** Subscriber: abs-send-time 3, transport-cc 2, mid 9. Highest id it leaves free: 14. */
  private static final Map<String, Integer> SUB = Streams.SUB_EXT;

  private static byte[] publisherPacket(boolean twoByte) {
    RtpBuilder b =
        RtpBuilder.rtp(96, 1, 2, 3)
            .ext(4, "30") // mid "0"
            .ext(2, "aabbcc") // abs-send-time
            .ext(3, "0102") // transport-wide seq
            .ext(10, "68") // rid "h"
            .payload("10 31");
    return (twoByte ? b.twoByte() : b).build();
  }

  @Test
  void oneByteFormIdsFollowTheSubscriberAndMidIsRewritten() {
    byte[] out = translate(PUB, SUB, "v", publisherPacket(false));
    assertThat(extensionBlock(out))
        .isEqualTo(
            "bede0003" // profile, 3 words
                + "9076" // mid -> subscriber id 9, subscriber's value "v"
                + "32aabbcc" // abs-send-time -> 3
                + "210102" // transport-cc -> 2
                + "e068" // rid -> 14, an id the subscriber does not use
                + "00"); // padding
    RtpPacket p = wrap(out);
    assertThat(value(p, 9)).isEqualTo("76");
    assertThat(value(p, 3)).isEqualTo("aabbcc");
    assertThat(value(p, 2)).isEqualTo("0102");
    assertThat(p.extensionOffset(4)).isEqualTo(-1);
    assertThat(p.extensionOffset(10)).isEqualTo(-1);
  }

  @Test
  void twoByteFormIdsFollowTheSubscriberAndMidIsRewritten() {
    byte[] out = translate(PUB, SUB, "v", publisherPacket(true));
    assertThat(extensionBlock(out))
        .isEqualTo(
            "10000004" // profile, 4 words
                + "090176" // mid -> 9, "v"
                + "0303aabbcc" // abs-send-time -> 3
                + "02020102" // transport-cc -> 2
                + "0e0168" // rid -> 14
                + "00");
    RtpPacket p = wrap(out);
    assertThat(value(p, 9)).isEqualTo("76");
    assertThat(value(p, 3)).isEqualTo("aabbcc");
    assertThat(value(p, 2)).isEqualTo("0102");
  }

  @Test
  void midOfAnotherLengthIsOnlyMovedOutOfTheWay() {
    byte[] out = translate(PUB, SUB, "10", publisherPacket(false));
    assertThat(extensionBlock(out))
        .isEqualTo("bede0003" + "e030" + "32aabbcc" + "210102" + "e068" + "00");
    assertThat(wrap(out).extensionOffset(9)).isEqualTo(-1);
  }

  @Test
  void ridAndRepairedRidNeverPassThroughEvenWhenTheSubscriberNegotiatedThem() {
    Map<String, Integer> sub =
        Map.of(
            ABS_SEND_TIME,
            3,
            TRANSPORT_CC,
            2,
            MID,
            9,
            RTP_STREAM_ID,
            10,
            REPAIRED_RTP_STREAM_ID,
            11);
    byte[] in = RtpBuilder.rtp(97, 1, 2, 3).ext(10, "68").ext(11, "6c").payload("0001").build();
    byte[] out = translate(PUB, sub, "v", in);
    assertThat(extensionBlock(out))
        .isEqualTo(
            "bede0001"
                + "e068" // rid 10 -> 14
                + "e06c"); // repaired rid 11 -> 14
    RtpPacket p = wrap(out);
    assertThat(p.extensionOffset(10)).isEqualTo(-1);
    assertThat(p.extensionOffset(11)).isEqualTo(-1);
  }

  @Test
  void sameNumberingWithoutStreamIdsLeavesThePacketAlone() {
    Map<String, Integer> same = Map.of(ABS_SEND_TIME, 2, TRANSPORT_CC, 3);
    byte[] in = RtpBuilder.rtp(96, 1, 2, 3).ext(2, "aabbcc").ext(3, "0102").build();
    assertThat(translate(same, same, "v", in)).isEqualTo(in);
  }

  @Test
  void unknownUriWithEveryOneByteIdTakenStopsTheParser() {
    Map<String, Integer> full = new java.util.HashMap<>();
    for (int id = 1; id <= 14; id++) {
      full.put("urn:test:" + id, id);
    }
    Map<String, Integer> pub = Map.of("urn:test:only-publisher", 5);
    byte[] in = RtpBuilder.rtp(96, 1, 2, 3).ext(5, "aa").build();
    byte[] out = translate(pub, full, null, in);
    // RFC 8285 §4.2: id 15 makes the receiver stop reading the block.
    assertThat(extensionBlock(out)).isEqualTo("bede0001" + "f0aa" + "0000");
    assertThat(wrap(out).extensionOffset(5)).isEqualTo(-1);
  }

  /**
   * The subscriber's mid goes in even when the publisher's mid id happens to be the id the
   * subscriber leaves free (so every other id maps to itself).
   */
  @Test
  void midIsRewrittenWhenEveryOtherIdMapsToItself() {
    byte[] in = RtpBuilder.rtp(96, 1, 2, 3).ext(13, "30").build();
    byte[] out = translate(Map.of(MID, 13), Map.of(MID, 14), "v", in);
    assertThat(extensionBlock(out)).isEqualTo("bede0001" + "e076" + "0000");
    assertThat(value(wrap(out), 14)).isEqualTo("76");
  }

  /**
   * A subscriber may number an extension above 14 (two-byte ids, RFC 8285 §4.3); a one-byte element
   * cannot carry that id, so it must be moved to a free id rather than truncated to 4 bits.
   */
  @Test
  void oneByteElementWhoseSubscriberIdNeedsTwoBytesIsMovedAside() {
    byte[] in = RtpBuilder.rtp(96, 1, 2, 3).ext(3, "0102").ext(4, "30").build();
    byte[] out =
        translate(Map.of(TRANSPORT_CC, 3, MID, 4), Map.of(TRANSPORT_CC, 16, MID, 20), "v", in);
    assertThat(extensionBlock(out))
        .isEqualTo(
            "bede0002"
                + "e10102" // transport-cc: 16 does not fit in 4 bits -> free id 14
                + "e030" // mid: 20 does not fit either; the publisher's value stays, ignored
                + "000000");
    RtpPacket p = wrap(out);
    assertThat(value(p, 14)).isEqualTo("0102");
  }

  /** Applies the map to a copy of {@code in} placed at another offset, as DownTrack does. */
  private static byte[] translate(
      Map<String, Integer> pub, Map<String, Integer> sub, String subMid, byte[] in) {
    int srcOff = 5;
    int dstOff = 11;
    byte[] src = new byte[srcOff + in.length];
    System.arraycopy(in, 0, src, srcOff, in.length);
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(src, srcOff, in.length)).isTrue();
    byte[] dst = new byte[dstOff + in.length + 4];
    System.arraycopy(src, srcOff, dst, dstOff, in.length);
    new ExtensionIdMap(pub, sub, subMid).apply(p, dst, dstOff - srcOff);
    assertThat(Arrays.copyOfRange(src, srcOff, src.length)).as("source untouched").isEqualTo(in);
    return Arrays.copyOfRange(dst, dstOff, dstOff + in.length);
  }

  private static RtpPacket wrap(byte[] b) {
    RtpPacket p = new RtpPacket();
    assertThat(p.wrap(b, 0, b.length)).as("output parses").isTrue();
    return p;
  }

  private static String extensionBlock(byte[] b) {
    RtpPacket p = wrap(b);
    return HexFormat.of().formatHex(b, 12, p.headerLength());
  }

  private static String value(RtpPacket p, int id) {
    int at = p.extensionOffset(id);
    assertThat(at).as("extension %d present", id).isNotNegative();
    return HexFormat.of().formatHex(p.buffer(), at, at + p.extensionLength(id));
  }
}
