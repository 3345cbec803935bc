package eu.visio.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Offers of a session the server renegotiates (LiveKit's subscriber connection) and the browser's
 * answers to them. The fixtures are a real exchange: {@code server-reoffer.sdp} is the second offer
 * our server made on a LiveKit client's subscriber connection (data channel, then an audio and a
 * video track) and {@code chrome-answer-to-server-offer.sdp} Chromium 156's answer to it.
 */
class SdpRenegotiationTest {
  static final String OFFER = "server-reoffer.sdp";
  static final String ANSWER = "chrome-answer-to-server-offer.sdp";

  static final LocalTrack AUDIO =
      new LocalTrack(
          MediaKind.AUDIO, List.of(CodecId.OPUS), 2004637352L, 0, "PA_a|TR_a", "TR_a", "PA_a");
  static final LocalTrack VIDEO =
      new LocalTrack(
          MediaKind.VIDEO,
          List.of(CodecId.VP8),
          1137607412L,
          1149299663L,
          "PA_a|TR_v",
          "TR_v",
          "PA_a");
  static final List<OfferSection> SECTIONS =
      List.of(
          new OfferSection("0", MediaKind.APPLICATION, null),
          new OfferSection("1", MediaKind.AUDIO, AUDIO),
          new OfferSection("2", MediaKind.VIDEO, VIDEO));

