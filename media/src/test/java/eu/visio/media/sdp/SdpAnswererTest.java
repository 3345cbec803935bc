package eu.visio.media.sdp;

import static eu.visio.media.sdp.Fixtures.LOCAL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SdpAnswererTest {
  private static final LocalTrack AUDIO_TRACK =
      new LocalTrack(MediaKind.AUDIO, List.of(CodecId.OPUS), 1001, 0, "stream", "audio0", "sfu");
  private static final LocalTrack VIDEO_TRACK =
      new LocalTrack(MediaKind.VIDEO, List.of(CodecId.VP8), 2001, 2002, "stream", "video0", "sfu");

  private static SdpAnswer answer(String fixture, AnswerPolicy policy) throws Exception {
    return SdpAnswerer.answer(Fixtures.text(fixture), LOCAL, policy);
  }

  /** The answer as a browser would read it: written, then parsed again. */
  private static SessionDescription reparsed(SdpAnswer a) throws Exception {
    SessionDescription sd = SessionDescription.parse(a.sdp().write());
    assertThat(sd).isEqualTo(a.sdp());
    return sd;
  }

  @Test
  void whipChromeSessionAndTransport() throws Exception {
    SdpAnswer a = answer(Fixtures.CHROME_WHIP, AnswerPolicy.whipIngest());
    SessionDescription sd = reparsed(a);
    assertThat(sd.iceLite()).isTrue();
    assertThat(sd.bundleMids()).containsExactly("0", "1");
    assertThat(sd.extmapAllowMixed()).isTrue();
    assertThat(a.rejectedMids()).isEmpty();
    assertThat(a.localSetup()).isEqualTo(Setup.PASSIVE);
    assertThat(a.remote().iceUfrag()).isEqualTo("Hk3q");
    assertThat(a.remote().icePwd()).isEqualTo("Yq0DPmKbYgCvxsCfGZ4n8Lj2");
    assertThat(a.remote().fingerprints().getFirst().value()).startsWith("7B:8B");
    assertThat(a.remote().toString()).doesNotContain("Yq0DPm");
    for (MediaDescription m : sd.media()) {
      assertThat(m.port()).isEqualTo(7882);
      assertThat(m.connection()).isEqualTo(Connection.of("192.0.2.10"));
      assertThat(m.iceUfrag()).isEqualTo("srvU");
      assertThat(m.icePwd()).isEqualTo(Fixtures.OUR_PWD);
      assertThat(m.fingerprints()).containsExactly(Fixtures.OUR_FINGERPRINT);
      assertThat(m.setup()).isEqualTo(Setup.PASSIVE);
      assertThat(m.rtcpMux()).isTrue();
      assertThat(m.rtcpRsize()).isTrue();
      assertThat(m.direction()).isEqualTo(Direction.RECVONLY);
      assertThat(m.ssrcs()).isEmpty();
      assertThat(m.msids()).isEmpty();
    }
    // Candidates once, on the BUNDLE tag.
    assertThat(sd.media("0").candidates())
        .containsExactly("1 1 udp 2130706431 192.0.2.10 7882 typ host");
    assertThat(sd.media("0").endOfCandidates()).isTrue();
    assertThat(sd.media("1").candidates()).isEmpty();
    assertThat(a.toString()).doesNotContain(Fixtures.OUR_PWD);
  }

  @Test
  void whipChromeAudioKeepsOpusAndRed() throws Exception {
    SdpAnswer a = answer(Fixtures.CHROME_WHIP, AnswerPolicy.whipIngest());
    MediaDescription audio = reparsed(a).media("0");
    assertThat(audio.formats()).containsExactly("111", "63");
    assertThat(audio.codec(111))
        .isEqualTo(
            new RtpCodec(
                111, "opus", 48000, 2, "minptime=10;useinbandfec=1", List.of("transport-cc")));
    assertThat(audio.codec(63)).isEqualTo(new RtpCodec(63, "red", 48000, 2, "111/111", List.of()));
    assertThat(audio.extmaps())
        .containsExactly(
            new Extmap(1, RtpExtensions.AUDIO_LEVEL),
            new Extmap(2, RtpExtensions.ABS_SEND_TIME),
            new Extmap(3, RtpExtensions.TRANSPORT_CC),
            new Extmap(4, RtpExtensions.MID));

    NegotiatedMedia n = a.media("0");
    assertThat(n.kind()).isEqualTo(MediaKind.AUDIO);
    assertThat(n.direction()).isEqualTo(Direction.RECVONLY);
    assertThat(n.codecs())
        .containsExactly(
            new NegotiatedCodec(
                "opus",
                111,
                48000,
                2,
                "minptime=10;useinbandfec=1",
                NegotiatedCodec.NO_RTX,
                List.of("transport-cc")),
            new NegotiatedCodec("red", 63, 48000, 2, "111/111", NegotiatedCodec.NO_RTX, List.of()));
    assertThat(n.extensionId(RtpExtensions.AUDIO_LEVEL)).isEqualTo(1);
    assertThat(n.extensionId(RtpExtensions.MID)).isEqualTo(4);
    assertThat(n.remoteSsrcs()).containsExactly(2934181257L);
    assertThat(n.remoteCname()).isEqualTo("n3J1aWq7xQm5Vb0e");
    assertThat(n.remoteMsid().trackId()).isEqualTo("8d2b6c1e-2f0a-4b7e-a1d3-5c9e0f4b2a61");
    assertThat(n.localTrack()).isNull();
    assertThat(n.sctp()).isNull();
  }

  @Test
  void whipChromeVideoPicksVp8WithRtx() throws Exception {
    SdpAnswer a = answer(Fixtures.CHROME_WHIP, AnswerPolicy.whipIngest());
    MediaDescription video = reparsed(a).media("1");
    assertThat(video.formats()).containsExactly("96", "97");
    assertThat(video.codec(96).rtcpFeedback())
        .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    assertThat(video.codec(97)).isEqualTo(new RtpCodec(97, "rtx", 90000, 0, "apt=96", List.of()));
    // Offer ids kept; video-content-type (6), video-timing (7), color-space (8) dropped.
    assertThat(video.extmaps().stream().map(Extmap::id))
        .containsExactly(14, 2, 13, 3, 5, 4, 10, 11);

    NegotiatedMedia n = a.media("1");
    NegotiatedCodec vp8 = n.primaryCodec();
    assertThat(vp8.name()).isEqualTo("VP8");
    assertThat(vp8.payloadType()).isEqualTo(96);
    assertThat(vp8.rtxPayloadType()).isEqualTo(97);
    assertThat(vp8.hasRtx()).isTrue();
    assertThat(vp8.clockRate()).isEqualTo(90000);
    assertThat(n.codecs()).hasSize(1);
    assertThat(n.headerExtensions()).hasSize(8).containsEntry(RtpExtensions.TOFFSET, 14);
    assertThat(n.extensionId("http://www.webrtc.org/experiments/rtp-hdrext/color-space")).isZero();
    assertThat(n.remoteSsrcs()).containsExactly(1706512473L, 3305256354L);
    assertThat(n.remoteRtxSsrcs()).containsExactly(java.util.Map.entry(1706512473L, 3305256354L));
    assertThat(n.remoteRids()).isEmpty();
    assertThat(n.rtcpRsize()).isTrue();
  }

  @Test
  void h264PrefersConstrainedBaselineWithPacketizationMode1() throws Exception {
    AnswerPolicy h264 = AnswerPolicy.whipIngest().withCodecs(List.of(CodecId.OPUS, CodecId.H264));
    // Chrome offers 42001f (baseline) at 103 before 42e01f (constrained baseline) at 109.
    NegotiatedCodec chrome = answer(Fixtures.CHROME_WHIP, h264).media("1").primaryCodec();
    assertThat(chrome.payloadType()).isEqualTo(109);
    assertThat(chrome.rtxPayloadType()).isEqualTo(114);
    assertThat(chrome.fmtpParameters())
        .containsEntry("profile-level-id", "42e01f")
        .containsEntry("packetization-mode", "1")
        .containsEntry("level-asymmetry-allowed", "1");
    // Safari lists constrained high (640c1f) first; constrained baseline still wins.
    NegotiatedCodec safari = answer(Fixtures.SAFARI, h264).media("1").primaryCodec();
    assertThat(safari.payloadType()).isEqualTo(98);
    assertThat(safari.rtxPayloadType()).isEqualTo(99);
    // Firefox: 126 has packetization-mode=1, 97 has mode 0.
    NegotiatedCodec firefox = answer(Fixtures.FIREFOX, h264).media("1").primaryCodec();
    assertThat(firefox.payloadType()).isEqualTo(126);
    assertThat(firefox.rtxPayloadType()).isEqualTo(127);
  }

  @Test
  void vp9PrefersProfile0AndAv1Accepted() throws Exception {
    NegotiatedCodec vp9 =
        answer(Fixtures.CHROME_WHIP, AnswerPolicy.whipIngest().withCodecs(List.of(CodecId.VP9)))
            .media("1")
            .primaryCodec();
    assertThat(vp9.payloadType()).isEqualTo(98);
    assertThat(vp9.rtxPayloadType()).isEqualTo(99);
    NegotiatedCodec av1 =
        answer(Fixtures.CHROME_WHIP, AnswerPolicy.whipIngest().withCodecs(List.of(CodecId.AV1)))
            .media("1")
            .primaryCodec();
    assertThat(av1.payloadType()).isEqualTo(45);
    assertThat(av1.rtxPayloadType()).isEqualTo(46);
  }

  @Test
  void h264ProfileClasses() {
    assertThat(H264Profile.profile("42e01f")).isZero();
    assertThat(H264Profile.profile("4de01f")).isZero();
    assertThat(H264Profile.profile("42001f")).isEqualTo(1);
    assertThat(H264Profile.profile("4d001f")).isEqualTo(2);
    assertThat(H264Profile.profile("640c1f")).isEqualTo(3);
    assertThat(H264Profile.profile("64001f")).isEqualTo(4);
    assertThat(H264Profile.profile("f4001f")).isNegative();
    assertThat(H264Profile.profile("zz001f")).isNegative();
    assertThat(H264Profile.rank(java.util.Map.of("profile-level-id", "42e01f"))).isNegative();
  }

  @Test
  void simulcastSendIsAnsweredAsRecv() throws Exception {
    SdpAnswer a = answer(Fixtures.CHROME_SIMULCAST, AnswerPolicy.whipIngest());
    MediaDescription video = reparsed(a).media("1");
    assertThat(video.rids())
        .containsExactly(Rid.of("q", false), Rid.of("h", false), Rid.of("f", false));
    assertThat(video.simulcast().send()).isEmpty();
    assertThat(Simulcast.firstRids(video.simulcast().recv())).containsExactly("q", "h", "f");
    assertThat(a.sdp().write()).contains("a=simulcast:recv q;h;f\r\n", "a=rid:q recv\r\n");
    NegotiatedMedia n = a.media("1");
    assertThat(n.remoteRids()).containsExactly("q", "h", "f");
    assertThat(n.extensionId(RtpExtensions.RTP_STREAM_ID)).isEqualTo(10);
    assertThat(n.extensionId(RtpExtensions.REPAIRED_RTP_STREAM_ID)).isEqualTo(11);
    assertThat(n.extensionId(RtpExtensions.DEPENDENCY_DESCRIPTOR)).isEqualTo(12);
    assertThat(n.remoteSsrcs()).isEmpty();
  }

  @Test
  void simulcastKeepsPausedAndDropsUndeclaredRids() throws Exception {
    String offer =
        Fixtures.text(Fixtures.CHROME_SIMULCAST)
            .replace("a=simulcast:send q;h;f", "a=simulcast:send q;~h,zz;f;nope");
    SdpAnswer a = SdpAnswerer.answer(offer, LOCAL, AnswerPolicy.whipIngest());
    assertThat(a.sdp().write()).contains("a=simulcast:recv q;~h;f\r\n");
    assertThat(a.media("1").remoteRids()).containsExactly("q", "h", "f");
  }

  @Test
  void firefoxWithDataChannel() throws Exception {
    AnswerPolicy policy = AnswerPolicy.whipIngest().withDataChannel(true, 262_144);
    SdpAnswer a = answer(Fixtures.FIREFOX, policy);
    SessionDescription sd = reparsed(a);
    assertThat(sd.bundleMids()).containsExactly("0", "1", "2");
    assertThat(a.remote().iceUfrag()).isEqualTo("8c1e4f7a");
    assertThat(a.remote().fingerprints().getFirst().value()).startsWith("3C:9F");
    assertThat(a.media("0").primaryCodec().payloadType()).isEqualTo(109);
    assertThat(a.media("0").codecs()).hasSize(1);
    assertThat(a.media("1").primaryCodec().payloadType()).isEqualTo(120);
    assertThat(a.media("1").primaryCodec().rtxPayloadType()).isEqualTo(124);
    // Firefox only receives playout-delay; our answer sends it.
    assertThat(sd.media("1").extmaps())
        .contains(new Extmap(6, Direction.SENDONLY, RtpExtensions.PLAYOUT_DELAY, null));
    assertThat(sd.media("0").rtcpRsize()).isFalse();
    MediaDescription data = sd.media("2");
    assertThat(data.kind()).isEqualTo(MediaKind.APPLICATION);
    assertThat(data.port()).isEqualTo(7882);
    assertThat(data.formats()).containsExactly("webrtc-datachannel");
    assertThat(data.sctpPort()).isEqualTo(5000);
    assertThat(data.maxMessageSize()).isEqualTo(262_144L);
    assertThat(data.direction()).isNull();
    assertThat(a.media("2").sctp())
        .isEqualTo(new NegotiatedMedia.SctpParams(5000, 5000, 1073741823L));
  }

  /**
   * aiortc offers {@code m=application 9 DTLS/SCTP 5000} with {@code a=sctpmap:5000
   * webrtc-datachannel 65535} (draft-ietf-mmusic-sctp-sdp-05): accepted, answered in that form.
   */
  @Test
  void aiortcLegacyDataChannel() throws Exception {
    AnswerPolicy policy = AnswerPolicy.whipIngest().withDataChannel(true, 262_144);
    SdpAnswer a = answer(Fixtures.AIORTC_DATA, policy);
    SessionDescription sd = reparsed(a);
    assertThat(sd.bundleMids()).containsExactly("0");
    MediaDescription data = sd.media("0");
    assertThat(data.proto()).isEqualTo("DTLS/SCTP");
    assertThat(data.formats()).containsExactly("5000");
    assertThat(data.otherAttributes())
        .containsExactly(new Attribute("sctpmap", "5000 webrtc-datachannel 65535"));
    assertThat(data.sctpPort()).as("no a=sctp-port in this form").isNull();
    assertThat(data.maxMessageSize()).isEqualTo(262_144L);
    assertThat(data.setup()).isEqualTo(Setup.PASSIVE);
    assertThat(a.media("0").sctp()).isEqualTo(new NegotiatedMedia.SctpParams(5000, 5000, 65_536));
  }

  /** A legacy data m-line is only accepted with its port mapped to webrtc-datachannel. */
  @Test
  void legacyDataChannelNeedsItsSctpmap() throws Exception {
    AnswerPolicy policy = AnswerPolicy.whipIngest().withDataChannel(true, 262_144);
    String offer = Fixtures.text(Fixtures.AIORTC_DATA);
    String mline = "m=application 53989 DTLS/SCTP 5000";
    String sctpmap = "a=sctpmap:5000 webrtc-datachannel 65535";
    // The audio m-line repeats the data one's ICE and DTLS lines: it is bundled with it.
    String transport =
        offer
            .lines()
            .filter(
                l ->
                    l.startsWith("a=ice-")
                        || l.startsWith("a=fingerprint")
                        || l.startsWith("a=setup"))
            .map(l -> l + "\r\n")
            .reduce("", String::concat);
    String audio =
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=mid:1\r\na=rtcp-mux\r\n"
            + "a=sendonly\r\na=rtpmap:111 opus/48000/2\r\n"
            + transport;
    // An accepted audio m-line keeps the answer valid, so each case shows on the data one alone.
    String withAudio = offer.replace("a=group:BUNDLE 0", "a=group:BUNDLE 0 1") + audio;
    Map<String, String> cases =
        Map.of(
            "no sctpmap", withAudio.replace(sctpmap + "\r\n", ""),
            "sctpmap of another port",
                withAudio.replace(sctpmap, "a=sctpmap:5001 webrtc-datachannel 1"),
            "another protocol", withAudio.replace(sctpmap, "a=sctpmap:5000 t38 1"),
            "format not a port",
                withAudio
                    .replace(mline, "m=application 53989 DTLS/SCTP x")
                    .replace("sctpmap:5000", "sctpmap:x"),
            "port zero",
                withAudio
                    .replace(mline, "m=application 53989 DTLS/SCTP 0")
                    .replace("sctpmap:5000", "sctpmap:0"));
    assertThat(SdpAnswerer.answer(withAudio, LOCAL, policy).rejectedMids()).isEmpty();
    cases.forEach(
        (name, sdp) -> {
          try {
            assertThat(SdpAnswerer.answer(sdp, LOCAL, policy).rejectedMids())
                .as(name)
                .containsExactly("0");
          } catch (SdpParseException e) {
            throw new AssertionError(name, e);
          }
        });
  }

  @Test
  void dataChannelRejectedWhenDisabled() throws Exception {
    SdpAnswer a = answer(Fixtures.FIREFOX, AnswerPolicy.whipIngest());
    assertThat(a.rejectedMids()).containsExactly("2");
    SessionDescription sd = reparsed(a);
    assertThat(sd.bundleMids()).containsExactly("0", "1");
    MediaDescription data = sd.media("2");
    assertThat(data.port()).isZero();
    assertThat(data.isRejected()).isTrue();
    assertThat(data.mid()).isEqualTo("2");
    assertThat(data.iceUfrag()).isNull();
    assertThat(a.media("2")).isNull();
  }

  @Test
  void whepSendsOwnTracks() throws Exception {
    SdpAnswer a =
        answer(Fixtures.CHROME_WHEP, AnswerPolicy.whepEgress(List.of(AUDIO_TRACK, VIDEO_TRACK)));
    SessionDescription sd = reparsed(a);
    MediaDescription audio = sd.media("0");
    assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(audio.msids()).containsExactly(new Msid("stream", "audio0"));
    assertThat(audio.ssrcs()).hasSize(1);
    assertThat(audio.ssrcs().getFirst().ssrc()).isEqualTo(1001);
    assertThat(audio.ssrcs().getFirst().cname()).isEqualTo("sfu");
    MediaDescription video = sd.media("1");
    assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(video.formats()).containsExactly("96", "97");
    assertThat(video.ssrcGroups()).containsExactly(new SsrcGroup("FID", List.of(2001L, 2002L)));
    assertThat(video.ssrcs().get(1).msid()).isEqualTo(new Msid("stream", "video0"));
    assertThat(video.extmaps().stream().map(Extmap::uri))
        .contains(RtpExtensions.ABS_CAPTURE_TIME, RtpExtensions.MID);
    assertThat(a.media("1").localTrack()).isEqualTo(VIDEO_TRACK);
    assertThat(a.media("1").direction()).isEqualTo(Direction.SENDONLY);
    assertThat(a.media("1").remoteSsrcs()).isEmpty();
  }

  @Test
  void whepWithoutAudioTrackRejectsAudio() throws Exception {
    LocalTrack h264 =
        new LocalTrack(MediaKind.VIDEO, List.of(CodecId.H264), 3001, 0, "s", "v", "sfu");
    SdpAnswer a = answer(Fixtures.CHROME_WHEP, AnswerPolicy.whepEgress(List.of(h264)));
    assertThat(a.rejectedMids()).containsExactly("0");
    assertThat(a.sdp().bundleMids()).containsExactly("1");
    MediaDescription video = reparsed(a).media("1");
    // No RTX SSRC: the answer still accepts RTX but announces no FID group.
    assertThat(video.formats()).containsExactly("109", "114");
    assertThat(video.ssrcGroups()).isEmpty();
    assertThat(video.ssrcs()).hasSize(1);
    // Candidates move to the new BUNDLE tag.
    assertThat(video.candidates()).hasSize(1);
  }

  @Test
  void sessionPinsTracksToMidsAndKeepsIdleSlotsInactive() throws Exception {
    // A LiveKit client's receive slots: a track goes on the mid the session chose for it; a slot
    // without one stays usable (inactive), where rejecting it would stop the transceiver forever.
    SdpAnswer a =
        answer(Fixtures.CHROME_WHEP, AnswerPolicy.session(Map.of("1", VIDEO_TRACK), true));
    assertThat(a.rejectedMids()).isEmpty();
    SessionDescription sd = reparsed(a);
    assertThat(sd.media("0").direction()).isEqualTo(Direction.INACTIVE);
    assertThat(sd.media("0").port()).isNotZero();
    assertThat(sd.media("0").ssrcs()).isEmpty();
    assertThat(sd.media("1").direction()).isEqualTo(Direction.SENDONLY);
    assertThat(sd.media("1").ssrcs().getFirst().ssrc()).isEqualTo(2001);
    assertThat(a.media("1").localTrack()).isEqualTo(VIDEO_TRACK);
    assertThat(a.media("0").localTrack()).isNull();
    assertThat(sd.bundleMids()).containsExactly("0", "1");
  }

  @Test
  void sessionNeverPutsATrackOnAnotherKindsMid() throws Exception {
    SdpAnswer a =
        answer(Fixtures.CHROME_WHEP, AnswerPolicy.session(Map.of("0", VIDEO_TRACK), true));
    assertThat(a.media("0").direction()).isEqualTo(Direction.INACTIVE);
    assertThat(a.media("0").localTrack()).isNull();
    assertThat(a.media("1").localTrack()).isNull();
  }

  @Test
  void sendrecvOfferWithTrackAndReceive() throws Exception {
    AnswerPolicy both = AnswerPolicy.whepEgress(List.of(VIDEO_TRACK)).withReceive(true);
    SdpAnswer a = answer(Fixtures.FIREFOX, both);
    assertThat(a.media("1").direction()).isEqualTo(Direction.SENDRECV);
    assertThat(a.media("1").localTrack()).isEqualTo(VIDEO_TRACK);
    assertThat(a.media("1").remoteSsrcs()).containsExactly(2409318871L, 1524806231L);
    assertThat(a.media("0").direction()).isEqualTo(Direction.RECVONLY);
  }

  @Test
  void mLineWithoutMatchingCodecIsRejected() throws Exception {
    String offer = Fixtures.text(Fixtures.CHROME_WHIP);
    AnswerPolicy vp8Only = AnswerPolicy.whipIngest().withCodecs(List.of(CodecId.OPUS, CodecId.VP8));
    String noVp8 = offer.replace("VP8/90000", "XYZ/90000");
    SdpAnswer a = SdpAnswerer.answer(noVp8, LOCAL, vp8Only);
    assertThat(a.rejectedMids()).containsExactly("1");
    MediaDescription video = a.sdp().media("1");
    assertThat(video.port()).isZero();
    assertThat(video.formats()).containsExactly("96");
    assertThat(a.sdp().bundleMids()).containsExactly("0");
    assertThat(a.media()).extracting(NegotiatedMedia::mid).containsExactly("0");
  }

  @Test
  void mLineWithoutRtcpMuxOrOutsideBundleIsRejected() throws Exception {
    String offer = Fixtures.text(Fixtures.CHROME_WHIP);
    int video = offer.indexOf("m=video");
    String noMux = offer.substring(0, video) + offer.substring(video).replace("a=rtcp-mux\r\n", "");
    assertThat(SdpAnswerer.answer(noMux, LOCAL, AnswerPolicy.whipIngest()).rejectedMids())
        .containsExactly("1");
    String notBundled = offer.replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0");
    assertThat(SdpAnswerer.answer(notBundled, LOCAL, AnswerPolicy.whipIngest()).rejectedMids())
        .containsExactly("1");
  }

  @Test
  void noBundleGroupAcceptsOnlyTheFirstMLine() throws Exception {
    String offer = Fixtures.text(Fixtures.CHROME_WHIP).replace("a=group:BUNDLE 0 1\r\n", "");
    SdpAnswer a = SdpAnswerer.answer(offer, LOCAL, AnswerPolicy.whipIngest());
    assertThat(a.sdp().groups()).isEmpty();
    assertThat(a.rejectedMids()).containsExactly("1");
    assertThat(a.sdp().media("0").candidates()).hasSize(1);
  }

  @Test
  void dtlsRoleFollowsOffer() throws Exception {
    String offer = Fixtures.text(Fixtures.CHROME_WHIP);
    SdpAnswer active =
        SdpAnswerer.answer(
            offer.replace("setup:actpass", "setup:active"), LOCAL, AnswerPolicy.whipIngest());
    assertThat(active.localSetup()).isEqualTo(Setup.PASSIVE);
    SdpAnswer passive =
        SdpAnswerer.answer(
            offer.replace("setup:actpass", "setup:passive"), LOCAL, AnswerPolicy.whipIngest());
    assertThat(passive.localSetup()).isEqualTo(Setup.ACTIVE);
    assertThat(passive.sdp().media("1").setup()).isEqualTo(Setup.ACTIVE);
    LocalTransportParams activeLocal =
        new LocalTransportParams(
            "srvU", Fixtures.OUR_PWD, Fixtures.OUR_FINGERPRINT, Setup.ACTIVE, true, List.of());
    assertThat(SdpAnswerer.answer(offer, activeLocal, AnswerPolicy.whipIngest()).localSetup())
        .isEqualTo(Setup.ACTIVE);
    assertThatThrownBy(
            () ->
                SdpAnswerer.answer(
                    offer.replace("setup:actpass", "setup:holdconn"),
                    LOCAL,
                    AnswerPolicy.whipIngest()))
        .hasMessage("offer has setup:holdconn");
  }

  @Test
  void noCandidatesMeansPort9AndAnyAddress() throws Exception {
    LocalTransportParams none =
        LocalTransportParams.iceLite("srvU", Fixtures.OUR_PWD, Fixtures.OUR_FINGERPRINT, List.of());
    SdpAnswer a =
        SdpAnswerer.answer(Fixtures.text(Fixtures.SAFARI), none, AnswerPolicy.whipIngest());
    assertThat(a.sdp().media("0").port()).isEqualTo(9);
    assertThat(a.sdp().media("0").connection()).isEqualTo(Connection.ANY_IP4);
    assertThat(a.sdp().media("0").endOfCandidates()).isFalse();
  }

  @Test
  void unanswerableOffers() {
    String offer = Fixtures.text(Fixtures.CHROME_WHIP);
    AnswerPolicy whip = AnswerPolicy.whipIngest();
    assertThatThrownBy(() -> SdpAnswerer.answer(offer.replace("a=mid:1\r\n", ""), LOCAL, whip))
        .isInstanceOf(SdpParseException.class);
    assertThatThrownBy(
            () ->
                SdpAnswerer.answer(
                    offer
                        .replace("a=group:BUNDLE 0 1", "a=group:BUNDLE 0")
                        .replace("a=mid:1\r\n", ""),
                    LOCAL,
                    whip))
        .hasMessage("m-line 2 has no mid");
    assertThatThrownBy(
            () -> SdpAnswerer.answer(offer.replace("a=ice-pwd:", "a=x-pwd:"), LOCAL, whip))
        .hasMessage("offer has no ICE credentials");
    assertThatThrownBy(
            () -> SdpAnswerer.answer(offer.replace("a=fingerprint:", "a=x-fp:"), LOCAL, whip))
        .hasMessage("offer has no DTLS fingerprint");
    assertThatThrownBy(
            () ->
                SdpAnswerer.answer(offer.replace("s=-\r\n", "s=-\r\na=ice-lite\r\n"), LOCAL, whip))
        .hasMessage("offer is ICE-lite too");
    // A WHEP-style recvonly offer with nothing to send: every m-line rejected.
    assertThatThrownBy(() -> SdpAnswerer.answer(Fixtures.text(Fixtures.CHROME_WHEP), LOCAL, whip))
        .hasMessage("no acceptable media in offer");
  }

  @Test
  void localParamsValidateAndRedact() {
    assertThat(LOCAL.toString()).doesNotContain(Fixtures.OUR_PWD).contains("srvU");
    assertThat(LOCAL.candidates()).containsExactly("1 1 udp 2130706431 192.0.2.10 7882 typ host");
    assertThatThrownBy(
            () ->
                LocalTransportParams.iceLite(
                    "ab", Fixtures.OUR_PWD, Fixtures.OUR_FINGERPRINT, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                LocalTransportParams.iceLite("abcd", "short", Fixtures.OUR_FINGERPRINT, List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> new LocalTrack(MediaKind.AUDIO, List.of(CodecId.VP8), 1, 0, "s", "t", "c"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
