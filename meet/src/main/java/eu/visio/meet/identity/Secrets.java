package eu.visio.meet.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Random tokens and their comparison, shared by sign-in state, sessions and CSRF tokens. */
final class Secrets {
  /** 256 bits: guessing one of even billions of live tokens stays hopeless. */
  static final int TOKEN_BYTES = 32;

  /** Length of {@link #newToken()} output: 32 bytes in unpadded base64url. */
  static final int TOKEN_CHARS = 43;

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Secrets() {}

  static String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    RANDOM.nextBytes(bytes);
    return B64.encodeToString(bytes);
  }

  /** True for strings shaped like {@link #newToken()} output; checked before any lookup. */
  static boolean looksLikeToken(String s) {
    if (s == null || s.length() != TOKEN_CHARS) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /**
   * The key a token is stored under: its SHA-256, so that map lookups (whose timing depends on the
   * key) never compare attacker input against a live token directly, and a heap dump holds no
   * usable session ids.
   */
  static String digest(String token) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
      return B64.encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
    }
  }

  /** Constant-time equality, for comparing a presented secret with the expected one. */
  static boolean same(String expected, String presented) {
    if (expected == null || presented == null) {
      return false;
    }
    return MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.UTF_8), presented.getBytes(StandardCharsets.UTF_8));
  }
}
