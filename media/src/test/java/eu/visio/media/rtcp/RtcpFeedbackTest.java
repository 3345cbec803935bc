package eu.visio.media.rtcp;

import static eu.visio.media.rtcp.RtcpFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** PLI, FIR, NACK and REMB: annotated bytes parsed, checked, rebuilt and compared. */
class RtcpFeedbackTest {

  private static RtcpPacket roundTrip(String bytes, RtcpPacket expected) throws Exception {
    byte[] buf = hex(bytes);
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    it.wrap(buf, 0, buf.length);
    it.next();
    RtcpPacket parsed = it.parse();
    assertThat(it.hasNext()).isFalse();
    assertThat(parsed).isEqualTo(expected);
    byte[] out = new byte[expected.length() + 8];
    assertThat(expected.write(out, 8)).isEqualTo(buf.length);
    assertThat(hex(out, 8, buf.length)).isEqualTo(bytes.replace(" ", ""));
    return parsed;
  }

  @Test
  void pictureLossIndicationAlone() throws Exception {
    roundTrip(
        "81ce0002" // FMT=1 PT=206 length=2, reduced-size (RFC 5506)
            + "00000001" // sender
            + "4bc4fcb4", // media source
        new PictureLossIndication(1, 0x4bc4fcb4));
  }

  /** The iterator reads a feedback packet's media SSRC without decoding it; 0 when too short. */
  @Test
  void mediaSsrcIsReadInPlace() throws Exception {
    byte[] buf = hex("81ce0002" + "00000001" + "4bc4fcb4" + "81ce0001" + "00000001");
    RtcpCompoundIterator it = new RtcpCompoundIterator();
    it.wrap(buf, 0, buf.length);
    it.next();
    assertThat(it.mediaSsrc()).isEqualTo(0x4bc4fcb4);
    it.next();
    assertThat(it.mediaSsrc()).isZero();
  }

  @Test
  void fullIntraRequest() throws Exception {
    roundTrip(
        "84ce0006" // FMT=4 PT=206 length=6
            + "00000001" // sender
            + "00000000" // media source: unused for FIR
            + "4bc4fcb4"
            + "2a000000" // entry: SSRC, seq nr 42, reserved
            + "12345678"
            + "ff000000", // entry: seq nr 255
        new FullIntraRequest(
            1,
            List.of(
                new FullIntraRequest.Entry(0x4bc4fcb4, 42),
                new FullIntraRequest.Entry(0x12345678, 255))));
  }

  @Test
  void genericNackBuiltFromLostSequencesAcrossTheWrap() throws Exception {
    GenericNack nack =
        GenericNack.fromLost(1, 0x4bc4fcb4, List.of(100, 101, 116, 116, 65534, 65535, 0));
    roundTrip(
        "81cd0004" // FMT=1 PT=205 length=4
            + "00000001"
            + "4bc4fcb4"
            + "0064"
            + "8001" // PID 100, BLP: 101 (bit 0) and 116 (bit 15)
            + "fffe"
            + "0003", // PID 65534, BLP: 65535 and 0
        nack);
    assertThat(nack.lostSequences()).containsExactly(100, 101, 116, 65534, 65535, 0);
  }

  @Test
  void genericNackSplitsWhenTheWindowIsExceeded() {
    GenericNack nack = GenericNack.fromLost(1, 2, List.of(10, 27, 28));
    assertThat(nack.entries())
        .containsExactly(new GenericNack.Entry(10, 0), new GenericNack.Entry(27, 1));
    assertThatThrownBy(() -> GenericNack.fromLost(1, 2, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void remb() throws Exception {
    ReceiverEstimatedMaxBitrate remb =
        (ReceiverEstimatedMaxBitrate)
            roundTrip(
                "8fce0006" // FMT=15 PT=206 length=6
                    + "00000001" // sender
                    + "00000000" // media source: always 0
                    + "52454d42" // "REMB"
                    + "02" // two SSRCs
                    + "0bd090" // exp 2, mantissa 250000: 1 Mbit/s
                    + "4bc4fcb4"
                    + "12345678",
                new ReceiverEstimatedMaxBitrate(1, 1_000_000, List.of(0x4bc4fcb4, 0x12345678)));
    assertThat(remb.bitrate()).isEqualTo(1_000_000);
  }

  @Test
  void rembRoundsDownToEighteenSignificantBits() throws Exception {
    ReceiverEstimatedMaxBitrate remb = new ReceiverEstimatedMaxBitrate(1, 1_000_003, List.of());
    byte[] out = new byte[remb.length()];
    remb.write(out, 0);
    assertThat(hex(out, 0, out.length))
        .isEqualTo("8fce0004" + "00000001" + "00000000" + "52454d42" + "000bd090");
    ReceiverEstimatedMaxBitrate back =
        (ReceiverEstimatedMaxBitrate) RtcpCompound.parse(out, 0, out.length).get(0);
    assertThat(back.bitrate()).isEqualTo(1_000_000);

    ReceiverEstimatedMaxBitrate big = new ReceiverEstimatedMaxBitrate(1, Long.MAX_VALUE, List.of());
    out = new byte[big.length()];
    big.write(out, 0);
    back = (ReceiverEstimatedMaxBitrate) RtcpCompound.parse(out, 0, out.length).get(0);
    assertThat(back.bitrate()).isEqualTo(0x3FFFFL << 45);
  }

  @Test
  void otherApplicationFeedbackStaysOpaque() throws Exception {
    byte[] buf = hex("8fce0003" + "00000001" + "00000000" + "47534f43"); // not "REMB"
    assertThat(RtcpCompound.parse(buf, 0, buf.length).get(0)).isInstanceOf(UnknownRtcpPacket.class);
  }
}
