package eu.visio.signal.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the verifier accepts and refuses, and why; grants' defaults; arbitrary input. */
class TokenVerifierTest {
  static final String KEY = "devkey";
  static final String SECRET = "0123456789abcdef0123456789abcdef-secret";
  static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  final TokenVerifier verifier = new TokenVerifier(ApiKeys.of(Map.of(KEY, SECRET)), CLOCK);
  final TokenIssuer issuer = new TokenIssuer(KEY, SECRET, CLOCK);

  String valid() {
    return issuer.issue("bob", null, null, Map.of(), VideoGrant.join("r"), Duration.ofHours(1));
  }

  /**
   * A token minted at 2026-11-28T12:00:00Z for 6 h, header and payload annotated: it must verify to
   * exactly these fields as long as the format does not change.
   */
  @Test
  void annotatedFixture() throws Exception {
    String token =
        issuer.issue(
            "alice",
            "Alice",
            "m",
            Map.of("k", "v"),
            VideoGrant.join("standup"),
            Duration.ofHours(6));
    String[] parts = token.split("\\.");
    assertThat(decode(parts[0])).isEqualTo("{\"typ\":\"JWT\",\"alg\":\"HS256\"}");
    assertThat(decode(parts[1]))
        .contains("\"iss\":\"devkey\"")
        .contains("\"sub\":\"alice\"")
        .contains("\"nbf\":1795867200") // 2026-11-28T12:00:00Z
        .contains("\"exp\":1795888800") // six hours later
        .contains("\"video\":{\"roomJoin\":true,\"room\":\"standup\"}")
        .contains("\"attributes\":{\"k\":\"v\"}");
    AccessClaims c = verifier.verify(token);
    assertThat(c.identity()).isEqualTo("alice");
    assertThat(c.name()).isEqualTo("Alice");
    assertThat(c.metadata()).isEqualTo("m");
    assertThat(c.notBefore()).isEqualTo(NOW);
    assertThat(c.expires()).isEqualTo(NOW.plus(Duration.ofHours(6)));
    assertThat(c.video().room()).isEqualTo("standup");
  }

  private static String decode(String b64) {
    return new String(Base64.getUrlDecoder().decode(b64), StandardCharsets.UTF_8);
  }

