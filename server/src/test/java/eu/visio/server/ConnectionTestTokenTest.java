package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenVerifier;
import eu.visio.signal.token.VideoGrant;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/v1/connection-test}: without a session, a token the signalling endpoint accepts
 * for a throwaway room of its own, allowed nothing but joining, short-lived; rate-limited per
 * address.
 */
class ConnectionTestTokenTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TokenVerifier VERIFIER =
      new TokenVerifier(ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)));

  @Test
  void aVisitorGetsAJoinOnlyTokenForARandomShortLivedRoom() throws Exception {
    try (VisioServer server = TestServers.withKeys()) {
      WhipHttp http = new WhipHttp(server);
      Instant before = Instant.now();
      JsonNode first = token(http);
      JsonNode second = token(http);

      AccessClaims claims = VERIFIER.verify(first.get("token").asText());
      VideoGrant grant = claims.video();
      assertThat(grant.roomJoin()).isTrue();
      assertThat(grant.room())
          .isEqualTo(first.get("room").asText())
          .matches("conntest_[a-z2-7]{16}");
      assertThat(grant.mayPublish()).isFalse();
      assertThat(grant.maySubscribe()).isFalse();
      assertThat(grant.mayPublishData()).isFalse();
      assertThat(grant.roomAdmin() || grant.roomCreate() || grant.roomList()).isFalse();
      assertThat(claims.identity()).isNotBlank();
      assertThat(Duration.between(before, claims.expires()))
          .isLessThanOrEqualTo(Duration.ofMinutes(2).plusSeconds(2));
      assertThat(first.get("expires_in").asInt()).isEqualTo(120);

      // Each test has its own room and identity: nobody meets anyone through it.
      AccessClaims other = VERIFIER.verify(second.get("token").asText());
      assertThat(other.video().room()).isNotEqualTo(grant.room());
      assertThat(other.identity()).isNotEqualTo(claims.identity());
    }
  }

  @Test
  void anAddressAskingTooOftenIsToldToWait() throws Exception {
    try (VisioServer server = TestServers.withKeys()) {
      WhipHttp http = new WhipHttp(server);
      int granted = 0;
      HttpResponse<String> r;
      do {
        r = post(http);
        if (r.statusCode() == 201) {
          granted++;
        }
      } while (r.statusCode() == 201 && granted < 50);
      assertThat(granted).isEqualTo(5);
      assertThat(r.statusCode()).isEqualTo(429);
      assertThat(r.headers().firstValue("Retry-After")).isPresent();
      assertThat(JSON.readTree(r.body()).get("code").asText()).isEqualTo("RATE_LIMITED");
    }
  }

  private static JsonNode token(WhipHttp http) throws Exception {
    HttpResponse<String> r = post(http);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    return JSON.readTree(r.body());
  }

  private static HttpResponse<String> post(WhipHttp http) {
    return http.send(
        "POST",
        "/api/v1/connection-test",
        null,
        BodyPublishers.noBody(),
        "Accept",
        "application/json");
  }
}
