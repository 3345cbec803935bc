package eu.visio.meet.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an ID token as OpenID Connect Core §3.1.3.7 asks: signature by one of the provider's keys
 * with a public-key algorithm, then issuer, audience (and {@code azp}), validity times and nonce.
 * Each failure maps to its own {@link SignInFailure}.
 *
 * <p>Only public-key algorithms are accepted, whatever the token's header says: {@code none} would
 * accept anything, and HMAC with a key taken from the provider's public JWKS would let anyone who
 * read that JWKS forge tokens (algorithm confusion).
 */
final class IdTokenCheck {
  /** Clock difference tolerated between us and the provider. */
  static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

  /** Longest token read; real ID tokens are a few kilobytes. */
  static final int MAX_TOKEN_CHARS = 32 * 1024;

  private final String issuer;
  private final String clientId;
  private final Set<JWSAlgorithm> algorithms;
  private final JWSVerificationKeySelector<SecurityContext> keys;
  private final Clock clock;
  private final DefaultJWSVerifierFactory verifiers = new DefaultJWSVerifierFactory();

  IdTokenCheck(
      String issuer,
      String clientId,
      Set<JWSAlgorithm> algorithms,
      JWKSource<SecurityContext> jwks,
      Clock clock) {
    for (JWSAlgorithm alg : algorithms) {
      if (!JWSAlgorithm.Family.SIGNATURE.contains(alg)) {
        throw new IllegalArgumentException("not a public-key signature algorithm: " + alg);
      }
    }
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("no algorithm accepted");
    }
    this.issuer = issuer;
    this.clientId = clientId;
    this.algorithms = Set.copyOf(algorithms);
    this.keys = new JWSVerificationKeySelector<>(this.algorithms, jwks);
    this.clock = clock;
  }

  /**
   * The algorithms to accept given those the provider advertises: its public-key ones. RS256 when
   * it advertises none, the default OpenID Connect Discovery names.
   */
  static Set<JWSAlgorithm> acceptable(List<JWSAlgorithm> advertised) {
    if (advertised == null || advertised.isEmpty()) {
      return Set.of(JWSAlgorithm.RS256);
    }
    Set<JWSAlgorithm> out = new LinkedHashSet<>();
    for (JWSAlgorithm alg : advertised) {
      if (JWSAlgorithm.Family.SIGNATURE.contains(alg)) {
        out.add(alg);
      }
    }
    return out;
  }

  /** Claims of a valid ID token issued for this sign-in; throws for any other. */
  JWTClaimsSet check(String idToken, String expectedNonce) throws SignInException {
    SignedJWT jwt = verifiedJwt(idToken, "ID token");
    JWTClaimsSet claims;
    try {
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new SignInException(SignInFailure.ID_TOKEN_UNSUPPORTED, "unreadable claims", e);
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new SignInException(
          SignInFailure.ID_TOKEN_WRONG_ISSUER, "issued by " + claims.getIssuer());
    }
    List<String> audience = claims.getAudience();
    if (!audience.contains(clientId)) {
      throw new SignInException(SignInFailure.ID_TOKEN_WRONG_AUDIENCE, "issued for " + audience);
    }
    Object azp = claims.getClaim("azp");
    if ((audience.size() > 1 || azp != null) && !clientId.equals(azp)) {
      throw new SignInException(
          SignInFailure.ID_TOKEN_WRONG_AUDIENCE, "authorized party is " + azp);
    }
    checkTimes(claims);
    Object nonce = claims.getClaim("nonce");
    if (!(nonce instanceof String s) || !Secrets.same(expectedNonce, s)) {
      throw new SignInException(SignInFailure.ID_TOKEN_NONCE_MISMATCH, "nonce does not match");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty()) {
      throw new SignInException(SignInFailure.ID_TOKEN_UNSUPPORTED, "no subject");
    }
    return claims;
  }

  /**
   * Parses a JWS and verifies its signature with the provider's keys (also used for signed userinfo
   * responses, which carry no nonce).
   */
  SignedJWT verifiedJwt(String token, String what) throws SignInException {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      throw new SignInException(SignInFailure.ID_TOKEN_UNSUPPORTED, what + " missing or too long");
    }
    JWT parsed;
    try {
      parsed = JWTParser.parse(token);
    } catch (ParseException e) {
      throw new SignInException(SignInFailure.ID_TOKEN_UNSUPPORTED, what + " is not a JWT", e);
    }
    if (!(parsed instanceof SignedJWT jwt)) {
      throw new SignInException(
          SignInFailure.ID_TOKEN_UNSUPPORTED, what + " is unsigned or encrypted");
    }
    JWSHeader header = jwt.getHeader();
    if (!algorithms.contains(header.getAlgorithm())) {
      throw new SignInException(
          SignInFailure.ID_TOKEN_UNSUPPORTED, what + " signed with " + header.getAlgorithm());
    }
    List<Key> candidates;
    try {
      candidates = keys.selectJWSKeys(header, null);
    } catch (KeySourceException e) {
      throw new SignInException(SignInFailure.KEYS_UNAVAILABLE, "could not fetch the JWKS", e);
    }
    for (Key key : candidates) {
      try {
        if (jwt.verify(verifiers.createJWSVerifier(header, key))) {
          return jwt;
        }
      } catch (JOSEException e) {
        // A key of the wrong type or size for this algorithm: try the next one.
      }
    }
    throw new SignInException(
        SignInFailure.ID_TOKEN_BAD_SIGNATURE,
        what + " signature does not verify with " + candidates.size() + " candidate key(s)");
  }

  private void checkTimes(JWTClaimsSet claims) throws SignInException {
    Instant now = clock.instant();
    Date exp = claims.getExpirationTime();
    Date iat = claims.getIssueTime();
    Date nbf = claims.getNotBeforeTime();
    if (exp == null || iat == null) {
      throw new SignInException(SignInFailure.ID_TOKEN_EXPIRED, "no exp or iat");
    }
    if (!now.isBefore(exp.toInstant().plus(CLOCK_SKEW))) {
      throw new SignInException(SignInFailure.ID_TOKEN_EXPIRED, "expired at " + exp.toInstant());
    }
    if (iat.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw new SignInException(
          SignInFailure.ID_TOKEN_EXPIRED, "issued in the future, " + iat.toInstant());
    }
    if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw new SignInException(
          SignInFailure.ID_TOKEN_EXPIRED, "not valid before " + nbf.toInstant());
    }
  }
}
