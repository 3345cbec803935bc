package eu.visio.media.sdp;

import static eu.visio.media.sdp.Fixtures.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SdpOffererTest {
  private static final LocalTrack AUDIO =
      new LocalTrack(MediaKind.AUDIO, List.of(CodecId.OPUS), 1001, 0, "st", "a0", "sfu-cname");
  private static final LocalTrack VIDEO =
      new LocalTrack(
          MediaKind.VIDEO, List.of(CodecId.VP8, CodecId.H264), 2001, 2002, "st", "v0", "sfu-cname");

  @Test
  void offerFields() throws Exception {
    SessionDescription offer = SdpOfferer.offer(LOCAL, List.of(AUDIO, VIDEO), true);
    SessionDescription sd = SessionDescription.parse(offer.write());
    assertThat(sd).isEqualTo(offer);
    assertThat(sd.iceLite()).isTrue();
    assertThat(sd.bundleMids()).containsExactly("0", "1", "2");
    assertThat(sd.origin().sessionId()).containsOnlyDigits();

    MediaDescription audio = sd.media("0");
    assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
    assertThat(audio.port()).isEqualTo(7882);
    assertThat(audio.setup()).isEqualTo(Setup.ACTPASS);
    assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(audio.formats()).containsExactly("111");
    assertThat(audio.codec(111))
        .isEqualTo(
            new RtpCodec(
                111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc")));
    assertThat(audio.ssrcs().getFirst().cname()).isEqualTo("sfu-cname");
    assertThat(audio.ssrcGroups()).isEmpty();
    assertThat(audio.candidates()).hasSize(1);
    assertThat(audio.endOfCandidates()).isTrue();

    MediaDescription video = sd.media("1");
    assertThat(video.formats()).containsExactly("96", "97", "109", "114");
    assertThat(video.codec(114).fmtp()).isEqualTo("apt=109");
    assertThat(video.codec(109).fmtpParameters()).containsEntry("profile-level-id", "42e01f");
    assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2001L, 2002L)));
    assertThat(video.msids()).containsExactly(new Msid("st", "v0"));
    assertThat(video.extmaps().stream().map(Extmap::uri))
        .contains(RtpExtensions.MID, RtpExtensions.TRANSPORT_CC)
        .doesNotContain(RtpExtensions.AUDIO_LEVEL);
    assertThat(video.candidates()).isEmpty();

    MediaDescription data = sd.media("2");
    assertThat(data.proto()).isEqualTo("UDP/DTLS/SCTP");
    assertThat(data.sctpPort()).isEqualTo(5000);
  }

  @Test
  void browserLikeAnswerToOurOfferNegotiatesFirstCodec() throws Exception {
    SessionDescription offer = SdpOfferer.offer(LOCAL, List.of(AUDIO, VIDEO), false);
    LocalTransportParams browser =
        new LocalTransportParams(
            "brwz",
            "browserPasswordIsLong123",
            Fixtures.OUR_FINGERPRINT,
            Setup.ACTIVE,
            false,
            List.of());
    SdpAnswer answer =
        SdpAnswerer.answer(
            SessionDescription.parse(offer.write()), browser, AnswerPolicy.whipIngest());
    assertThat(answer.localSetup()).isEqualTo(Setup.ACTIVE);
    assertThat(answer.remote().iceUfrag()).isEqualTo("srvU");
    assertThat(answer.media("0").direction()).isEqualTo(Direction.RECVONLY);
    assertThat(answer.media("1").primaryCodec().payloadType()).isEqualTo(96);
    assertThat(answer.media("1").primaryCodec().rtxPayloadType()).isEqualTo(97);
    assertThat(answer.media("1").remoteRtxSsrcs()).containsEntry(2001L, 2002L);
    assertThat(answer.media("0").remoteCname()).isEqualTo("sfu-cname");
  }

  @Test
  void withoutCandidatesOrTracks() {
    LocalTransportParams none =
        LocalTransportParams.iceLite("srvU", Fixtures.OUR_PWD, Fixtures.OUR_FINGERPRINT, List.of());
    SessionDescription sd = SdpOfferer.offer(none, List.of(), true);
    assertThat(sd.media()).hasSize(1);
    assertThat(sd.media().getFirst().port()).isEqualTo(9);
    assertThat(sd.media().getFirst().connection()).isEqualTo(Connection.ANY_IP4);
    assertThatThrownBy(() -> SdpOfferer.offer(none, List.of(), false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
