package eu.visio.meet.identity;

/**
 * Where to send the browser after sign-in. Only a local path is accepted: an absolute URL, or a
 * protocol-relative {@code //host} or {@code /\host} one, would turn the sign-in into an open
 * redirect to a look-alike site.
 */
final class ReturnPath {
  static final String HOME = "/";
  static final int MAX_CHARS = 2048;

  private ReturnPath() {}

  /** The path itself when it is a safe local path, {@link #HOME} otherwise. */
  static String sanitize(String requested) {
    if (requested == null
        || requested.isEmpty()
        || requested.length() > MAX_CHARS
        || requested.charAt(0) != '/') {
      return HOME;
    }
    if (requested.length() > 1 && (requested.charAt(1) == '/' || requested.charAt(1) == '\\')) {
      return HOME;
    }
    for (int i = 0; i < requested.length(); i++) {
      char c = requested.charAt(i);
      // Browsers drop tabs and newlines in URLs and treat backslashes as slashes.
      if (c < 0x21 || c == 0x7f || c == '\\') {
        return HOME;
      }
    }
    return requested;
  }
}
