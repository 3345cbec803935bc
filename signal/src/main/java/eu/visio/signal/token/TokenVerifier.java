package eu.visio.signal.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Verifies LiveKit access tokens as LiveKit's server does ({@code protocol/auth/verifier.go}):
 * HS256 only, signed with the secret of the API key named by {@code iss}, within {@code nbf} and
 * {@code exp} give or take a minute of clock skew.
 *
 * <p>Only HS256 is accepted, whatever the header says: a token's algorithm is chosen by whoever
 * made it, so honouring {@code none} or a public-key algorithm would let anyone forge tokens (the
 * classic JWT algorithm confusion). Expiry is checked on a first connection; a reconnecting client
 * keeps a session its first token opened (LiveKit documents the same), so {@link #verify(String,
 * boolean)} can skip it. Never throws anything but {@link TokenException}.
 */
public final class TokenVerifier {
  /** Clock skew tolerated on {@code nbf} and {@code exp} (go-jose's default leeway). */
  public static final Duration LEEWAY = Duration.ofMinutes(1);

  /** Longest token accepted: far above what any grant needs, small enough to parse cheaply. */
  static final int MAX_TOKEN_CHARS = 16 * 1024;

  private final ApiKeys keys;
  private final Clock clock;

  public TokenVerifier(ApiKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  public TokenVerifier(ApiKeys keys) {
    this(keys, Clock.systemUTC());
  }

  /** Verifies a token, expiry included. */
  public AccessClaims verify(String token) throws TokenException {
    return verify(token, true);
  }

  /** Verifies a token; {@code checkExpiry} false for a reconnection of an existing session. */
  public AccessClaims verify(String token, boolean checkExpiry) throws TokenException {
    if (token == null || token.isEmpty()) {
      throw new TokenException("no access token");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenException("access token too long");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException | RuntimeException e) {
      throw new TokenException("malformed access token");
    }
    if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
      throw new TokenException("access token algorithm must be HS256");
    }
    byte[] secret = keys.secret(claims.getIssuer());
    if (secret == null) {
      throw new TokenException("unknown API key");
    }
    try {
      if (!jwt.verify(new MACVerifier(secret))) {
        throw new TokenException("invalid access token signature");
      }
    } catch (JOSEException | RuntimeException e) {
      throw new TokenException("invalid access token signature");
    }
    Instant now = clock.instant();
    Instant nbf = instant(claims.getNotBeforeTime());
    Instant exp = instant(claims.getExpirationTime());
    if (exp == null) {
      throw new TokenException("access token has no expiry");
    }
    if (nbf != null && now.plus(LEEWAY).isBefore(nbf)) {
      throw new TokenException("access token not valid yet");
    }
    if (checkExpiry && now.minus(LEEWAY).isAfter(exp)) {
      throw new TokenException("access token expired");
    }
    return claims(claims, nbf, exp);
  }

  private static AccessClaims claims(JWTClaimsSet c, Instant nbf, Instant exp)
      throws TokenException {
    try {
      Map<String, Object> video = c.getJSONObjectClaim("video");
      Map<String, Object> sip = c.getJSONObjectClaim("sip");
      Map<String, Object> roomConfig = c.getJSONObjectClaim("roomConfig");
      Map<String, Object> rawAttributes = c.getJSONObjectClaim("attributes");
      Map<String, String> attributes = new LinkedHashMap<>();
      if (rawAttributes != null) {
        for (Map.Entry<String, Object> e : rawAttributes.entrySet()) {
          if (!(e.getValue() instanceof String v)) {
            throw new TokenException("attribute " + e.getKey() + " is not a string");
          }
          attributes.put(e.getKey(), v);
        }
      }
      // LiveKit takes the identity from sub, else from jti (tokens of older SDKs).
      String identity = c.getSubject() != null ? c.getSubject() : c.getJWTID();
      return new AccessClaims(
          c.getIssuer(),
          identity,
          c.getStringClaim("name"),
          c.getStringClaim("kind"),
          c.getStringClaim("metadata"),
          attributes,
          video == null ? VideoGrant.fromClaim(Map.of()) : VideoGrant.fromClaim(video),
          sip != null && Boolean.TRUE.equals(sip.get("admin")),
          sip != null && Boolean.TRUE.equals(sip.get("call")),
          roomConfig,
          c.getStringClaim("sha256"),
          nbf,
          exp);
    } catch (ParseException e) {
      throw new TokenException("access token claim of the wrong type");
    }
  }

  private static Instant instant(Date d) {
    return d == null ? null : d.toInstant();
  }
}
