package eu.visio.media.sdp;

import java.util.List;
import java.util.Locale;

/**
 * A DTLS certificate fingerprint (RFC 8122 section 5), e.g. {@code sha-256 AB:CD:...}.
 *
 * @param algorithm hash function name, lower case ({@code sha-256})
 * @param value colon-separated upper-case hex bytes
 */
public record Fingerprint(String algorithm, String value) {

  /** Parses {@code "sha-256 AB:CD:..."}; throws on anything else. */
  public static Fingerprint parse(String text) throws SdpParseException {
    return parse(text, 0);
  }

  String format() {
    return algorithm + " " + value;
  }

  static Fingerprint parse(String text, int line) throws SdpParseException {
    List<String> t = Tokens.split(text.trim(), ' ');
    if (t.size() != 2 || !Tokens.isToken(t.get(0)) || !isHexPairs(t.get(1))) {
      throw line > 0
          ? SdpParseException.atLine(line, "bad fingerprint")
          : new SdpParseException("bad fingerprint");
    }
    return new Fingerprint(t.get(0).toLowerCase(Locale.ROOT), t.get(1).toUpperCase(Locale.ROOT));
  }

  private static boolean isHexPairs(String s) {
    if (s.length() < 2 || s.length() % 3 != 2) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = i % 3 == 2 ? c == ':' : (Character.digit(c, 16) >= 0 && c < 0x80);
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
