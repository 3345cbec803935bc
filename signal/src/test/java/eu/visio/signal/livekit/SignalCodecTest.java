package eu.visio.signal.livekit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Signal frames, binary and JSON, and what is refused. */
class SignalCodecTest {
  /**
   * An annotated binary frame: SignalRequest field 14 (ping, varint) = 1234 — tag (14 << 3 | 0) =
   * 0x70, then 1234 as a varint (0xd2 0x09).
   */
  @Test
  void binaryPingFixture() throws Exception {
    byte[] frame = HexFormat.of().parseHex("70d209");
    SignalRequest r = SignalCodec.decode(ByteBuffer.wrap(frame));
    assertThat(r.getMessageCase()).isEqualTo(SignalRequest.MessageCase.PING);
    assertThat(r.getPing()).isEqualTo(1234);
    assertThat(r.toByteArray()).isEqualTo(frame);
  }

  @Test
  void jsonTrickleAsClientsSendIt() throws Exception {
    SignalRequest r =
        SignalCodec.decode(
            "{\"trickle\":{\"candidateInit\":\"{\\\"candidate\\\":\\\"x\\\"}\",\"target\":\"SUBSCRIBER\"},"
                + "\"futureField\":1}");
    assertThat(r.getTrickle().getTarget()).isEqualTo(livekit.LivekitRtc.SignalTarget.SUBSCRIBER);
    assertThat(r.getTrickle().getCandidateInit()).isEqualTo("{\"candidate\":\"x\"}");
  }

  @Test
  void responsesEncodeBothWays() throws Exception {
    SignalResponse pong =
        SignalResponse.newBuilder()
            .setPongResp(
                livekit.LivekitRtc.Pong.newBuilder().setLastPingTimestamp(5).setTimestamp(9))
            .build();
    assertThat(SignalResponse.parseFrom(SignalCodec.encodeBinary(pong))).isEqualTo(pong);
    assertThat(SignalCodec.encodeJson(pong))
        .isEqualTo("{\"pongResp\":{\"lastPingTimestamp\":\"5\",\"timestamp\":\"9\"}}");
  }

  @Test
  void refusals() {
    assertThatThrownBy(() -> SignalCodec.decode(ByteBuffer.wrap(new byte[] {(byte) 0xff})))
        .hasMessage("signal message is not a SignalRequest");
    assertThatThrownBy(() -> SignalCodec.decode("{not json"))
        .hasMessage("signal message is not a SignalRequest");
    assertThatThrownBy(
            () -> SignalCodec.decode(ByteBuffer.allocate(SignalCodec.MAX_MESSAGE_BYTES + 1)))
        .hasMessage("signal message too large");
  }

  @Property(tries = 2000)
  void arbitraryBinaryOnlyFailsAsSignalErrors(@ForAll @Size(max = 200) byte[] b) {
    try {
      SignalCodec.decode(ByteBuffer.wrap(b));
    } catch (SignalException expected) {
      // the only failure allowed
    }
  }

  @Property(tries = 2000)
  void arbitraryTextOnlyFailsAsSignalErrors(@ForAll @StringLength(max = 200) String s) {
    try {
      SignalCodec.decode(s);
    } catch (SignalException expected) {
      // the only failure allowed
    }
  }
}
