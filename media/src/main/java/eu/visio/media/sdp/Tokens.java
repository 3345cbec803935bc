package eu.visio.media.sdp;

import java.util.ArrayList;
import java.util.List;

/** Small lexical helpers shared by the attribute parsers; no regular expressions on purpose. */
final class Tokens {
  private Tokens() {}

  /** Splits on {@code sep}, dropping empty pieces (so runs of spaces are tolerated). */
  static List<String> split(String s, char sep) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == sep) {
        if (i > start) {
          out.add(s.substring(start, i));
        }
        start = i + 1;
      }
    }
    return out;
  }

  /** Splits on {@code sep} keeping empty pieces, so {@code "a;;b"} can be rejected by callers. */
  static List<String> splitKeepEmpty(String s, char sep) {
    List<String> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= s.length(); i++) {
      if (i == s.length() || s.charAt(i) == sep) {
        out.add(s.substring(start, i));
        start = i + 1;
      }
    }
    return out;
  }

  /** RFC 8866 section 9 {@code token}: printable ASCII minus a few separators. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c == 0x21
              || (c >= 0x23 && c <= 0x27)
              || c == 0x2A
              || c == 0x2B
              || c == 0x2D
              || c == 0x2E
              || (c >= 0x30 && c <= 0x39)
              || (c >= 0x41 && c <= 0x5A)
              || (c >= 0x5E && c <= 0x7E);
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** Non-empty, visible ASCII without spaces (ICE credentials, mids, candidate pieces). */
  static boolean isVisible(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7F) {
        return false;
      }
    }
    return true;
  }

  /** A decimal number in [min, max], or -1 when {@code s} is not one. */
  static long parseDecimal(String s, long min, long max) {
    if (s.isEmpty() || s.length() > 19) {
      return -1;
    }
    long v = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
      if (v > max) {
        return -1;
      }
    }
    return v < min ? -1 : v;
  }

  static boolean isDigits(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
