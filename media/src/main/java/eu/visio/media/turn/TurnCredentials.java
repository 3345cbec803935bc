package eu.visio.media.turn;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-limited TURN credentials in the "TURN REST" form (draft-uberti-behave-turn-rest-00 §2.2),
 * which coturn and every browser-facing TURN deployment use: the username is {@code
 * expiry:identity} with {@code expiry} in Unix seconds, and the password is {@code
 * base64(HMAC-SHA1(secret, username))}. The server never stores a password: it recomputes it from
 * the USERNAME, then derives the long-term key (RFC 8489 §9.2.2) from it.
 *
 * <p>Thread-safe. Each call makes its own {@link Mac}: credentials are computed per request, never
 * per packet.
 */
public final class TurnCredentials {
  /** Longest identity accepted, so that the USERNAME stays far below RFC 8489's 513 bytes. */
  public static final int MAX_IDENTITY_LENGTH = 200;

  private final byte[] secret;
  private final Clock clock;

  /** One username/password pair, valid until {@code expires}. */
  public record Credential(String username, String password, Instant expires) {
    /** The password stays out of logs. */
    @Override
    public String toString() {
      return "Credential{" + username + ", expires " + expires + "}";
    }
  }

  public TurnCredentials(String sharedSecret, Clock clock) {
    if (sharedSecret.isEmpty()) {
      throw new IllegalArgumentException("empty TURN secret");
    }
    this.secret = sharedSecret.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  /**
   * A pair for {@code identity} valid for {@code ttl} from now. The identity names whose quota an
   * allocation counts against; it must be printable and at most {@link #MAX_IDENTITY_LENGTH} chars.
   */
  public Credential issue(String identity, Duration ttl) {
    if (identity.isEmpty() || identity.length() > MAX_IDENTITY_LENGTH) {
      throw new IllegalArgumentException("identity must be 1.." + MAX_IDENTITY_LENGTH + " chars");
    }
    if (identity.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("identity has control characters");
    }
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive: " + ttl);
    }
    Instant expires = clock.instant().plus(ttl);
    String username = expires.getEpochSecond() + ":" + identity;
    return new Credential(username, password(username), expires);
  }

  /** The password the server expects with {@code username}: base64 of its HMAC-SHA1. */
  public String password(String username) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      byte[] tag = mac.doFinal(username.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(tag);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  /** The expiry (Unix seconds) of a REST-form username, or -1 if it is not of that form. */
  public static long expiry(String username) {
    int colon = username.indexOf(':');
    if (colon < 1 || colon > 19 || colon == username.length() - 1) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < colon; i++) {
      char c = username.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
      if (v > Long.MAX_VALUE / 10) {
        return -1;
      }
    }
    return v;
  }

  /** The identity part of a REST-form username (after the first colon). */
  public static String identity(String username) {
    return username.substring(username.indexOf(':') + 1);
  }

  /** Whether {@code username} is of the REST form and has not expired at the clock's now. */
  public boolean isCurrent(String username) {
    long expiry = expiry(username);
    return expiry >= 0 && expiry > clock.instant().getEpochSecond();
  }
}
