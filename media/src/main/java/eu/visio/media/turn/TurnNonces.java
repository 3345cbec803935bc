package eu.visio.media.turn;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Stateless NONCE values (RFC 8489 §9.2, RFC 8656 §7.2): {@code base64url(time || tag)} where time
 * is the issue time in Unix milliseconds (8 bytes) and tag the first 16 bytes of HMAC-SHA256 over
 * time and the client's IP address, under a key drawn at random when the server starts. The server
 * keeps no table: a nonce is valid if its tag verifies (not forged, not taken from another client
 * address) and it is younger than {@link #VALIDITY}. Anything else is stale (438) and the answer
 * carries a fresh one. Within its validity a nonce may be reused by its client, as RFC 8489 allows.
 * A server restart invalidates every nonce, which costs each client one 438 round trip.
 *
 * <p>Thread-safe; allocates a {@link Mac} per call (requests only, never per packet).
 */
final class TurnNonces {
  /** How long a nonce is accepted after it was issued. */
  static final Duration VALIDITY = Duration.ofMinutes(10);

  private static final int TIME = 8;
  private static final int TAG = 16;
  private static final long FUTURE_SKEW_MILLIS = 5_000;

  private final byte[] key = new byte[32];
  private final Clock clock;

  TurnNonces(Clock clock) {
    new SecureRandom().nextBytes(key);
    this.clock = clock;
  }

  /** A fresh nonce for a client at {@code client}. */
  String issue(InetAddress client) {
    byte[] raw = new byte[TIME + TAG];
    ByteBuffer.wrap(raw).putLong(clock.millis());
    System.arraycopy(tag(raw, client), 0, raw, TIME, TAG);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }

  /** Whether {@code nonce} was issued by this server to {@code client} and is still valid. */
  boolean isValid(String nonce, InetAddress client) {
    if (nonce == null || nonce.length() != 32) {
      return false;
    }
    byte[] raw;
    try {
      raw = Base64.getUrlDecoder().decode(nonce.getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      return false;
    }
    if (raw.length != TIME + TAG) {
      return false;
    }
    byte[] expected = tag(raw, client);
    if (!MessageDigest.isEqual(
        java.util.Arrays.copyOf(expected, TAG),
        java.util.Arrays.copyOfRange(raw, TIME, TIME + TAG))) {
      return false;
    }
    long age = clock.millis() - ByteBuffer.wrap(raw).getLong();
    return age >= -FUTURE_SKEW_MILLIS && age <= VALIDITY.toMillis();
  }

  private byte[] tag(byte[] raw, InetAddress client) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update(raw, 0, TIME);
      mac.update(client.getAddress());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }
}
