package eu.visio.meet.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * A signed-in (or guest) browser. Immutable; held by {@link Sessions}. {@link #toString()} leaves
 * out the id, the CSRF token and the ID token.
 */
public final class Session {
  private final String id;
  private final Principal principal;
  private final Instant created;
  private final Instant expires;
  private final String csrfToken;
  private final String idToken;

  Session(
      String id,
      Principal principal,
      Instant created,
      Instant expires,
      String csrfToken,
      String idToken) {
    this.id = id;
    this.principal = principal;
    this.created = created;
    this.expires = expires;
    this.csrfToken = csrfToken;
    this.idToken = idToken;
  }

  /** The cookie value. Secret: never log it. */
  public String id() {
    return id;
  }

  public Principal principal() {
    return principal;
  }

  public Instant created() {
    return created;
  }

  public Instant expires() {
    return expires;
  }

  /**
   * The token cookie-authenticated writes must echo in a header (synchronizer pattern). Handed to
   * the page by a read endpoint; a cross-site form or script cannot read it.
   */
  public String csrfToken() {
    return csrfToken;
  }

  /** The ID token of an OpenID sign-in, for logout at the provider; empty for others. */
  public Optional<String> idToken() {
    return Optional.ofNullable(idToken);
  }

  @Override
  public String toString() {
    return "Session[principal=" + principal + ", created=" + created + ", expires=" + expires + "]";
  }
}
