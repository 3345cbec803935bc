package eu.visio.meet.identity;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The session cookie's name and attributes. {@code HttpOnly} (scripts never see the id), {@code
 * SameSite=Lax} (sent on top-level navigation, such as a link to a room, but not on cross-site
 * subrequests), {@code Path=/}, and {@code Secure} unless the server runs on loopback over plain
 * http for development. A secure cookie also gets the {@code __Host-} prefix, which browsers only
 * accept from https with {@code Path=/} and no {@code Domain}: a sibling subdomain cannot plant or
 * overwrite it.
 */
public final class SessionCookie {
  static final String BASE_NAME = "visio_session";

  private final boolean secure;

  public SessionCookie(boolean secure) {
    this.secure = secure;
  }

  /**
   * The policy for a server reached at {@code publicUrl}: secure unless it is http on a loopback
   * host. Plain http elsewhere still gets a secure cookie, which the browser will not send back:
   * sign-in then fails visibly instead of sending session ids in the clear.
   */
  public static SessionCookie forServer(URI publicUrl) {
    boolean plainLoopback =
        "http".equalsIgnoreCase(publicUrl.getScheme()) && isLoopback(publicUrl.getHost());
    return new SessionCookie(!plainLoopback);
  }

  public boolean secure() {
    return secure;
  }

  public String name() {
    return secure ? "__Host-" + BASE_NAME : BASE_NAME;
  }

  /** {@code Set-Cookie} value for a session id, living {@code maxAge}. */
  public String set(String sessionId, Duration maxAge) {
    return name() + "=" + sessionId + "; Max-Age=" + Math.max(0, maxAge.toSeconds()) + attributes();
  }

  /** {@code Set-Cookie} value deleting the cookie. */
  public String clear() {
    return name() + "=; Max-Age=0" + attributes();
  }

  /** The session id in a {@code Cookie} request header, if any. */
  public Optional<String> read(String cookieHeader) {
    if (cookieHeader == null) {
      return Optional.empty();
    }
    String name = name();
    for (String pair : cookieHeader.split(";", -1)) {
      String p = pair.strip();
      int eq = p.indexOf('=');
      if (eq == name.length() && p.startsWith(name)) {
        String value = p.substring(eq + 1).strip();
        // RFC 6265 §4.1.1: a cookie value may come in double quotes.
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  private String attributes() {
    return "; Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "");
  }

  /** Loopback by its literal form only: no DNS lookup for a name that could resolve elsewhere. */
  static boolean isLoopback(String host) {
    if (host == null) {
      return false;
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    String literal =
        host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    try {
      return InetAddress.ofLiteral(literal).isLoopbackAddress();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