  @Test
  void laterOffersKeepMidsOrderAndSessionAndIdleSlotsGoInactive() throws Exception {
    SessionDescription first =
        SdpOfferer.offer(
            Fixtures.LOCAL,
            List.of(
                new OfferSection("0", MediaKind.APPLICATION, null),
                new OfferSection("1", MediaKind.AUDIO, AUDIO)),
            "4242",
            1);
    SessionDescription second =
        SessionDescription.parse(
            SdpOfferer.offer(
                    Fixtures.LOCAL,
                    List.of(
                        new OfferSection("0", MediaKind.APPLICATION, null),
                        new OfferSection("1", MediaKind.AUDIO, null),
                        new OfferSection("2", MediaKind.VIDEO, VIDEO)),
                    "4242",
                    2)
                .write());
    assertThat(first.origin().sessionId()).isEqualTo("4242");
    assertThat(second.origin().sessionId()).isEqualTo("4242");
    assertThat(second.origin().sessionVersion()).isEqualTo("2");
    assertThat(second.bundleMids()).containsExactly("0", "1", "2");
    assertThat(second.iceLite()).isTrue();
    MediaDescription idle = second.media().get(1);
    assertThat(idle.mid()).isEqualTo("1");
    assertThat(idle.direction()).isEqualTo(Direction.INACTIVE);
    assertThat(idle.port()).as("kept, not rejected").isNotZero();
    assertThat(idle.msids()).isEmpty();
    assertThat(idle.ssrcs()).isEmpty();
    assertThat(idle.formats()).containsExactly("111");
    MediaDescription video = second.media().get(2);
    assertThat(video.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(video.msids()).containsExactly(new Msid("PA_a|TR_v", "TR_v"));
    assertThat(video.ssrcGroups())
        .containsExactly(new SsrcGroup("FID", List.of(1137607412L, 1149299663L)));
    assertThat(second.media()).allSatisfy(m -> assertThat(m.setup()).isEqualTo(Setup.ACTPASS));
    assertThat(second.media().getFirst().candidates()).hasSize(1);
  }

  @Test
  void duplicateMidsAreRefused() {
    assertThatThrownBy(
            () ->
                SdpOfferer.offer(
                    Fixtures.LOCAL,
                    List.of(
                        new OfferSection("1", MediaKind.AUDIO, null),
                        new OfferSection("1", MediaKind.VIDEO, null)),
                    "1",
                    1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chromesAnswerToOurReoffer() throws Exception {
    SdpAnswer a = accept(Fixtures.text(ANSWER));
    // a=setup:active in the answer: Chrome is the DTLS client, we are the server.
    assertThat(a.localSetup()).isEqualTo(Setup.PASSIVE);
    assertThat(a.remote().iceUfrag()).isEqualTo("Vy3v");
    assertThat(a.remote().fingerprints().getFirst().algorithm()).isEqualTo("sha-256");
    assertThat(a.rejectedMids()).isEmpty();

    NegotiatedMedia data = a.media("0");
    assertThat(data.sctp().remotePort()).isEqualTo(5000);
    assertThat(data.sctp().remoteMaxMessageSize()).isEqualTo(262_144);

    NegotiatedMedia audio = a.media("1");
    assertThat(audio.direction()).isEqualTo(Direction.SENDONLY);
    assertThat(audio.localTrack()).isSameAs(AUDIO);
    assertThat(audio.primaryCodec().name()).isEqualTo("opus");
    assertThat(audio.primaryCodec().payloadType()).isEqualTo(111);
    assertThat(audio.primaryCodec().hasRtx()).isFalse();
    assertThat(audio.extensionId(RtpExtensions.AUDIO_LEVEL)).isEqualTo(1);
    assertThat(audio.extensionId(RtpExtensions.TRANSPORT_CC)).isEqualTo(3);
    assertThat(audio.rtcpRsize()).isTrue();

    NegotiatedMedia video = a.media("2");
    assertThat(video.localTrack()).isSameAs(VIDEO);
    assertThat(video.primaryCodec().payloadType()).isEqualTo(96);
    assertThat(video.primaryCodec().rtxPayloadType()).isEqualTo(97);
    assertThat(video.primaryCodec().rtcpFeedback())
        .containsExactly("goog-remb", "transport-cc", "ccm fir", "nack", "nack pli");
    assertThat(video.extensionId(RtpExtensions.DEPENDENCY_DESCRIPTOR)).isEqualTo(12);
    assertThat(video.extensionId(RtpExtensions.AUDIO_LEVEL)).isZero();
  }

  @Test
  void anInactiveAnswerSendsNothing() throws Exception {
    SdpAnswer a = accept(Fixtures.text(ANSWER).replace("a=recvonly", "a=inactive"));
    assertThat(a.media("1").direction()).isEqualTo(Direction.INACTIVE);
    assertThat(a.media("1").localTrack()).isNull();
  }

  @Test
  void aRejectedMLineIsListed() throws Exception {
    String answer = Fixtures.text(ANSWER).replace("m=video 9 ", "m=video 0 ");
    SdpAnswer a = accept(answer);
    assertThat(a.rejectedMids()).containsExactly("2");
    assertThat(a.media("2")).isNull();
  }

  /** Answers that do not fit our offer are refused with a reason, not guessed at. */
  @Test
  void answersThatDoNotMatchTheOfferAreRefused() {
    record Bad(String why, UnaryOperator<String> edit, String message) {}
    List<Bad> table =
        List.of(
            new Bad(
                "mid renamed",
                s -> s.replace("a=mid:2", "a=mid:7").replace("BUNDLE 0 1 2", "BUNDLE 0 1 7"),
                "is not the offer's"),
            new Bad(
                "m-line dropped",
                s -> s.substring(0, s.indexOf("m=video")).replace("BUNDLE 0 1 2", "BUNDLE 0 1"),
                "m-lines for the offer's"),
            new Bad("actpass", s -> s.replace("a=setup:active", "a=setup:actpass"), "actpass"),
            new Bad(
                "payload type not offered",
                s ->
                    s.replace("SAVPF 96 97", "SAVPF 96 98")
                        .replace("a=rtpmap:97", "a=rtpmap:98")
                        .replace("a=fmtp:97", "a=fmtp:98"),
                "was not offered"),
            new Bad("no ICE", s -> s.replaceAll("a=ice-(ufrag|pwd):.*\\r?\\n", ""), "ICE"),
            new Bad(
                "no fingerprint", s -> s.replaceAll("a=fingerprint:.*\\r?\\n", ""), "fingerprint"),
            new Bad(
                "everything rejected",
                s -> s.replaceAll("m=(application|audio|video) [0-9]+ ", "m=$1 0 "),
                "rejects every m-line"));
    String answer = Fixtures.text(ANSWER);
    for (Bad b : table) {
      assertThatThrownBy(() -> accept(b.edit().apply(answer)))
          .as(b.why())
          .isInstanceOf(SdpParseException.class)
          .hasMessageContaining(b.message());
    }
  }

  @Property(tries = 2000)
  void mutatedAnswersOnlyThrowParseException(@ForAll("mutatedAnswer") String text) {
    try {
      SdpAnswer a = accept(text);
      assertThat(a.media()).isNotEmpty();
    } catch (SdpParseException e) {
      assertThat(e.getMessage()).isNotBlank().doesNotContain("\n");
    }
  }

  @Provide
  Arbitrary<String> mutatedAnswer() {
    return Arbitraries.randoms()
        .flatMap(r -> Arbitraries.integers().between(1, 5).map(n -> mutate(r, n)));
  }

  private static String mutate(Random r, int n) {
    List<String> lines = new ArrayList<>(List.of(Fixtures.text(ANSWER).split("\n", -1)));
    for (int i = 0; i < n; i++) {
      int li = r.nextInt(lines.size());
      String line = lines.get(li);
      switch (r.nextInt(4)) {
        case 0 -> lines.remove(li);
        case 1 -> lines.add(r.nextInt(lines.size()), line);
        case 2 -> lines.set(li, line.replaceAll("[0-9]+", Integer.toString(r.nextInt(300))));
        default ->
            lines.set(
                li, line.isEmpty() ? line : line.substring(0, r.nextInt(line.length())) + "~:");
      }
      if (lines.isEmpty()) {
        break;
      }
    }
    return String.join("\n", lines);
  }

  private static SdpAnswer accept(String answer) throws SdpParseException {
    return SdpOfferer.accept(
        SessionDescription.parse(Fixtures.text(OFFER)), SECTIONS, SessionDescription.parse(answer));
  }
}