  static String signed(JWSAlgorithm alg, String secret, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader(alg), claims);
    jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
    return jwt.serialize();
  }

  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .issuer(KEY)
        .subject("eve")
        .expirationTime(Date.from(NOW.plusSeconds(600)))
        .claim("video", Map.of("roomJoin", true, "room", "r"));
  }

  static Stream<Arguments> refused() throws Exception {
    String other = "another-secret-that-is-long-enough-to-sign";
    return Stream.of(
        Arguments.of("empty", "", "no access token"),
        Arguments.of("not a JWT", "hello", "malformed access token"),
        Arguments.of("three dots", "a.b.c", "malformed access token"),
        Arguments.of("too long", "a".repeat(20_000), "access token too long"),
        Arguments.of(
            "alg none", new PlainJWT(claims().build()).serialize(), "malformed access token"),
        Arguments.of(
            "HS512",
            signed(JWSAlgorithm.HS512, SECRET + SECRET, claims().build()),
            "access token algorithm must be HS256"),
        Arguments.of(
            "unknown key",
            signed(JWSAlgorithm.HS256, SECRET, claims().issuer("nobody").build()),
            "unknown API key"),
        Arguments.of(
            "wrong secret",
            signed(JWSAlgorithm.HS256, other, claims().build()),
            "invalid access token signature"),
        Arguments.of(
            "expired",
            signed(
                JWSAlgorithm.HS256,
                SECRET,
                claims().expirationTime(Date.from(NOW.minusSeconds(61))).build()),
            "access token expired"),
        Arguments.of(
            "not yet valid",
            signed(
                JWSAlgorithm.HS256,
                SECRET,
                claims().notBeforeTime(Date.from(NOW.plusSeconds(61))).build()),
            "access token not valid yet"),
        Arguments.of(
            "no expiry",
            signed(JWSAlgorithm.HS256, SECRET, claims().expirationTime(null).build()),
            "access token has no expiry"),
        Arguments.of(
            "grant of the wrong type",
            signed(
                JWSAlgorithm.HS256,
                SECRET,
                claims().claim("video", Map.of("canPublish", "yes")).build()),
            "grant canPublish is not a boolean"),
        Arguments.of(
            "video not an object",
            signed(JWSAlgorithm.HS256, SECRET, claims().claim("video", 3).build()),
            "access token claim of the wrong type"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedWithAReasonThatLeaksNothing(String what, String token, String reason) {
    assertThatThrownBy(() -> verifier.verify(token))
        .isInstanceOf(TokenException.class)
        .hasMessage(reason)
        .satisfies(
            e -> {
              assertThat(e.getMessage()).doesNotContain(SECRET);
              if (token.length() > 10) {
                assertThat(e.getMessage()).doesNotContain(token.substring(0, 10));
              }
            });
  }

  @Test
  void withinTheLeewayIsAccepted() throws Exception {
    String t =
        signed(
            JWSAlgorithm.HS256,
            SECRET,
            claims()
                .expirationTime(Date.from(NOW.minusSeconds(50)))
                .notBeforeTime(Date.from(NOW.plusSeconds(50)))
                .build());
    assertThat(verifier.verify(t).identity()).isEqualTo("eve");
  }

  /** Tokens of older SDKs carry the identity in jti; sub wins when both are there. */
  @Test
  void identityFallsBackToJti() throws Exception {
    String t = signed(JWSAlgorithm.HS256, SECRET, claims().subject(null).jwtID("old-sdk").build());
    assertThat(verifier.verify(t).identity()).isEqualTo("old-sdk");
    String both = signed(JWSAlgorithm.HS256, SECRET, claims().jwtID("x").build());
    assertThat(verifier.verify(both).identity()).isEqualTo("eve");
  }

  @Test
  void aReconnectionIgnoresExpiry() throws Exception {
    String t =
        signed(
            JWSAlgorithm.HS256,
            SECRET,
            claims().expirationTime(Date.from(NOW.minus(Duration.ofDays(1)))).build());
    assertThatThrownBy(() -> verifier.verify(t)).hasMessage("access token expired");
    assertThat(verifier.verify(t, false).identity()).isEqualTo("eve");
  }

  @Test
  void shortSecretsAreRefusedAndNeverPrinted() {
    assertThatThrownBy(() -> ApiKeys.of(Map.of("k", "short")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("short");
    assertThat(ApiKeys.of(Map.of(KEY, SECRET)).toString()).doesNotContain(SECRET);
  }

  /** LiveKit's defaults (protocol/auth/grants.go). */
  @Test
  void grantDefaults() {
    VideoGrant none = VideoGrant.join("r");
    assertThat(none.mayPublish()).isTrue();
    assertThat(none.maySubscribe()).isTrue();
    assertThat(none.mayPublishData()).as("follows publish").isTrue();
    assertThat(none.mayUpdateOwnMetadata()).isFalse();
    assertThat(none.maySubscribeMetrics()).isFalse();
    for (VideoGrant.Source s : VideoGrant.Source.values()) {
      assertThat(none.mayPublish(s)).isTrue();
    }
    VideoGrant noPublish =
        VideoGrant.join("r").withCanPublish(false).withSources(List.of("camera"));
    assertThat(noPublish.mayPublishData()).as("follows publish").isFalse();
    assertThat(noPublish.mayPublish(VideoGrant.Source.CAMERA)).as("publish denied").isFalse();
    VideoGrant cameraOnly =
        VideoGrant.join("r").withCanPublishData(true).withSources(List.of("CAMERA"));
    assertThat(cameraOnly.mayPublish(VideoGrant.Source.CAMERA)).isTrue();
    assertThat(cameraOnly.mayPublish(VideoGrant.Source.MICROPHONE)).isFalse();
  }

  @Property(tries = 1000)
  void arbitraryStringsOnlyEverFailAsTokenErrors(@ForAll @StringLength(max = 300) String s) {
    try {
      verifier.verify(s);
    } catch (TokenException expected) {
      // the only failure allowed
    }
  }

  @Property(tries = 1000)
  void mutatedTokensOnlyEverFailAsTokenErrors(
      @ForAll @IntRange(min = 0, max = 400) int at, @ForAll char c) {
    String t = valid();
    int i = at % t.length();
    String mutated = t.substring(0, i) + c + t.substring(i + 1);
    try {
      AccessClaims claims = verifier.verify(mutated);
      assertThat(mutated).isEqualTo(t); // only the unchanged token may pass
      assertThat(claims.identity()).isEqualTo("bob");
    } catch (TokenException expected) {
      // refused, as it must be
    }
  }
}
