package eu.visio.signal.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * Mints LiveKit access tokens (HS256, LiveKit's claim layout), for the meeting service and tests.
 */
public final class TokenIssuer {
  /** LiveKit's default validity. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(6);

  private final String apiKey;
  private final MACSigner signer;
  private final Clock clock;

  public TokenIssuer(String apiKey, String secret, Clock clock) {
    this(apiKey, checked(secret), clock);
  }

  /** With a secret {@link ApiKeys} already accepted. */
  TokenIssuer(String apiKey, byte[] secret, Clock clock) {
    this.apiKey = apiKey;
    try {
      this.signer = new MACSigner(secret);
    } catch (JOSEException e) {
      throw new IllegalArgumentException("unusable secret", e);
    }
    this.clock = clock;
  }

  private static byte[] checked(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < ApiKeys.MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("a secret of at least 32 bytes is required");
    }
    return bytes;
  }

  public TokenIssuer(String apiKey, String secret) {
    this(apiKey, secret, Clock.systemUTC());
  }

  /**
   * A token for {@code identity} with {@code grant}, valid for {@code ttl} from now.
   *
   * @param name display name, or null
   * @param metadata participant metadata, or null
   * @param attributes participant attributes (may be empty)
   */
  public String issue(
      String identity,
      String name,
      String metadata,
      Map<String, String> attributes,
      VideoGrant grant,
      Duration ttl) {
    Instant now = clock.instant();
    JWTClaimsSet.Builder b =
        new JWTClaimsSet.Builder()
            .issuer(apiKey)
            .subject(identity)
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .claim("video", grant.toClaim());
    if (name != null && !name.isEmpty()) {
      b.claim("name", name);
    }
    if (metadata != null && !metadata.isEmpty()) {
      b.claim("metadata", metadata);
    }
    if (!attributes.isEmpty()) {
      b.claim("attributes", attributes);
    }
    return sign(b);
  }

  /**
   * A token binding a request body, as LiveKit signs webhooks and Room service calls: no identity
   * or grant, its {@code sha256} claim the base64 SHA-256 of the body.
   */
  public String issueBodySignature(byte[] body, Duration ttl) {
    byte[] digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256").digest(body);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always there", e);
    }
    Instant now = clock.instant();
    return sign(
        new JWTClaimsSet.Builder()
            .issuer(apiKey)
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(ttl)))
            .claim("sha256", java.util.Base64.getEncoder().encodeToString(digest)));
  }

  /** An issuer for {@code apiKey} of {@code keys}, or null when that key is not configured. */
  public static TokenIssuer forKey(ApiKeys keys, String apiKey, Clock clock) {
    byte[] secret = keys.secret(apiKey);
    return secret == null ? null : new TokenIssuer(apiKey, secret, clock);
  }

  private String sign(JWTClaimsSet.Builder b) {
    // The header LiveKit's SDKs write: {"alg":"HS256","typ":"JWT"}.
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), b.build());
    try {
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException("HS256 signing failed", e);
    }
    return jwt.serialize();
  }
}
