package eu.visio.server;

import static eu.visio.server.WhipHttp.SDP;
import static eu.visio.server.WhipHttp.fixture;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

/**
 * Untrusted input over HTTP: whatever a client POSTs, the answer is 201 (a valid offer) or a
 * one-line 400, never a 500, and the server keeps answering.
 */
class WhipFuzzProperties {
  private static final Pattern STREAM_NAME = Pattern.compile("[A-Za-z0-9_.~-]{1,128}");
  private static final String OFFER = fixture("chrome-whip-offer.sdp");

  private static VisioServer server;
  private static WhipHttp http;

  @BeforeContainer
  static void start() {
    server = TestServers.loopback();
    http = new WhipHttp(server);
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  @Property(tries = 150)
  void randomBytesAreRejectedCleanly(@ForAll("randomBodies") byte[] body) {
    assertCleanAnswer(
        http.send("POST", "/whip/x", SDP, BodyPublishers.ofByteArray(body)), "/whip/x/");
  }

  @Property(tries = 150)
  @StatisticsReport(onFailureOnly = true)
  void mutatedOffersAreAnsweredOrRejectedCleanly(@ForAll("mutatedOffers") String body) {
    HttpResponse<String> r = http.post("/whip/x", SDP, body);
    Statistics.label("status").collect(r.statusCode());
    assertCleanAnswer(r, "/whip/x/");
    // Mutations must exercise both outcomes, or the property proves little.
    Statistics.label("status")
        .coverage(
            c -> {
              c.check(201).percentage(p -> p > 5);
              c.check(400).percentage(p -> p > 5);
            });
  }

  @Property(tries = 100)
  void anyStreamNameIsAcceptedOnlyWhenValid(@ForAll("streamNames") String name) {
    // Percent-encoded, dots included: the client would resolve a bare "." or ".." as a
    // dot-segment and never send it.
    String path =
        "/whip/"
            + URLEncoder.encode(name, StandardCharsets.UTF_8)
                .replace("+", "%20")
                .replace(".", "%2E");
    HttpResponse<String> r = http.post(path, SDP, OFFER);
    if (STREAM_NAME.matcher(name).matches() && !name.equals(".") && !name.equals("..")) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }
    assertCleanAnswer(r, "/whip/" + name + "/");
  }

  /** Raw bytes, text-like bytes and SDP-looking line soup. */
  @Provide
  Arbitrary<byte[]> randomBodies() {
    Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    Arbitrary<byte[]> lines =
        Arbitraries.of("v=0", "o=- 1 2 IN IP4 0.0.0.0", "s=-", "t=0 0", "m=audio 9 X 111", "a=")
            .list()
            .ofMaxSize(20)
            .flatMap(
                l ->
                    Arbitraries.strings()
                        .ofMaxLength(40)
                        .map(
                            tail ->
                                (String.join("\r\n", l) + tail).getBytes(StandardCharsets.UTF_8)));
    return Arbitraries.oneOf(raw, lines);
  }

  /** The Chrome offer with lines dropped, duplicated, cut or overwritten. */
  @Provide
  Arbitrary<String> mutatedOffers() {
    List<String> lines = Arrays.asList(OFFER.split("\r\n"));
    Arbitrary<Mutation> one =
        Arbitraries.integers()
            .between(0, Mutation.KINDS - 1)
            .flatMap(
                kind ->
                    Arbitraries.integers()
                        .between(0, lines.size() - 1)
                        .flatMap(
                            at ->
                                Arbitraries.strings()
                                    .ofMaxLength(30)
                                    .map(junk -> new Mutation(kind, at, junk))));
    return one.list()
        .ofMinSize(1)
        .ofMaxSize(4)
        .map(
            ms -> {
              List<String> l = new ArrayList<>(lines);
              ms.forEach(m -> m.apply(l));
              return String.join("\r\n", l) + "\r\n";
            });
  }

  @Provide
  Arbitrary<String> streamNames() {
    Arbitrary<String> valid =
        Arbitraries.strings().withChars("ABCXYZabcxyz0189_.~-").ofMinLength(1).ofMaxLength(130);
    Arbitrary<String> any = Arbitraries.strings().ofMinLength(1).ofMaxLength(40);
    return Arbitraries.oneOf(valid, any);
  }

  /** One edit of the line at {@code at} (modulo the current line count). */
  private record Mutation(int kind, int at, String junk) {
    static final int KINDS = 6;

    void apply(List<String> lines) {
      if (lines.isEmpty()) {
        return;
      }
      int i = at % lines.size();
      String line = lines.get(i);
      switch (kind) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, line);
        case 2 -> lines.set(i, line.substring(0, Math.min(junk.length(), line.length())));
        case 3 -> lines.set(i, junk);
        case 4 -> lines.set(i, line + junk);
        default -> lines.set(i, line.substring(0, Math.min(2, line.length())) + junk);
      }
    }
  }

  private static void assertCleanAnswer(HttpResponse<String> r, String locationPrefix) {
    int status = r.statusCode();
    if (status == 201) {
      assertThat(r.headers().firstValue("Location").orElseThrow()).startsWith(locationPrefix);
      assertThat(http.delete(r.headers().firstValue("Location").orElseThrow()).statusCode())
          .isEqualTo(200);
    } else {
      WhipHttpTest.assertOneLineError(r, 400);
    }
    assertThat(http.get("/healthz").statusCode()).isEqualTo(200);
  }
}
