package eu.visio.loadtest.janus;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.sdp.Direction;
import eu.visio.media.sdp.Extmap;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.RtpCodec;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.sdp.Setup;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The bot's answer to the offer Janus 1.1.2 makes a VideoRoom subscriber (the fixture is one it
 * made, with two sections added: video in a codec the bots do not take, and a data channel), read
 * back with the server's own SDP parser.
 */
class AnswerWriterTest {
  static final String FP =
      "sha-256 35:FE:ED:B3:BB:15:F3:5C:54:77:26:6E:D2:74:A2:84:FF:0C:5A:FB:5C:F5:8F:6F:6C:28:55:A7:27:70:3E:A1";

  static SessionDescription offer;
  static SessionDescription answer;

  @BeforeAll
  static void answer() throws Exception {
    try (InputStream in =
        AnswerWriterTest.class.getResourceAsStream("/janus/subscriber-offer.sdp")) {
      offer = SessionDescription.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    answer =
        SessionDescription.parse(
            AnswerWriter.write(offer, "botufrag", "bot-password-0123456789", FP, "active"));
  }

  @Test
  void answersEverySectionInOrderAndBundlesTheAcceptedOnes() {
    assertThat(answer.media())
        .extracting(MediaDescription::mid)
        .containsExactly("0", "1", "2", "3");
    assertThat(answer.bundleMids()).containsExactly("0", "1");
  }

  @Test
  void receivesOpusAndVp8WithItsRtxAtJanusPayloadTypes() {
    MediaDescription audio = answer.media().get(0);
    assertThat(audio.direction()).isEqualTo(Direction.RECVONLY);
    assertThat(audio.codecs())
        .extracting(RtpCodec::payloadType, RtpCodec::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(111, "opus"));
    MediaDescription video = answer.media().get(1);
    assertThat(video.direction()).isEqualTo(Direction.RECVONLY);
    assertThat(video.formats()).containsExactly("96", "97");
    assertThat(video.codec(97).fmtp()).isEqualTo("apt=96");
    assertThat(video.codec(96).rtcpFeedback())
        .contains("nack", "nack pli", "ccm fir", "transport-cc");
  }

  @Test
  void keepsMidAndTransportCcAtTheReceiversIdAndDropsOtherExtensions() {
    assertThat(answer.media().get(1).extmaps())
        .extracting(Extmap::id, Extmap::uri)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(3, AnswerWriter.TRANSPORT_CC_URI),
            org.assertj.core.groups.Tuple.tuple(4, AnswerWriter.MID_URI));
    // Audio: Janus numbers no transport-cc there; audio level is dropped.
    assertThat(answer.media().get(0).extmaps())
        .extracting(Extmap::uri)
        .containsExactly(AnswerWriter.MID_URI);
  }

  @Test
  void refusesWhatTheBotsCannotReceive() {
    MediaDescription h264 = answer.media().get(2);
    MediaDescription data = answer.media().get(3);
    assertThat(h264.port()).isZero();
    assertThat(data.port()).isZero();
    assertThat(data.proto()).isEqualTo("UDP/DTLS/SCTP");
  }

  @Test
  void carriesTheBotsTransport() {
    MediaDescription m = answer.media().get(1);
    assertThat(m.iceUfrag()).isEqualTo("botufrag");
    assertThat(m.icePwd()).isEqualTo("bot-password-0123456789");
    assertThat(m.setup()).isEqualTo(Setup.ACTIVE);
    assertThat(m.fingerprints().getFirst().value()).isEqualTo(FP.substring("sha-256 ".length()));
    assertThat(m.rtcpMux()).isTrue();
  }

  @Test
  void dropsTransportCcNumberedOtherwiseThanTheReceiversRead() throws Exception {
    String renumbered =
        offer
            .write()
            .replace(
                "a=extmap:3 http://www.ietf.org/id/draft-holmer",
                "a=extmap:7 http://www.ietf.org/id/draft-holmer");
    SessionDescription a =
        SessionDescription.parse(
            AnswerWriter.write(
                SessionDescription.parse(renumbered),
                "u",
                "p-0123456789012345678901",
                FP,
                "active"));
    MediaDescription video = a.media().get(1);
    assertThat(video.extmaps()).extracting(Extmap::uri).containsExactly(AnswerWriter.MID_URI);
    assertThat(video.codec(96).rtcpFeedback()).doesNotContain("transport-cc");
  }
}
