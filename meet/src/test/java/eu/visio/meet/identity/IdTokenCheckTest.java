package eu.visio.meet.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The ID token rules one at a time, on tokens signed here with a key the check trusts. */
final class IdTokenCheckTest {
  private static final String ISSUER = "https://idp.example/realms/visio";
  private static final String CLIENT = "visio-meet";
  private static final String NONCE = "n-0S6_WzA2Mj";
  private static final RSAKey KEY = rsa("k1");
  private static final RSAKey OTHER_KEY = rsa("k1"); // same kid, different key: a forger's

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T10:00:00Z"));
  private final IdTokenCheck check =
      new IdTokenCheck(
          ISSUER,
          CLIENT,
          Set.of(JWSAlgorithm.RS256),
          new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())),
          clock);

  private static RSAKey rsa(String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private JWTClaimsSet.Builder valid() {
    Instant now = clock.instant();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .subject("alice")
        .audience(CLIENT)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(now.plusSeconds(300)))
        .claim("nonce", NONCE);
  }

  private static String signed(RSAKey key, JWTClaimsSet claims) throws Exception {
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private String token(UnaryOperator<JWTClaimsSet.Builder> change) throws Exception {
    return signed(KEY, change.apply(valid()).build());
  }

  private void refused(String token, SignInFailure expected) {
    assertThatThrownBy(() -> check.check(token, NONCE))
        .isInstanceOfSatisfying(
            SignInException.class, e -> assertThat(e.failure()).isEqualTo(expected));
  }

  @Test
  void acceptsAValidToken() throws Exception {
    assertThat(check.check(token(b -> b), NONCE).getSubject()).isEqualTo("alice");
  }

  @Test
  void refusesEachBrokenRule() throws Exception {
    refused(token(b -> b.issuer("https://evil.example")), SignInFailure.ID_TOKEN_WRONG_ISSUER);
    refused(token(b -> b.audience("someone-else")), SignInFailure.ID_TOKEN_WRONG_AUDIENCE);
    // Several audiences need an authorized party naming us.
    refused(
        token(b -> b.audience(List.of(CLIENT, "other"))), SignInFailure.ID_TOKEN_WRONG_AUDIENCE);
    refused(token(b -> b.claim("azp", "other")), SignInFailure.ID_TOKEN_WRONG_AUDIENCE);
    refused(token(b -> b.claim("nonce", "another")), SignInFailure.ID_TOKEN_NONCE_MISMATCH);
    refused(token(b -> b.claim("nonce", null)), SignInFailure.ID_TOKEN_NONCE_MISMATCH);
    refused(token(b -> b.claim("nonce", 42)), SignInFailure.ID_TOKEN_NONCE_MISMATCH);
    refused(token(b -> b.subject(null)), SignInFailure.ID_TOKEN_UNSUPPORTED);
    refused(token(b -> b.expirationTime(null)), SignInFailure.ID_TOKEN_EXPIRED);
    refused(token(b -> b.issueTime(null)), SignInFailure.ID_TOKEN_EXPIRED);
    Instant now = clock.instant();
    refused(
        token(b -> b.issueTime(Date.from(now.plus(Duration.ofMinutes(2))))),
        SignInFailure.ID_TOKEN_EXPIRED);
    refused(
        token(b -> b.notBeforeTime(Date.from(now.plus(Duration.ofMinutes(2))))),
        SignInFailure.ID_TOKEN_EXPIRED);
  }

  @Test
  void severalAudiencesWithUsAsAuthorizedPartyAreAccepted() throws Exception {
    String t = token(b -> b.audience(List.of(CLIENT, "other")).claim("azp", CLIENT));
    assertThat(check.check(t, NONCE).getAudience()).contains(CLIENT);
  }

  @Test
  void expiryAllowsTheClockSkewAndNoMore() throws Exception {
    String t = token(b -> b);
    clock.advance(Duration.ofMinutes(5).plus(IdTokenCheck.CLOCK_SKEW).minusSeconds(1));
    assertThat(check.check(t, NONCE).getSubject()).isEqualTo("alice");
    clock.advance(Duration.ofSeconds(1));
    refused(t, SignInFailure.ID_TOKEN_EXPIRED);
  }

  @Test
  void refusesASignatureByAnotherKey() throws Exception {
    refused(signed(OTHER_KEY, valid().build()), SignInFailure.ID_TOKEN_BAD_SIGNATURE);
  }

  @Test
  void refusesAnUnsignedToken() {
    refused(new PlainJWT(valid().build()).serialize(), SignInFailure.ID_TOKEN_UNSUPPORTED);
  }

  @Test
  void refusesHmacWithThePublicKeyAsSecret() throws Exception {
    // Algorithm confusion: a verifier that took "HS256" from the header and the RSA public key
    // as the HMAC secret would accept this forgery.
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(), valid().build());
    jwt.sign(new MACSigner(KEY.toPublicJWK().toRSAPublicKey().getEncoded()));
    refused(jwt.serialize(), SignInFailure.ID_TOKEN_UNSUPPORTED);
  }

  @Test
  void refusesGarbageAndOversizedTokens() {
    refused("not.a.jwt", SignInFailure.ID_TOKEN_UNSUPPORTED);
    refused("", SignInFailure.ID_TOKEN_UNSUPPORTED);
    refused("a".repeat(IdTokenCheck.MAX_TOKEN_CHARS + 1), SignInFailure.ID_TOKEN_UNSUPPORTED);
  }

  @Test
  void acceptsOnlyThePublicKeyAlgorithmsAProviderAdvertises() {
    assertThat(
            IdTokenCheck.acceptable(
                List.of(JWSAlgorithm.HS256, JWSAlgorithm.RS256, JWSAlgorithm.ES256)))
        .containsExactly(JWSAlgorithm.RS256, JWSAlgorithm.ES256);
    assertThat(IdTokenCheck.acceptable(List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512))).isEmpty();
    assertThat(IdTokenCheck.acceptable(List.of())).containsExactly(JWSAlgorithm.RS256);
    assertThat(IdTokenCheck.acceptable(null)).containsExactly(JWSAlgorithm.RS256);
  }

  @Test
  void cannotBeBuiltToTrustHmac() {
    assertThatThrownBy(
            () ->
                new IdTokenCheck(
                    ISSUER,
                    CLIENT,
                    Set.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256),
                    new ImmutableJWKSet<>(new JWKSet()),
                    clock))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @EnumSource(SignInFailure.class)
  void failureCodesAreStableLowercaseWords(SignInFailure failure) {
    assertThat(failure.code())
        .matches("[a-z_]+")
        .isEqualTo(failure.name().toLowerCase(java.util.Locale.ROOT));
  }
}
