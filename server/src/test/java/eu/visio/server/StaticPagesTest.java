package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web app and the demo pages: served with strict security headers, and self-contained (nothing
 * loaded from another origin, nothing inline that the CSP would have to allow); meeting links and
 * unknown pages answered with the app, without shadowing files or endpoints.
 */
class StaticPagesTest {
  /** An absolute URL: a scheme, or a protocol-relative {@code //host} in an attribute or string. */
  private static final Pattern OTHER_ORIGIN =
      Pattern.compile("(?i)\\b(?:https?|wss?|ftp):|[\"'(=]\\s*//");

  /** A {@code src} or {@code href} attribute value. */
  private static final Pattern REFERENCE =
      Pattern.compile("\\b(?:src|href)\\s*=\\s*[\"']([^\"']*)[\"']");

  /** What a browser sends when it navigates to a page. */
  private static final String HTML = "text/html,application/xhtml+xml,*/*;q=0.8";

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

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "/index.html", "/demos.html", "/whip.html", "/whep.html", "/webrtc-demo.js"})
  void pagesCarrySecurityHeaders(String path) {
    HttpResponse<String> r = http.get(path);
    assertThat(r.statusCode()).isEqualTo(200);
    assertSecurityHeaders(r);
  }

  @Test
  void apiAnswersCarrySecurityHeadersToo() {
    assertSecurityHeaders(http.get("/healthz"));
    assertSecurityHeaders(http.post("/whip/cam", WhipHttp.SDP, "junk"));
    // An error Jetty raises itself, before Javalin's before-handler runs.
    assertSecurityHeaders(http.post("/whip/%FF", WhipHttp.SDP, "junk"));
  }

  @Test
  void contentSecurityPolicyAllowsNothingInlineAndNoOtherOrigin() {
    String csp =
        http.get("/whip.html").headers().firstValue("Content-Security-Policy").orElseThrow();
    assertThat(csp)
        .doesNotContain("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:")
        .contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'")
        .contains("object-src 'none'", "base-uri 'none'");
  }

  /**
   * Scripts: this origin, plus compiling WebAssembly (the web app's background effects and noise
   * suppression) and nothing more: no JavaScript eval, no blob: or data: scripts or workers.
   */
  @Test
  void scriptsComeFromThisOriginWithWasmAllowed() {
    String csp =
        http.get("/whip.html").headers().firstValue("Content-Security-Policy").orElseThrow();
    Map<String, String> directives = new HashMap<>();
    for (String directive : csp.split(";")) {
      String[] parts = directive.trim().split(" ", 2);
      directives.put(parts[0], parts.length > 1 ? parts[1] : "");
    }
    assertThat(directives).containsEntry("script-src", "'self' 'wasm-unsafe-eval'");
    // Workers and worklets fall back to script-src then default-src: this origin only.
    assertThat(directives).doesNotContainKeys("worker-src", "child-src");
    assertThat(directives).containsEntry("default-src", "'self'");
  }

  static Stream<Path> publicFiles() throws IOException, URISyntaxException {
    Path dir = Path.of(StaticPagesTest.class.getResource("/public").toURI());
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> all = files.sorted().toList();
      assertThat(all).extracting(p -> p.getFileName().toString()).contains("whip.html");
      return all.stream();
    }
  }

  @ParameterizedTest
  @MethodSource("publicFiles")
  void noFileReferencesAnotherOrigin(Path file) throws IOException {
    List<String> hits = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      // JavaScript line comments are prose, not references ("// WHIP clients ...").
      String code = line.strip().startsWith("//") ? "" : line;
      if (OTHER_ORIGIN.matcher(code).find()) {
        hits.add((i + 1) + ": " + line.strip());
      }
    }
    assertThat(hits).as("absolute URLs in %s", file.getFileName()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"index.html", "demos.html", "whip.html", "whep.html"})
  void pagesHaveNothingInlineAndOnlyWorkingRelativeReferences(String page) {
    String html = http.get("/" + page).body();
    assertThat(html).doesNotContainPattern("(?i)<script(?![^>]*\\bsrc=)[^>]*>");
    assertThat(html).doesNotContainPattern("(?i)<style|\\sstyle\\s*=|\\son[a-z]+\\s*=");
    assertThat(html).doesNotContainPattern("(?i)javascript:");
    Matcher m = REFERENCE.matcher(html);
    int references = 0;
    while (m.find()) {
      String ref = m.group(1);
      assertThat(ref).doesNotContain(":").doesNotStartWith("//");
      String path = ref.startsWith("/") ? ref : "/" + ref;
      assertThat(http.get(path).statusCode()).as("GET %s", ref).isEqualTo(200);
      references++;
    }
    assertThat(references).isPositive();
  }

  @Test
  void theAppOwnsTheRootPage() {
    assertThat(http.get("/").body()).contains("<div id=\"root\">");
  }

  /**
   * Meeting links, as typed or shared, and the app's own pages load the app itself (the browser
   * routes them).
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/abc-defg-hij",
        "/abcdefghij",
        "/ABC-DEFG-HIJ",
        "/connection-test",
        "/accessibility"
      })
  void meetingLinksAndAppPagesServeTheApp(String path) {
    HttpResponse<String> r = http.send("GET", path, null, BodyPublishers.noBody(), "Accept", "*/*");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(r.body()).isEqualTo(http.get("/").body());
    assertSecurityHeaders(r);
  }

  /** A page the browser navigates to that does not exist: the app's own not-found, status 404. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "/no-such-page",
        "/abc-defg-hi",
        "/a/b/c",
        "/connection-test/x",
        "/accessibility/"
      })
  void unknownPagesGetTheAppWithNotFound(String path) {
    HttpResponse<String> r = http.send("GET", path, null, BodyPublishers.noBody(), "Accept", HTML);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("<div id=\"root\">");
  }

  /**
   * What the fallback must leave alone: endpoints' own 404s, missing files fetched by scripts,
   * other methods; and files and endpoints that exist still answer as themselves.
   */
  @ParameterizedTest
  @CsvSource({
    "GET, /api/v1/rooms/abc-defg-hij, 404",
    "GET, /api/v1/no-such-endpoint, 404",
    "GET, /auth/nothing, 404",
    "GET, /e2e/missing.html, 404",
    "GET, /assets/missing.js, 404",
    "GET, /whip/abc-defg-hij, 404",
    "POST, /abc-defg-hij, 404",
  })
  void fallbackLeavesEndpointsAlone(String method, String path, int status) {
    HttpResponse<String> r = http.send(method, path, null, BodyPublishers.noBody(), "Accept", HTML);
    assertThat(r.statusCode()).as("%s %s", method, path).isEqualTo(status);
    assertThat(r.body()).doesNotContain("<div id=\"root\">");
  }

  @Test
  void missingFilesFetchedByScriptsStayPlainNotFound() {
    HttpResponse<String> r =
        http.send("GET", "/missing.js", null, BodyPublishers.noBody(), "Accept", "*/*");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).doesNotContain("<div id=\"root\">");
  }

  @ParameterizedTest
  @CsvSource({"/whip.html, WHIP", "/e2e/livekit.html, window.visio", "/healthz, ok"})
  void filesAndEndpointsAreNotShadowed(String path, String content) {
    HttpResponse<String> r = http.send("GET", path, null, BodyPublishers.noBody(), "Accept", HTML);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains(content).doesNotContain("<div id=\"root\">");
  }

  /** The scanner itself: it must catch each way of pointing elsewhere. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "<script src=\"https://cdn.example/x.js\"></script>",
        "<link href='//cdn.example/x.css'>",
        "fetch('http://tracker.example/')",
        "new WebSocket(\"wss://x.example\")",
        "background: url(//img.example/a.png)",
        "const u = \"//evil.example\";"
      })
  void scannerFindsAbsoluteUrls(String line) {
    assertThat(OTHER_ORIGIN.matcher(line).find()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "<script src=\"webrtc-demo.js\"></script>",
        "fetch('/whip/' + encodeURIComponent(stream))",
        "const x = a // b;"
      })
  void scannerLetsRelativeUrlsThrough(String line) {
    assertThat(OTHER_ORIGIN.matcher(line).find()).isFalse();
  }

  private static void assertSecurityHeaders(HttpResponse<String> r) {
    assertThat(r.headers().firstValue("Content-Security-Policy"))
        .hasValue(HttpServer.CONTENT_SECURITY_POLICY);
    assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(r.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    assertThat(r.headers().firstValue("Cross-Origin-Opener-Policy")).hasValue("same-origin");
  }
}
