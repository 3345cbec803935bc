package eu.visio.server;

import static eu.visio.server.WhipHttp.SDP;
import static eu.visio.server.WhipHttp.TRICKLE;
import static eu.visio.server.WhipHttp.TRICKLE_FRAGMENT;
import static eu.visio.server.WhipHttp.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.sdp.Direction;
import eu.visio.media.sdp.Fingerprint;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.RtpCodec;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.media.sdp.Setup;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * WHIP (RFC 9725) and WHEP over real HTTP against a loopback server. No client here does ICE, so
 * sessions never connect: they live until DELETE or the transport's 30 s connect timeout, which no
 * test waits for.
 */
class WhipHttpTest {
  private static final Pattern LOCATION = Pattern.compile("/whip/([^/]+)/([0-9a-f]{24})");

  private static VisioServer server;
  private static WhipHttp http;

  @BeforeAll
  static void start() {
    server = TestServers.loopback();
    http = new WhipHttp(server);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void publishAnswersWithAResourceAndAnIceLitePassiveAnswer() throws Exception {
    String offerText = fixture("chrome-whip-offer.sdp");
    HttpResponse<String> r = http.post("/whip/cam", SDP, offerText);

    assertThat(r.statusCode()).isEqualTo(201);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith(SDP));
    String location = r.headers().firstValue("Location").orElseThrow();
    Matcher m = LOCATION.matcher(location);
    assertThat(m.matches()).as("Location %s", location).isTrue();
    assertThat(m.group(1)).isEqualTo("cam");
    assertThat(r.headers().firstValue("ETag")).hasValue("\"" + m.group(2) + "\"");

    SessionDescription offer = SessionDescription.parse(offerText);
    SessionDescription answer = SessionDescription.parse(r.body());
    assertThat(answer.iceLite()).isTrue();
    assertThat(answer.media()).hasSameSizeAs(offer.media());
    String[] ours = DtlsCertificate.shared().fingerprint().split(" ", 2);
    Fingerprint ourFingerprint = new Fingerprint(ours[0], ours[1]);
    List<String> candidates = new ArrayList<>();
    for (MediaDescription a : answer.media()) {
      MediaDescription o = offer.media(a.mid());
      assertThat(o).as("answer mid %s is in the offer", a.mid()).isNotNull();
      Setup setup = a.setup() != null ? a.setup() : answer.setup();
      assertThat(setup).isEqualTo(Setup.PASSIVE);
      assertThat(a.fingerprints().isEmpty() ? answer.fingerprints() : a.fingerprints())
          .contains(ourFingerprint);
      assertThat(a.effectiveDirection()).isEqualTo(Direction.RECVONLY);
      assertThat(a.codecs()).isNotEmpty();
      for (RtpCodec c : a.codecs()) {
        RtpCodec offered = o.codec(c.payloadType());
        assertThat(offered).as("answered payload type %d was offered", c.payloadType()).isNotNull();
        assertThat(offered.name()).isEqualToIgnoringCase(c.name());
      }
      candidates.addAll(a.candidates());
    }
    // The fixture offers Opus as 111 and VP8 as 96: the answer keeps the offer's numbers.
    assertThat(answer.media(offer.media().get(0).mid()).codec(111).name()).isEqualTo("opus");
    assertThat(answer.media(offer.media().get(1).mid()).codec(96).name()).isEqualTo("VP8");
    assertThat(candidates)
        .anySatisfy(
            c ->
                assertThat(c.toLowerCase(java.util.Locale.ROOT))
                    .contains(" udp ")
                    .contains(" 127.0.0.1 " + server.udpPort() + " typ host"));
    http.delete(location);
  }

