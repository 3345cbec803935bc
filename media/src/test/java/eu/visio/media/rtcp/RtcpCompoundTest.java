package eu.visio.media.rtcp;

import static eu.visio.media.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtcpCompoundTest {

  @Test
  void iteratesARealCompoundWithoutDecoding() throws Exception {
    byte[] buf = hex(RtcpFixtures.FIREFOX_COMPOUND);
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    it.wrap(buf, 0, buf.length);
    int[][] expected = {
      {RtcpHeader.RR, 1, 0, 32},
      {RtcpHeader.SDES, 1, 32, 52},
      {RtcpHeader.BYE, 1, 84, 8},
      {RtcpHeader.PSFB, 1, 92, 12},
      {RtcpHeader.RTPFB, 5, 104, 12},
    };
    for (int[] e : expected) {
      assertThat(it.hasNext()).isTrue();
      assertThat(it.next()).isEqualTo(e[0]);
      assertThat(it.packetType()).isEqualTo(e[0]);
      assertThat(it.count()).isEqualTo(e[1]);
      assertThat(it.packetOffset()).isEqualTo(e[2]);
      assertThat(it.packetLength()).isEqualTo(e[3]);
      assertThat(it.ssrc()).isEqualTo(0x902f9e2e);
      assertThat(it.hasPadding()).isFalse();
    }
    assertThat(it.hasNext()).isFalse();
  }

  @Test
  void decodesAndRebuildsARealCompound() throws Exception {
    byte[] buf = hex(RtcpFixtures.FIREFOX_COMPOUND);
    List<RtcpPacket> packets = RtcpCompound.parse(buf, 0, buf.length);
    assertThat(packets).hasSize(5);
    assertThat(packets.get(0))
        .isEqualTo(
            new ReceiverReport(
                0x902f9e2e,
                List.of(new ReportBlock(0xbc5e9a40, 0, 0, 0x46e1, 273, 0x09f36432, 150137))));
    assertThat(packets.get(1))
        .isEqualTo(SourceDescription.cname(0x902f9e2e, "{9c00eb92-1afb-9d49-a47d-91f64eee69f5}"));
    assertThat(packets.get(2)).isEqualTo(new Goodbye(List.of(0x902f9e2e), ""));
    assertThat(packets.get(3)).isEqualTo(new PictureLossIndication(0x902f9e2e, 0x902f9e2e));
    UnknownRtcpPacket rrr = (UnknownRtcpPacket) packets.get(4);
    assertThat(rrr.packetType()).isEqualTo(RtcpHeader.RTPFB);
    assertThat(rrr.count()).isEqualTo(5);

    byte[] out = new byte[RtcpCompound.length(packets)];
    assertThat(RtcpCompound.write(out, 0, packets)).isEqualTo(buf.length);
    assertThat(out).isEqualTo(buf);
  }

  @Test
  void buildsRrPlusSdesAsARegularCompound() throws Exception {
    List<RtcpPacket> compound =
        List.of(
            new ReceiverReport(0x11223344, List.of()), SourceDescription.cname(0x11223344, "ab"));
    byte[] out = new byte[32];
    int n = RtcpCompound.write(out, 4, compound);
    assertThat(hex(out, 4, n))
        .isEqualTo(
            "80c90001"
                + "11223344" // empty RR
                + "81ca0003"
                + "11223344"
                + "01026162"
                + "00000000"); // CNAME "ab" + END pad
    assertThat(RtcpCompound.parse(out, 4, n)).isEqualTo(compound);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "truncated header, 81c900",
    "version 1, 41c90001 11223344",
    "length beyond datagram, 81c90007 902f9e2e",
    "second packet truncated, 80c90001 11223344 81ca",
  })
  void iteratorRejectsBrokenFraming(String why, String bytes) {
    byte[] buf = hex(bytes);
    assertThatThrownBy(() -> RtcpCompound.parse(buf, 0, buf.length))
        .as(why)
        .isInstanceOf(RtcpParseException.class);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "SR with RC=1 but no block, 81c80006 902f9e2e 00000000 00000000 00000000 00000000 00000000",
    "RR with RC=2 but one block, 82c90007 902f9e2e bc5e9a40 00000000 000046e1 00000111 09f36432 00024a79",
    "padding count zero, a0c90001 11223300",
    "padding longer than packet, a0c90001 11223309",
    "SDES item overruns, 81ca0002 11223344 01096162",
    "SDES without END, 81ca0002 11223344 01026162",
    "SDES chunk missing, 82ca0002 11223344 00000000",
    "BYE reason overruns, 81cb0002 11223344 05616263",
    "BYE sources missing, 82cb0001 11223344",
    "APP too short, 80cc0001 11223344",
    "APP name not ASCII, 80cc0002 11223344 ff414141",
    "PLI too short, 81ce0001 11223344",
    "FIR without entry, 84ce0002 11223344 00000000",
    "NACK without entry, 81cd0002 11223344 55667788",
    "REMB SSRC list overruns, 8fce0004 11223344 00000000 52454d42 020bd090",
    "REMB bitrate overflows, 8fce0004 11223344 00000000 52454d42 00fc0001",
    "TWCC too short, 8fcd0003 11223344 55667788 00010001",
  })
  void typedParsersRejectMalformedBodies(String why, String bytes) {
    byte[] buf = hex(bytes);
    assertThatThrownBy(() -> RtcpCompound.parse(buf, 0, buf.length))
        .as(why)
        .isInstanceOf(RtcpParseException.class);
  }

  @Test
  void singlePacketParseChecksItsOwnHeader() {
    byte[] pli = hex("81ce0002" + "00000001" + "00000002");
    assertThatThrownBy(() -> RtcpPacket.parse(pli, 0, 8)).isInstanceOf(RtcpParseException.class);
    assertThatThrownBy(() -> RtcpPacket.parse(pli, 0, 3)).isInstanceOf(RtcpParseException.class);
    pli[0] = 0x41;
    assertThatThrownBy(() -> RtcpPacket.parse(pli, 0, 12)).isInstanceOf(RtcpParseException.class);
  }

  @Test
  void lengthWordsCoverTheWholePacket() throws Exception {
    // Length field 0 is a bare header: legal framing, typed as unknown for an unknown type.
    byte[] buf = hex("80cf0000" + "80c90001" + "11223344");
    List<RtcpPacket> packets = RtcpCompound.parse(buf, 0, buf.length);
    assertThat(packets.get(0)).isInstanceOf(UnknownRtcpPacket.class);
    assertThat(packets.get(1)).isEqualTo(new ReceiverReport(0x11223344, List.of()));
  }
}
