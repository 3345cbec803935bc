package eu.visio.media.stun;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;

/** Key derivation for STUN's credential mechanisms (RFC 8489 §9). */
public final class StunCredentials {
  private StunCredentials() {}

  /** Short-term key (RFC 8489 §9.1.1): the UTF-8 password. ICE uses this with the ice-pwd. */
  public static byte[] shortTermKey(String password) {
    return password.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Long-term key with MD5 (RFC 8489 §9.2.2, RFC 5389 §15.4), as TURN needs: {@code MD5(username
   * ":" realm ":" SASLprep(password))}. RFC 8489 replaces SASLprep by OpaqueString (RFC 8265); both
   * map the RFC 5769 §2.4 password the same way for the characters handled in {@link #prepare}.
   */
  public static byte[] longTermKey(String username, String realm, String password) {
    String input = username + ":" + realm + ":" + prepare(password);
    try {
      return MessageDigest.getInstance("MD5").digest(input.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  /**
   * The mapping and normalisation steps of SASLprep (RFC 4013 §2.1-§2.2): non-ASCII spaces become
   * U+0020, characters "commonly mapped to nothing" (RFC 3454 table B.1) are removed, then NFKC.
   * The prohibited-output and bidi checks are not applied: a bad password then simply fails
   * authentication rather than being rejected up front.
   */
  static String prepare(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      if (isMappedToNothing(cp)) {
        continue;
      }
      sb.appendCodePoint(isNonAsciiSpace(cp) ? ' ' : cp);
    }
    return Normalizer.normalize(sb, Normalizer.Form.NFKC);
  }

  /** RFC 3454 table B.1. */
  private static boolean isMappedToNothing(int cp) {
    return cp == 0x00AD
        || cp == 0x034F
        || cp == 0x1806
        || (cp >= 0x180B && cp <= 0x180D)
        || (cp >= 0x200B && cp <= 0x200D)
        || cp == 0x2060
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFEFF;
  }

  /** RFC 3454 table C.1.2. */
  private static boolean isNonAsciiSpace(int cp) {
    return cp == 0x00A0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200B)
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }
}
