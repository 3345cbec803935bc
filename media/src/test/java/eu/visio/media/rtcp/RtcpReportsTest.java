package eu.visio.media.rtcp;

import static eu.visio.media.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SR, RR, SDES, BYE and APP: parse annotated bytes, check fields, rebuild, compare bytes. */
class RtcpReportsTest {

  private static RtcpPacket single(String bytes) throws RtcpParseException {
    byte[] buf = hex(bytes);
    List<RtcpPacket> packets = RtcpCompound.parse(buf, 0, buf.length);
    assertThat(packets).hasSize(1);
    RtcpPacket p = packets.get(0);
    byte[] out = new byte[p.length()];
    assertThat(p.write(out, 0)).isEqualTo(buf.length);
    assertThat(out).as("rebuilt bytes").isEqualTo(buf);
    return p;
  }

  @Test
  void senderReport() throws Exception {
    SenderReport sr = (SenderReport) single(RtcpFixtures.SENDER_REPORT);
    assertThat(sr.ssrc()).isEqualTo(0x902f9e2e);
    assertThat(sr.ntpTimestamp()).isEqualTo(0xda8bd1fc_dddda05aL);
    assertThat(sr.compactNtp()).isEqualTo(0xd1fcdddd);
    assertThat(sr.rtpTimestamp()).isEqualTo(0xaaf4edd5);
    assertThat(sr.packetCount()).isEqualTo(0xa0b1);
    assertThat(sr.octetCount()).isEqualTo(0xc0ffee);
    ReportBlock rb = sr.reports().get(0);
    assertThat(rb.ssrc()).isEqualTo(0xbc5e9a40);
    assertThat(rb.fractionLost()).isEqualTo(16);
    assertThat(rb.cumulativeLost()).isEqualTo(-2);
    assertThat(rb.extendedHighestSequence()).isEqualTo(0x146e1);
    assertThat(rb.jitter()).isEqualTo(273);
    assertThat(rb.lastSenderReport()).isEqualTo(0x09f36432);
    assertThat(rb.delaySinceLastSenderReport()).isEqualTo(150137);
  }

  @Test
  void senderReportProfileExtensionIsSkipped() throws Exception {
    byte[] buf =
        hex(
            "80c80007"
                + "00000001"
                + "0000000000000002"
                + "00000003"
                + "00000004"
                + "00000005"
                + "deadbeef");
    SenderReport sr = (SenderReport) RtcpCompound.parse(buf, 0, buf.length).get(0);
    assertThat(sr.reports()).isEmpty();
    assertThat(sr.octetCount()).isEqualTo(5);
    assertThat(sr.length()).isEqualTo(28);
  }

  @Test
  void receiverReportWithTwoBlocks() throws Exception {
    ReceiverReport rr =
        (ReceiverReport)
            single(
                "82c9000d" // RC=2 length=13
                    + "00000001"
                    + "00000002"
                    + "ff7fffff"
                    + "0000ffff"
                    + "00000000"
                    + "00000000"
                    + "00000000"
                    + "00000003"
                    + "00800000"
                    + "00010000"
                    + "00000001"
                    + "00000002"
                    + "00000003");
    assertThat(rr.reports().get(0).fractionLost()).isEqualTo(255);
    assertThat(rr.reports().get(0).cumulativeLost()).isEqualTo(0x7fffff);
    assertThat(rr.reports().get(1).cumulativeLost()).isEqualTo(-0x800000);
    assertThat(rr.reports().get(1).extendedHighestSequence()).isEqualTo(0x10000);
  }

  @Test
  void reportBlockLimits() {
    assertThat(ReportBlock.clampCumulativeLost(1L << 40)).isEqualTo(0x7fffff);
    assertThat(ReportBlock.clampCumulativeLost(-(1L << 40))).isEqualTo(-0x800000);
    assertThatThrownBy(() -> new ReportBlock(1, 256, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReportBlock(1, 0, 0x800000, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    ReportBlock rb = new ReportBlock(1, 0, 0, 0, 0, 0, 0);
    assertThatThrownBy(() -> new ReceiverReport(1, Collections.nCopies(32, rb)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sourceDescriptionWithTwoChunksAndAnEmptyOne() throws Exception {
    SourceDescription sdes =
        (SourceDescription)
            single(
                "82ca0005" // SC=2 length=5
                    + "00000001"
                    + "0103616263"
                    + "000000" // CNAME "abc", END + pad
                    + "00000002"
                    + "00000000"); // no items: END + pad
    assertThat(sdes.chunks())
        .containsExactly(new SourceDescription.Chunk(1, "abc"), new SourceDescription.Chunk(2, ""));
  }

  @Test
  void sourceDescriptionSkipsNonCnameItems() throws Exception {
    byte[] buf = hex("81ca0003" + "00000001" + "020178" + "010179" + "0000"); // NAME "x", CNAME "y"
    SourceDescription sdes = (SourceDescription) RtcpCompound.parse(buf, 0, buf.length).get(0);
    assertThat(sdes).isEqualTo(SourceDescription.cname(1, "y"));
  }

  @Test
  void goodbyeWithReason() throws Exception {
    Goodbye bye =
        (Goodbye)
            single(
                "82cb0004" // SC=2 length=4
                    + "902f9e2e"
                    + "bc5e9a40"
                    + "04676f6e65" // reason "gone"
                    + "000000");
    assertThat(bye.ssrcs()).containsExactly(0x902f9e2e, 0xbc5e9a40);
    assertThat(bye.reason()).isEqualTo("gone");
  }

  @Test
  void applicationDefined() throws Exception {
    ApplicationDefined app =
        (ApplicationDefined) single("83cc0003" + "902f9e2e" + "56495349" + "01020304");
    assertThat(app.subtype()).isEqualTo(3);
    assertThat(app.ssrc()).isEqualTo(0x902f9e2e);
    assertThat(app.name()).isEqualTo("VISI");
    assertThat(app.data()).containsExactly(1, 2, 3, 4);
    assertThat(app)
        .isEqualTo(new ApplicationDefined(3, 0x902f9e2e, "VISI", new byte[] {1, 2, 3, 4}));
    assertThatThrownBy(() -> new ApplicationDefined(0, 1, "TOOLONG", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ApplicationDefined(0, 1, "ABCD", new byte[3]))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
