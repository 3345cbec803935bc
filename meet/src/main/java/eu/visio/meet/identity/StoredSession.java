package eu.visio.meet.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A session as a {@link SessionStore} keeps it: everything but the id itself, which only the
 * browser's cookie holds. The store knows the session by the id's SHA-256 ({@code idDigest}), so
 * whoever reads the store (a backup, a replica, a heap dump) still cannot present the cookie.
 *
 * @param idDigest SHA-256 of the session id, unpadded base64url (43 characters)
 * @param csrfToken the session's synchronizer token, kept as is: it must be compared with what a
 *     write presents, and it is worth nothing without the session cookie, which is not stored
 * @param idToken the ID token of an OpenID sign-in (for logout at the provider); null for others
 */
public record StoredSession(
    String idDigest,
    Principal principal,
    Instant created,
    Instant expires,
    String csrfToken,
    String idToken) {
  public StoredSession {
    Objects.requireNonNull(idDigest, "idDigest");
    Objects.requireNonNull(principal, "principal");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(expires, "expires");
    Objects.requireNonNull(csrfToken, "csrfToken");
    if (!expires.isAfter(created)) {
      throw new IllegalArgumentException("a session must expire after it starts");
    }
  }

  /**
   * Whether the session has ended by {@code now}: its expiry instant itself is already too late.
   */
  public boolean expiredAt(Instant now) {
    return !now.isBefore(expires);
  }

  /** Without the CSRF token and the ID token. */
  @Override
  public String toString() {
    return "StoredSession[principal="
        + principal
        + ", created="
        + created
        + ", expires="
        + expires
        + "]";
  }
}