  @Test
  void safariOfferIsAccepted() {
    HttpResponse<String> r = http.post("/whip/safari", SDP, fixture("safari-offer.sdp"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    http.delete(r.headers().firstValue("Location").orElseThrow());
  }

  static Stream<Arguments> rejectedPosts() {
    String chrome = fixture("chrome-whip-offer.sdp");
    return Stream.of(
        Arguments.of("not SDP", "/whip/cam", SDP, "hello, world", 400),
        Arguments.of("SDP without m-lines", "/whip/cam", SDP, "v=0\r\n", 400),
        Arguments.of("empty body", "/whip/cam", SDP, "", 400),
        Arguments.of("blank body", "/whip/cam", SDP, " \r\n", 400),
        Arguments.of("JSON content type", "/whip/cam", "application/json", chrome, 415),
        Arguments.of("text content type", "/whip/cam", "text/plain", chrome, 415),
        Arguments.of("no content type", "/whip/cam", null, chrome, 415),
        Arguments.of(
            "no acceptable codec", "/whip/cam", SDP, fixture("no-common-codec-offer.sdp"), 400),
        Arguments.of("no fingerprint", "/whip/cam", SDP, withoutFingerprints(chrome), 400),
        Arguments.of("neither SSRC nor rid", "/whip/cam", SDP, withoutSsrcs(chrome), 400),
        Arguments.of("stream name of 129 chars", "/whip/" + "a".repeat(129), SDP, chrome, 400),
        Arguments.of("stream name with '!'", "/whip/cam!", SDP, chrome, 400),
        Arguments.of("stream name with '%20'", "/whip/my%20cam", SDP, chrome, 400),
        Arguments.of("stream name with non-ASCII", "/whip/cam%C3%A9", SDP, chrome, 400),
        Arguments.of("stream name '.'", "/whip/%2E", SDP, chrome, 400),
        Arguments.of("stream name '..'", "/whip/%2E%2E", SDP, chrome, 400),
        // Rejected by Jetty before routing: still one line of text.
        Arguments.of("stream name not UTF-8", "/whip/%FF", SDP, chrome, 400),
        Arguments.of("stream name with NUL", "/whip/a%00b", SDP, chrome, 400),
        Arguments.of("WHEP, nobody publishes", "/whep/nobody", SDP, whepOffer(), 404),
        Arguments.of("WHEP, bad stream name", "/whep/a+b", SDP, whepOffer(), 400),
        Arguments.of("WHEP, wrong content type", "/whep/cam", "text/plain", whepOffer(), 415));
  }

  @ParameterizedTest(name = "{0} -> {4}")
  @MethodSource("rejectedPosts")
  void rejectedPostGetsAStatusAndAOneLineReason(
      String what, String path, String contentType, String body, int status) {
    int before = server.whip().activeSessions();
    HttpResponse<String> r = http.post(path, contentType, body);
    assertOneLineError(r, status);
    assertThat(r.headers().firstValue("Location")).isEmpty();
    assertThat(server.whip().activeSessions()).isEqualTo(before);
  }

  @Test
  void maximumLengthStreamNameIsAccepted() {
    HttpResponse<String> r =
        http.post("/whip/" + "A-z_0.~".repeat(18) + "xx", SDP, fixture("chrome-whip-offer.sdp"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    http.delete(r.headers().firstValue("Location").orElseThrow());
  }

  /**
   * Sent in full without waiting: 413, which the client reads because the server takes in the rest
   * of the body (up to 1 MiB past the limit) before answering.
   */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {64 * 1024 + 1, 1024 * 1024})
  void bodyOver64KibIsContentTooLarge(int size) {
    String body = padded(fixture("chrome-whip-offer.sdp"), size);
    assertOneLineError(http.post("/whip/cam", SDP, body), 413);
  }

  /** With {@code Expect: 100-continue} an oversized offer is refused on its Content-Length. */
  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(ints = {64 * 1024 + 1, 16 * 1024 * 1024})
  void oversizedBodyIsRefusedBeforeItIsSent(int size) {
    HttpResponse<String> r =
        http.send(true, "POST", "/whip/cam", SDP, BodyPublishers.ofByteArray(new byte[size]));
    assertOneLineError(r, 413);
  }

  @Test
  void bodyOfExactly64KibIsStillRead() {
    String body = padded(fixture("chrome-whip-offer.sdp"), 64 * 1024);
    HttpResponse<String> r = http.post("/whip/big", SDP, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    http.delete(r.headers().firstValue("Location").orElseThrow());
  }

  @Test
  void chunkedBodyOver64KibIsContentTooLarge() {
    // No Content-Length: the limit must hold while reading, not only on the header.
    byte[] body = new byte[200 * 1024];
    java.util.Arrays.fill(body, (byte) 'a');
    HttpResponse<String> r =
        http.send(
            "POST",
            "/whip/cam",
            SDP,
            BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)));
    assertOneLineError(r, 413);
  }

  @Test
  void deleteEndsTheSessionThenLeavesATombstone() {
    HttpResponse<String> created = http.post("/whip/del", SDP, fixture("chrome-whip-offer.sdp"));
    assertThat(created.statusCode()).isEqualTo(201);
    String location = created.headers().firstValue("Location").orElseThrow();
    int before = server.whip().activeSessions();

    assertThat(http.delete(location).statusCode()).isEqualTo(200);
    assertThat(server.whip().activeSessions()).isEqualTo(before - 1);
    assertOneLineError(http.delete(location), 410);
    // PATCH on an ended session is gone too.
    assertOneLineError(http.send("PATCH", location, TRICKLE, trickle()), 410);
  }

  @Test
  void unknownResourcesAreNotFound() {
    String id = "0123456789abcdef01234567";
    assertOneLineError(http.delete("/whip/cam/" + id), 404);
    assertOneLineError(http.send("PATCH", "/whip/cam/" + id, TRICKLE, trickle()), 404);
    assertOneLineError(http.delete("/whep/cam/" + id), 404);
  }

  @Test
  void resourceIsOnlyReachableUnderItsOwnKindAndStream() {
    HttpResponse<String> created = http.post("/whip/mine", SDP, fixture("chrome-whip-offer.sdp"));
    String id = created.headers().firstValue("ETag").orElseThrow().replace("\"", "");
    assertOneLineError(http.delete("/whip/other/" + id), 404);
    assertOneLineError(http.delete("/whep/mine/" + id), 404);
    assertThat(http.delete("/whip/mine/" + id).statusCode()).isEqualTo(200);
  }

  @Test
  void patchWithIfMatchStarRestartsIce() {
    HttpResponse<String> created =
        http.post("/whip/restart", SDP, fixture("chrome-whip-offer.sdp"));
    String location = created.headers().firstValue("Location").orElseThrow();
    String fresh = "a=ice-ufrag:R3st\r\na=ice-pwd:AnotherPasswordOf24Chars\r\n";

    // New credentials without If-Match "*" belong to no ICE session of ours.
    assertOneLineError(http.send("PATCH", location, TRICKLE, BodyPublishers.ofString(fresh)), 422);
    HttpResponse<String> restarted =
        http.send("PATCH", location, TRICKLE, BodyPublishers.ofString(fresh), "If-Match", "*");
    assertThat(restarted.statusCode()).isEqualTo(200);
    assertThat(restarted.headers().firstValue("Content-Type").orElseThrow()).startsWith(TRICKLE);
    assertThat(restarted.body())
        .containsPattern("a=ice-ufrag:\\S{4,}\r\n")
        .containsPattern("a=ice-pwd:\\S{22,}\r\n")
        .contains("a=candidate:")
        .doesNotContain("a=ice-ufrag:R3st");
    assertThat(http.delete(location).statusCode()).isEqualTo(200);
  }

  @Test
  void patchTakesTrickleFragmentsOnly() {
    HttpResponse<String> created =
        http.post("/whip/trickle", SDP, fixture("chrome-whip-offer.sdp"));
    String location = created.headers().firstValue("Location").orElseThrow();

    HttpResponse<String> ok = http.send("PATCH", location, TRICKLE, trickle());
    assertThat(ok.statusCode()).isEqualTo(204);
    assertThat(ok.body()).isEmpty();
    assertOneLineError(http.send("PATCH", location, SDP, trickle()), 415);
    assertOneLineError(http.send("PATCH", location, null, trickle()), 415);
    http.delete(location);
  }

  @ParameterizedTest
  @ValueSource(strings = {"/whip/cam", "/whip/cam/0123456789abcdef01234567", "/whep/cam"})
  void optionsAdvertisesSdpAndAllowsOtherOrigins(String path) {
    HttpResponse<String> r =
        http.send(
            "OPTIONS",
            path,
            null,
            BodyPublishers.noBody(),
            "Origin",
            "https://encoder.example",
            "Access-Control-Request-Method",
            "POST");
    assertThat(r.statusCode()).isEqualTo(204);
    assertThat(r.headers().firstValue("Accept-Post")).hasValue(SDP);
    assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    assertThat(r.headers().firstValue("Access-Control-Allow-Methods").orElseThrow())
        .contains("POST", "PATCH", "DELETE");
    assertThat(r.headers().firstValue("Access-Control-Allow-Headers").orElseThrow())
        .containsIgnoringCase("Authorization")
        .containsIgnoringCase("Content-Type");
    assertThat(r.headers().firstValue("Access-Control-Expose-Headers").orElseThrow())
        .contains("Location", "ETag");
  }

  @Test
  void corsHeadersAlsoOnAnswersAndErrors() {
    HttpResponse<String> created = http.post("/whip/cors", SDP, fixture("chrome-whip-offer.sdp"));
    assertThat(created.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    HttpResponse<String> bad = http.post("/whip/cors", SDP, "nonsense");
    assertThat(bad.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    http.delete(created.headers().firstValue("Location").orElseThrow());
  }

  /**
   * A second WHIP POST to a stream is accepted while the first is still there. Only a publisher
   * that completes ICE and DTLS replaces the stream's current one (WhipService.publish: {@code
   * setPublisher} on connect); until then both sessions exist side by side, and the one that never
   * connects closes itself after the transport's 30 s connect timeout. Neither has connected here,
   * so the stream has no publisher yet and WHEP still answers 404.
   */
  @Test
  void secondPublisherIsAcceptedAndTheFirstSessionLivesOn() {
    int before = server.whip().activeSessions();
    HttpResponse<String> first = http.post("/whip/twice", SDP, fixture("chrome-whip-offer.sdp"));
    HttpResponse<String> second = http.post("/whip/twice", SDP, fixture("chrome-whip-offer.sdp"));
    assertThat(first.statusCode()).isEqualTo(201);
    assertThat(second.statusCode()).isEqualTo(201);
    String firstLocation = first.headers().firstValue("Location").orElseThrow();
    String secondLocation = second.headers().firstValue("Location").orElseThrow();
    assertThat(secondLocation).isNotEqualTo(firstLocation);
    assertThat(server.whip().activeSessions()).isEqualTo(before + 2);

    assertOneLineError(http.post("/whep/twice", SDP, whepOffer()), 404);
    // The first resource was not ended by the second POST: it can still be trickled and deleted.
    assertThat(http.send("PATCH", firstLocation, TRICKLE, trickle()).statusCode()).isEqualTo(204);
    assertThat(http.delete(firstLocation).statusCode()).isEqualTo(200);
    assertThat(http.delete(secondLocation).statusCode()).isEqualTo(200);
    assertThat(server.whip().activeSessions()).isEqualTo(before);
  }

  @Test
  void healthz() {
    HttpResponse<String> r = http.get("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok");
  }

  /** Every failure is its status and a short, single-line plain-text reason. */
  static void assertOneLineError(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as("status, body %s", r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(r.body()).matches("[^\\r\\n]{1,200}\\n");
  }

  private static java.net.http.HttpRequest.BodyPublisher trickle() {
    return BodyPublishers.ofString(TRICKLE_FRAGMENT);
  }

  private static String whepOffer() {
    return fixture("chrome-whep-offer.sdp");
  }

  /**
   * The offer grown to exactly {@code size} bytes by unknown attributes on its last m-line, in
   * lines of at most 1 KiB (the SDP parser refuses lines over 4 KiB).
   */
  private static String padded(String sdp, int size) {
    StringBuilder b = new StringBuilder(sdp);
    int overhead = "a=x-pad:\r\n".length();
    while (b.length() < size) {
      int room = size - b.length() - overhead;
      assertThat(room).isNotNegative();
      // Half a line when a full one would leave less than a line's overhead.
      int n = room <= 1024 ? room : room < 1024 + overhead ? 512 : 1024;
      b.append("a=x-pad:").append("p".repeat(n)).append("\r\n");
    }
    assertThat(b).hasSize(size);
    return b.toString();
  }

  private static String withoutSsrcs(String sdp) {
    String out = sdp.replaceAll("(?m)^a=ssrc[^\\r\\n]*\\r?\\n", "");
    assertThat(out).doesNotContain("a=ssrc").doesNotContain("a=rid").isNotEqualTo(sdp);
    return out;
  }

  /** RFC 8853: Chrome's three rids are received; the answer says so with a=simulcast:recv. */
  @Test
  void simulcastOfferIsAnsweredWithTheRidsAsRecv() {
    HttpResponse<String> r =
        http.post("/whip/simulcast", SDP, fixture("chrome-simulcast-offer.sdp"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.body()).contains("a=simulcast:recv q;h;f");
    assertThat(r.body()).contains("a=rid:q recv", "a=rid:h recv", "a=rid:f recv");
    http.delete(r.headers().firstValue("Location").orElseThrow());
  }

  private static String withoutFingerprints(String sdp) {
    String out = sdp.replaceAll("(?m)^a=fingerprint:[^\\r\\n]*\\r?\\n", "");
    assertThat(out).doesNotContain("fingerprint").isNotEqualTo(sdp);
    return out;
  }
}
