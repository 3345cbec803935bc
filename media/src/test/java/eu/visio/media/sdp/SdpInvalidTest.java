package eu.visio.media.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each malformed description is rejected with a short, stable, one-line reason. */
class SdpInvalidTest {
  private static final String HEAD = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n";
  private static final String AUDIO = "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n";

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of("", "empty SDP"),
        Arguments.of("hello", "SDP too short"),
        Arguments.of("o=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", "line 1: expected v= line"),
        Arguments.of(
            "v=1\r\no=- 1 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", "line 1: unsupported version"),
        Arguments.of("v=0\r\no=- x 2 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\n", "line 2: bad o= line"),
        Arguments.of("v=0\r\no=- 1 2 IN IP4\r\ns=-\r\nt=0 0\r\n", "line 2: bad o= line"),
        Arguments.of("v=0\r\no=- 1 2 IN IP4 a\r\ns=\r\nt=0 0\r\n", "line 3: empty s= line"),
        Arguments.of("v=0\r\no=- 1 2 IN IP4 a\r\ns=-\r\n" + AUDIO, "line 4: missing t= line"),
        Arguments.of("v=0\r\no=- 1 2 IN IP4 a\r\ns=-\r\na=x\r\n", "missing t= line"),
        Arguments.of(HEAD + "t=0\r\n", "line 5: bad t= line"),
        Arguments.of(HEAD + "x=unknown\r\n", "line 5: unexpected x= line"),
        Arguments.of(HEAD + "hello\r\n", "line 5: not a type=value line"),
        Arguments.of(HEAD + "\r\na=foo\r\n", "line 5: empty line"),
        Arguments.of(HEAD + "a=foo\u0000bar\r\n", "line 5: control character"),
        Arguments.of(HEAD + "c=IN IP4\r\n", "line 5: bad c= line"),
        Arguments.of(
            HEAD + "c=IN IP4 1.1.1.1\r\nc=IN IP4 1.1.1.1\r\n", "line 6: duplicate c= line"),
        Arguments.of(HEAD + "b=AS\r\n", "line 5: bad b= line"),
        Arguments.of(HEAD + "a=:x\r\n", "line 5: bad attribute name"),
        Arguments.of(HEAD + "a=group\r\n", "line 5: a=group needs a value"),
        Arguments.of(HEAD + "a=group:BUNDLE 0\r\n", "group BUNDLE names an unknown mid"),
        Arguments.of(HEAD + "a=fingerprint:sha-256 ZZ:00\r\n", "line 5: bad fingerprint"),
        Arguments.of(HEAD + "a=fingerprint:sha-256\r\n", "line 5: bad fingerprint"),
        Arguments.of(HEAD + "a=setup:maybe\r\n", "line 5: bad setup"),
        Arguments.of(HEAD + "a=ice-ufrag:a b\r\n", "line 5: bad ice-ufrag"),
        Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF\r\n", "line 5: bad m= line"),
        Arguments.of(HEAD + "m=audio 70000 UDP/TLS/RTP/SAVPF 111\r\n", "line 5: bad m= line"),
        Arguments.of(HEAD + "m=audio 9/2 UDP/TLS/RTP/SAVPF 111\r\n", "line 5: bad m= line"),
        Arguments.of(HEAD + "m=text 9 UDP/TLS/RTP/SAVPF 111\r\n", "line 5: bad m= line"),
        Arguments.of(HEAD + "m=audio 9 UDP//SAVPF 111\r\n", "line 5: bad m= line"),
        Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF opus\r\n", "line 5: bad m= line format"),
        Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 128\r\n", "line 5: bad m= line format"),
        Arguments.of(HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF 0 0\r\n", "line 5: bad m= line format"),
        Arguments.of(
            HEAD + AUDIO + "a=rtpmap:112 opus/48000/2\r\n", "line 6: payload type not in m= line"),
        Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus\r\n", "line 6: bad rtpmap"),
        Arguments.of(HEAD + AUDIO + "a=rtpmap:111 opus/x/2\r\n", "line 6: bad rtpmap"),
        Arguments.of(
            HEAD + AUDIO + "a=rtpmap:111 opus/48000/2\r\na=rtpmap:111 opus/48000/2\r\n",
            "line 7: duplicate rtpmap"),
        Arguments.of(HEAD + AUDIO + "a=fmtp:111\r\n", "line 6: bad or duplicate fmtp"),
        Arguments.of(
            HEAD + AUDIO + "a=fmtp:111 a=1\r\na=fmtp:111 a=2\r\n", "line 7: bad or duplicate fmtp"),
        Arguments.of(HEAD + AUDIO + "a=rtcp-fb:111\r\n", "line 6: bad rtcp-fb"),
        Arguments.of(
            HEAD + AUDIO + "a=mid:0\r\n" + AUDIO + "a=mid:0\r\n", "line 8: bad or duplicate mid"),
        Arguments.of(HEAD + AUDIO + "a=sendonly\r\na=recvonly\r\n", "line 7: duplicate direction"),
        Arguments.of(HEAD + AUDIO + "a=extmap:0 urn:x\r\n", "line 6: bad extmap"),
        Arguments.of(HEAD + AUDIO + "a=extmap:256 urn:x\r\n", "line 6: bad extmap"),
        Arguments.of(
            HEAD + AUDIO + "a=extmap:1/sideways urn:x\r\n", "line 6: bad extmap direction"),
        Arguments.of(
            HEAD + AUDIO + "a=extmap:1 urn:x\r\na=extmap:1 urn:y\r\n",
            "line 7: duplicate extmap id"),
        Arguments.of(HEAD + AUDIO + "a=ssrc:4294967296 cname:x\r\n", "line 6: bad ssrc"),
        Arguments.of(HEAD + AUDIO + "a=ssrc:1\r\n", "line 6: bad ssrc"),
        Arguments.of(HEAD + AUDIO + "a=ssrc-group:FID 1 x\r\n", "line 6: bad ssrc-group"),
        Arguments.of(HEAD + AUDIO + "a=rid:q sideways\r\n", "line 6: bad rid"),
        Arguments.of(HEAD + AUDIO + "a=rid:q! send\r\n", "line 6: bad rid"),
        Arguments.of(HEAD + AUDIO + "a=rid:q send pt=x\r\n", "line 6: bad rid payload type"),
        Arguments.of(HEAD + AUDIO + "a=simulcast:send\r\n", "line 6: bad simulcast"),
        Arguments.of(HEAD + AUDIO + "a=simulcast:send a;;b\r\n", "line 6: bad simulcast rid"),
        Arguments.of(
            HEAD + AUDIO + "a=simulcast:send a send b\r\n", "line 6: bad simulcast direction"),
        Arguments.of(HEAD + AUDIO + "a=sctp-port:0\r\n", "line 6: bad sctp-port"),
        Arguments.of(HEAD + AUDIO + "a=max-message-size:-1\r\n", "line 6: bad max-message-size"),
        Arguments.of(HEAD + AUDIO + "a=candidate:1 1 udp 1 1.2.3.4 5\r\n", "line 6: bad candidate"),
        Arguments.of(HEAD + AUDIO + "a=msid:a b c\r\n", "line 6: bad msid"),
        Arguments.of(HEAD + AUDIO + "s=-\r\n", "line 6: unexpected s= line"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void rejectsWithReadableReason(String sdp, String reason) {
    assertThatThrownBy(() -> SessionDescription.parse(sdp))
        .isInstanceOf(SdpParseException.class)
        .hasMessage(reason);
  }

  @Test
  void rejectsOversizedInput() {
    String big = HEAD + "a=x:" + "y".repeat(SessionDescription.MAX_LENGTH) + "\r\n";
    assertThatThrownBy(() -> SessionDescription.parse(big))
        .isInstanceOf(SdpParseException.class)
        .hasMessage("SDP longer than 1048576 characters");
  }

  /**
   * A subscriber in a meeting of 51 with cameras and microphones: 100 receive sections, each as
   * long as Chrome writes them (one video section is ~160 lines). Parsed, not refused.
   */
  @Test
  void acceptsTheOfferOfABigMeeting() throws Exception {
    StringBuilder sdp = new StringBuilder(HEAD);
    for (int i = 0; i < 100; i++) {
      sdp.append(
              i % 2 == 0
                  ? "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"
                  : "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n")
          .append("a=mid:")
          .append(i)
          .append("\r\n")
          .append("a=recvonly\r\n")
          .append("a=x-chrome-codec-line\r\n".repeat(i % 2 == 0 ? 30 : 160));
    }
    assertThat(SessionDescription.parse(sdp.toString()).media()).hasSize(100);
  }

  @Test
  void rejectsTooManyLines() {
    String many = HEAD + "a=x\r\n".repeat(SdpParser.MAX_LINES);
    assertThatThrownBy(() -> SessionDescription.parse(many))
        .hasMessage("SDP has more than " + SdpParser.MAX_LINES + " lines");
  }

  @Test
  void rejectsTooManyMediaSections() {
    String many = HEAD + "m=audio 0 UDP/TLS/RTP/SAVPF 0\r\n".repeat(SdpParser.MAX_MEDIA + 1);
    assertThatThrownBy(() -> SessionDescription.parse(many))
        .hasMessage("line " + (5 + SdpParser.MAX_MEDIA) + ": too many m= lines");
  }

  @Test
  void rejectsLongLine() {
    String longLine = HEAD + "a=x:" + "y".repeat(SdpParser.MAX_LINE_LENGTH) + "\r\n";
    assertThatThrownBy(() -> SessionDescription.parse(longLine))
        .hasMessage("line 5: line too long");
  }

  @Test
  void reasonNeverEchoesInput() {
    String secret = HEAD + "m=audio 9 UDP/TLS/RTP/SAVPF SECRETSECRET\r\n";
    assertThatThrownBy(() -> SessionDescription.parse(secret))
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET").doesNotContain("\n"));
  }
}
