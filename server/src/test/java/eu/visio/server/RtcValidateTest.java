package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** LiveKit clients' validate endpoints: 200 "success" for a joinable token, else 401 and why. */
class RtcValidateTest {
  static VisioServer server;
  static final HttpClient client = HttpClient.newHttpClient();
  static final TokenIssuer issuer = new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> get(String path, String token, boolean asHeader) throws Exception {
    String q =
        token == null || asHeader
            ? ""
            : "?access_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path + q));
    if (asHeader && token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String token(VideoGrant grant, String identity) {
    return issuer.issue(identity, null, null, Map.of(), grant, Duration.ofMinutes(10));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/rtc/validate", "/rtc/v1/validate"})
  void answersLikeLiveKit(String path) throws Exception {
    String good = token(VideoGrant.join("standup"), "alice");
    assertThat(get(path, good, false).statusCode()).isEqualTo(200);
    assertThat(get(path, good, false).body()).isEqualTo("success");
    assertThat(get(path, good, true).statusCode()).as("bearer header").isEqualTo(200);

    HttpResponse<String> none = get(path, null, false);
    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(none.body()).isEqualTo("no access token");

    String forged = good.substring(0, good.length() - 4) + "AAAA";
    HttpResponse<String> bad = get(path, forged, false);
    assertThat(bad.statusCode()).isEqualTo(401);
    assertThat(bad.body()).isEqualTo("invalid access token signature").doesNotContain(forged);

    VideoGrant adminOnly = VideoGrant.listRoomsOnly();
    HttpResponse<String> noJoin = get(path, token(adminOnly, "svc"), false);
    assertThat(noJoin.statusCode()).isEqualTo(401);
    assertThat(noJoin.body()).isEqualTo("the token does not grant joining a room");

    HttpResponse<String> noIdentity = get(path, token(VideoGrant.join("standup"), ""), false);
    assertThat(noIdentity.statusCode()).isEqualTo(401);
    assertThat(noIdentity.body()).isEqualTo("the token has no identity");
  }
}
