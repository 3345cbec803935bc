package eu.visio.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class SessionDescriptionTest {
  static final List<String> FIXTURES = Fixtures.ALL;

  @Test
  void chromeWhipOfferFields() throws Exception {
    SessionDescription sd = Fixtures.parse(Fixtures.CHROME_WHIP);
    assertThat(sd.origin())
        .isEqualTo(new Origin("-", "4611731400430051336", "2", "IN", "IP4", "127.0.0.1"));
    assertThat(sd.sessionName()).isEqualTo("-");
    assertThat(sd.startTime()).isZero();
    assertThat(sd.bundleMids()).containsExactly("0", "1");
    assertThat(sd.extmapAllowMixed()).isTrue();
    assertThat(sd.iceLite()).isFalse();
    assertThat(sd.msidSemantic()).isEqualTo("WMS 3fb5f6c5-5a1e-4c3e-9b6e-4a7d2c1b0f9e");
    assertThat(sd.media()).hasSize(2);

    MediaDescription audio = sd.media().get(0);
    assertThat(audio.kind()).isEqualTo(MediaKind.AUDIO);
    assertThat(audio.port()).isEqualTo(9);
    assertThat(audio.proto()).isEqualTo("UDP/TLS/RTP/SAVPF");
    assertThat(audio.formats()).containsExactly("111", "63", "9", "0", "8", "13", "110", "126");
    assertThat(audio.connection()).isEqualTo(Connection.ANY_IP4);
    assertThat(audio.mid()).isEqualTo("0");
    assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(audio.rtcpMux()).isTrue();
    assertThat(audio.rtcpRsize()).isTrue();
    assertThat(audio.iceUfrag()).isEqualTo("Hk3q");
    assertThat(audio.icePwd()).isEqualTo("Yq0DPmKbYgCvxsCfGZ4n8Lj2");
    assertThat(audio.iceOptions()).containsExactly("trickle");
    assertThat(audio.setup()).isEqualTo(Setup.ACTPASS);
    assertThat(audio.fingerprints().getFirst().algorithm()).isEqualTo("sha-256");
    assertThat(audio.fingerprints().getFirst().value()).startsWith("7B:8B:F0").hasSize(95);
    assertThat(audio.msids())
        .containsExactly(
            new Msid(
                "3fb5f6c5-5a1e-4c3e-9b6e-4a7d2c1b0f9e", "8d2b6c1e-2f0a-4b7e-a1d3-5c9e0f4b2a61"));
    assertThat(audio.extmaps().getFirst()).isEqualTo(new Extmap(1, RtpExtensions.AUDIO_LEVEL));
    assertThat(audio.codecs()).hasSize(8);
    assertThat(audio.codec(111))
        .isEqualTo(
            new RtpCodec(
                111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc")));
    assertThat(audio.codec(111).fmtpParameters()).containsEntry("useinbandfec", "1");
    assertThat(audio.codec(63).fmtp()).isEqualTo("111/111");
    assertThat(audio.codec(0)).isEqualTo(new RtpCodec(0, "PCMU", 8000, 0, null, List.of()));
    assertThat(audio.ssrcs()).hasSize(1);
    assertThat(audio.ssrcs().getFirst().ssrc()).isEqualTo(2934181257L);
    assertThat(audio.ssrcs().getFirst().cname()).isEqualTo("n3J1aWq7xQm5Vb0e");
    assertThat(audio.otherAttributes()).containsExactly(new Attribute("rtcp", "9 IN IP4 0.0.0.0"));

    MediaDescription video = sd.media().get(1);
    assertThat(video.kind()).isEqualTo(MediaKind.VIDEO);
    assertThat(video.codecs()).hasSize(27);
    assertThat(video.codec(109).fmtpParameters())
        .containsEntry("profile-level-id", "42e01f")
        .containsEntry("packetization-mode", "1");
    assertThat(video.codec(96).rtcpFeedback())
        .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    assertThat(video.codec(97)).isEqualTo(new RtpCodec(97, "rtx", 90000, 0, "apt=96", List.of()));
    assertThat(video.extmaps()).hasSize(11);
    assertThat(video.ssrcGroups())
        .containsExactly(new SsrcGroup("FID", List.of(1706512473L, 3305256354L)));
    assertThat(video.ssrcs().get(1).msid().trackId())
        .isEqualTo("1e6f3a90-77c2-4d1b-8f2e-b5a4c3d2e1f0");
    assertThat(video.candidates()).isEmpty();
  }

  @Test
  void firefoxOfferFields() throws Exception {
    SessionDescription sd = Fixtures.parse(Fixtures.FIREFOX);
    assertThat(sd.origin().username()).isEqualTo("mozilla...THIS_IS_SDPARTA-128.0");
    assertThat(sd.fingerprints()).hasSize(1);
    assertThat(sd.iceOptions()).containsExactly("trickle");
    assertThat(sd.msidSemantic()).isEqualTo("WMS *");
    assertThat(sd.bundleMids()).containsExactly("0", "1", "2");
    MediaDescription audio = sd.media("0");
    assertThat(audio.direction()).isEqualTo(Direction.SENDRECV);
    assertThat(audio.extmaps().get(1))
        .isEqualTo(
            new Extmap(2, Direction.RECVONLY, "urn:ietf:params:rtp-hdrext:csrc-audio-level", null));
    assertThat(audio.codec(101).fmtp()).isEqualTo("0-15");
    assertThat(audio.codec(9).channels()).isEqualTo(1);
    // Codecs follow the m= line order even though Firefox writes fmtp lines first.
    assertThat(audio.codecs().stream().map(RtpCodec::payloadType))
        .containsExactly(109, 9, 0, 8, 101);
    MediaDescription video = sd.media("1");
    assertThat(video.codec(126).fmtpParameters()).containsEntry("packetization-mode", "1");
    assertThat(video.ssrcGroups().getFirst().ssrcs()).containsExactly(2409318871L, 1524806231L);
    MediaDescription data = sd.media("2");
    assertThat(data.kind()).isEqualTo(MediaKind.APPLICATION);
    assertThat(data.proto()).isEqualTo("UDP/DTLS/SCTP");
    assertThat(data.formats()).containsExactly("webrtc-datachannel");
    assertThat(data.sctpPort()).isEqualTo(5000);
    assertThat(data.maxMessageSize()).isEqualTo(1073741823L);
    assertThat(data.codecs()).isEmpty();
  }

  @Test
  void safariOfferFields() throws Exception {
    SessionDescription sd = Fixtures.parse(Fixtures.SAFARI);
    MediaDescription video = sd.media("1");
    assertThat(video.formats().getFirst()).isEqualTo("96");
    assertThat(video.codec(96).is("h264")).isTrue();
    assertThat(video.codec(96).fmtpParameters()).containsEntry("profile-level-id", "640c1f");
    assertThat(video.codec(100).fmtp()).isNull();
    assertThat(video.rtcpRsize()).isTrue();
    assertThat(sd.media("0").rtcpRsize()).isFalse();
  }

  @Test
  void chromeSimulcastOfferFields() throws Exception {
    MediaDescription video = Fixtures.parse(Fixtures.CHROME_SIMULCAST).media("1");
    assertThat(video.rids())
        .containsExactly(Rid.of("q", true), Rid.of("h", true), Rid.of("f", true));
    assertThat(video.simulcast().recv()).isEmpty();
    assertThat(Simulcast.firstRids(video.simulcast().send())).containsExactly("q", "h", "f");
    assertThat(video.ssrcs()).isEmpty();
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void roundTripIsStable(String name) throws Exception {
    SessionDescription sd = Fixtures.parse(name);
    String written = sd.write();
    SessionDescription again = SessionDescription.parse(written);
    assertThat(again).isEqualTo(sd);
    assertThat(again.write()).isEqualTo(written);
    assertThat(written).endsWith("\r\n").doesNotContain("\r\r");
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void lfAndCrlfParseTheSame(String name) throws Exception {
    String text = Fixtures.text(name);
    SessionDescription crlf =
        SessionDescription.parse(text.replace("\r\n", "\n").replace("\n", "\r\n"));
    SessionDescription lf = SessionDescription.parse(text.replace("\r\n", "\n"));
    assertThat(lf).isEqualTo(crlf);
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void fixturesKeepEveryLine(String name) throws Exception {
    // Nothing is dropped: the written text has as many lines as the fixture.
    String text = Fixtures.text(name).replace("\r\n", "\n");
    String written = Fixtures.parse(name).write().replace("\r\n", "\n");
    assertThat(written.lines().sorted().toList())
        .isEqualTo(text.lines().map(SessionDescriptionTest::canonical).sorted().toList());
  }

  /** The two spellings the writer normalises: msid-semantic spacing and simulcast spacing. */
  private static String canonical(String line) {
    return line.startsWith("a=msid-semantic:") && !line.startsWith("a=msid-semantic: ")
        ? "a=msid-semantic: " + line.substring(16)
        : line;
  }

  @Test
  void writesCanonicalTextByteForByte() throws Exception {
    String sdp =
        """
        v=0\r
        o=- 1 2 IN IP4 127.0.0.1\r
        s=-\r
        t=0 0\r
        a=group:BUNDLE a\r
        a=ice-lite\r
        a=msid-semantic: WMS\r
        a=x-custom:keep me\r
        m=video 7882 UDP/TLS/RTP/SAVPF 96 97\r
        c=IN IP4 192.0.2.1\r
        b=AS:2000\r
        a=ice-ufrag:abcd\r
        a=ice-pwd:0123456789012345678901\r
        a=fingerprint:sha-256 AB:CD\r
        a=setup:passive\r
        a=mid:a\r
        a=extmap:4/sendonly urn:ietf:params:rtp-hdrext:sdes:mid\r
        a=recvonly\r
        a=msid:s t\r
        a=rtcp-mux\r
        a=rtpmap:96 VP8/90000\r
        a=rtcp-fb:96 nack pli\r
        a=rtpmap:97 rtx/90000\r
        a=fmtp:97 apt=96\r
        a=rid:f recv pt=96;max-width=1280\r
        a=rid:h recv\r
        a=simulcast:recv f;~h,x\r
        a=bundle-only\r
        a=candidate:1 1 udp 2130706431 192.0.2.1 7882 typ host\r
        a=end-of-candidates\r
        """;
    SessionDescription sd = SessionDescription.parse(sdp);
    assertThat(sd.write()).isEqualTo(sdp);
    MediaDescription m = sd.media().getFirst();
    assertThat(m.bandwidths()).containsExactly("AS:2000");
    assertThat(m.extmaps().getFirst().direction()).isEqualTo(Direction.SENDONLY);
    assertThat(m.rids().getFirst())
        .isEqualTo(new Rid("f", false, List.of(96), List.of("max-width=1280")));
    assertThat(m.simulcast().recv())
        .containsExactly(
            List.of(new Simulcast.Stream("f", false)),
            List.of(new Simulcast.Stream("h", true), new Simulcast.Stream("x", false)));
    assertThat(m.candidates()).containsExactly("1 1 udp 2130706431 192.0.2.1 7882 typ host");
    assertThat(m.endOfCandidates()).isTrue();
    assertThat(m.otherAttributes()).containsExactly(Attribute.flag("bundle-only"));
    assertThat(sd.otherAttributes()).containsExactly(new Attribute("x-custom", "keep me"));
  }

  @Test
  void toStringMasksIcePassword() throws Exception {
    SessionDescription sd = Fixtures.parse(Fixtures.CHROME_WHIP);
    assertThat(sd.toString())
        .doesNotContain("Yq0DPmKbYgCvxsCfGZ4n8Lj2")
        .contains("a=ice-pwd:<redacted>");
    assertThat(sd.media().getFirst().toString()).doesNotContain("Yq0DPmKbYgCvxsCfGZ4n8Lj2");
    assertThat(sd.write()).contains("a=ice-pwd:Yq0DPmKbYgCvxsCfGZ4n8Lj2");
  }

  @Test
  void simulcastSpellings() throws Exception {
    assertThat(Simulcast.parse("send rid=a;b", 1).send())
        .containsExactly(
            List.of(new Simulcast.Stream("a", false)), List.of(new Simulcast.Stream("b", false)));
    Simulcast both = Simulcast.parse(" send 1;~2,3 recv 4", 1);
    assertThat(both.format()).isEqualTo("send 1;~2,3 recv 4");
    assertThat(Simulcast.parse("recv 4 send 1", 1).format()).isEqualTo("send 1 recv 4");
  }

  @Test
  void acceptsLegacyAndRare() throws Exception {
    String sdp =
        "v=0\no=- 0 0 IN IP4 0.0.0.0\ns=-\ni=info\nt=0 0\nm=audio 0 UDP/TLS/RTP/SAVPF 0\n\n";
    SessionDescription sd = SessionDescription.parse(sdp);
    assertThat(sd.extraLines()).containsExactly("i=info");
    assertThat(sd.media().getFirst().isRejected()).isTrue();
    assertThat(sd.media().getFirst().effectiveDirection()).isEqualTo(Direction.SENDRECV);
  }
}
