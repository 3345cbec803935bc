package eu.visio.media.ice;

import java.security.SecureRandom;

/**
 * Local ICE credentials: ice-ufrag and ice-pwd (RFC 8839 §5.4). Both use the ice-char set (ALPHA /
 * DIGIT / "+" / "/"); the ufrag has at least 4 characters and the password at least 22, i.e. at
 * least 24 and 128 bits of randomness as RFC 8445 §5.3 requires when generated here. {@link
 * #toString()} never shows the password.
 */
public record IceCredentials(String ufrag, String pwd) {
  public static final int MIN_UFRAG_LENGTH = 4;
  public static final int MIN_PWD_LENGTH = 22;
  public static final int MAX_LENGTH = 256;

  /** Lengths generated here: 8 ufrag characters (48 bits), 24 password characters (144 bits). */
  static final int GENERATED_UFRAG_LENGTH = 8;

  static final int GENERATED_PWD_LENGTH = 24;

  private static final char[] ICE_CHARS =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  public IceCredentials {
    if (!isIceChars(ufrag, MIN_UFRAG_LENGTH)) {
      throw new IllegalArgumentException("ice-ufrag must be 4 to 256 ice-chars");
    }
    if (!isIceChars(pwd, MIN_PWD_LENGTH)) {
      throw new IllegalArgumentException("ice-pwd must be 22 to 256 ice-chars");
    }
  }

  /** Fresh random credentials from a shared {@link SecureRandom}. */
  public static IceCredentials generate() {
    return generate(RANDOM);
  }

  public static IceCredentials generate(SecureRandom random) {
    return new IceCredentials(
        randomIceChars(random, GENERATED_UFRAG_LENGTH),
        randomIceChars(random, GENERATED_PWD_LENGTH));
  }

  private static String randomIceChars(SecureRandom random, int length) {
    char[] c = new char[length];
    for (int i = 0; i < length; i++) {
      c[i] = ICE_CHARS[random.nextInt(ICE_CHARS.length)]; // 64 symbols: 6 unbiased bits each
    }
    return new String(c);
  }

  /** Whether {@code s} is {@code minLength} to 256 characters from the ice-char set. */
  static boolean isIceChars(String s, int minLength) {
    if (s == null || s.length() < minLength || s.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  @Override
  public String toString() {
    return "IceCredentials[ufrag=" + ufrag + ", pwd=<redacted>]";
  }
}
