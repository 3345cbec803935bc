package eu.visio.signal.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.livekit.server.AccessToken;
import io.livekit.server.CanPublish;
import io.livekit.server.CanPublishSources;
import io.livekit.server.CanUpdateOwnMetadata;
import io.livekit.server.RoomAdmin;
import io.livekit.server.RoomJoin;
import io.livekit.server.RoomName;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Tokens from LiveKit's own Java server SDK are accepted with the same meaning, and ours carry the
 * same claims under the same names as the SDK's.
 */
class TokenInteropTest {
  static final String KEY = "APIkey123";
  static final String SECRET = "a-secret-of-more-than-thirty-two-bytes";

  final TokenVerifier verifier = new TokenVerifier(ApiKeys.of(Map.of(KEY, SECRET)));

  static AccessToken livekitToken() {
    AccessToken t = new AccessToken(KEY, SECRET);
    t.setIdentity("alice");
    t.setName("Alice");
    t.setMetadata("{\"role\":\"host\"}");
    t.getAttributes().put("team", "blue");
    t.addGrants(
        new RoomJoin(true),
        new RoomName("standup"),
        new RoomAdmin(true),
        new CanPublish(true),
        new CanPublishSources(List.of("camera", "microphone")),
        new CanUpdateOwnMetadata(true));
    return t;
  }

  @Test
  void aTokenFromLiveKitsSdkVerifiesWithTheSameGrants() throws Exception {
    AccessClaims c = verifier.verify(livekitToken().toJwt());
    assertThat(c.apiKey()).isEqualTo(KEY);
    assertThat(c.identity()).isEqualTo("alice");
    assertThat(c.name()).isEqualTo("Alice");
    assertThat(c.metadata()).isEqualTo("{\"role\":\"host\"}");
    assertThat(c.attributes()).containsExactlyEntriesOf(Map.of("team", "blue"));
    VideoGrant g = c.video();
    assertThat(g.roomJoin()).isTrue();
    assertThat(g.roomAdmin()).isTrue();
    assertThat(g.room()).isEqualTo("standup");
    assertThat(g.mayPublish(VideoGrant.Source.CAMERA)).isTrue();
    assertThat(g.mayPublish(VideoGrant.Source.SCREEN_SHARE)).isFalse();
    assertThat(g.mayUpdateOwnMetadata()).isTrue();
    assertThat(g.maySubscribe()).as("absent: allowed").isTrue();
  }

  /** Ours and the SDK's, for the same participant and grants, carry identical claims. */
  @Test
  void ourTokensUseLiveKitsClaimLayout() throws Exception {
    VideoGrant grant =
        VideoGrant.join("standup")
            .withCanPublish(true)
            .withSources(List.of("camera", "microphone"))
            .withAdmin(true, true);
    String ours =
        new TokenIssuer(KEY, SECRET)
            .issue(
                "alice",
                "Alice",
                "{\"role\":\"host\"}",
                Map.of("team", "blue"),
                grant,
                Duration.ofHours(6));
    Map<String, Object> a = claims(ours);
    Map<String, Object> b = claims(livekitToken().toJwt());
    assertThat(a).isEqualTo(b);
    assertThat(verifier.verify(ours).video()).isEqualTo(grant);
  }

  /**
   * The claims minus the times and the token id, which differ between any two tokens, and an empty
   * SIP grant, which the SDK always writes and which means no SIP grant.
   */
  private static Map<String, Object> claims(String jwt) throws Exception {
    Map<String, Object> m = new HashMap<>(SignedJWT.parse(jwt).getJWTClaimsSet().toJSONObject());
    m.keySet().removeAll(List.of("iat", "nbf", "exp", "jti"));
    m.remove("sip", Map.of());
    return m;
  }

  /** livekit-server --dev's pair: a token LiveKit's SDK signs with plain "secret" verifies. */
  @Test
  void developmentKeysVerifyLiveKitsDevTokens() throws Exception {
    AccessToken t = new AccessToken("devkey", "secret");
    t.setIdentity("dev");
    t.addGrants(new RoomJoin(true), new RoomName("local"));
    AccessClaims claims = new TokenVerifier(ApiKeys.development()).verify(t.toJwt());
    assertThat(claims.identity()).isEqualTo("dev");
    assertThat(ApiKeys.development().isDevelopment()).isTrue();
    AccessToken wrong = new AccessToken("devkey", "secret!");
    wrong.setIdentity("dev");
    wrong.addGrants(new RoomJoin(true), new RoomName("local"));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new TokenVerifier(ApiKeys.development()).verify(wrong.toJwt()))
        .isInstanceOf(TokenException.class);
  }
}
