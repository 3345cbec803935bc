package eu.visio.meet.identity;

import java.util.Objects;

/**
 * A user signed in through OpenID Connect (or the development sign-in). The pair (issuer, subject)
 * is the account; email and name are what the provider said at sign-in and may change.
 *
 * @param email may be empty when the provider shares none
 * @param name may be empty; {@link #displayName()} then falls back to the email or subject
 */
public record Identity(String issuer, String subject, String email, String name)
    implements Principal {
  public Identity {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(subject, "subject");
    if (issuer.isEmpty() || subject.isEmpty()) {
      throw new IllegalArgumentException("issuer and subject must not be empty");
    }
    email = email == null ? "" : email;
    name = name == null ? "" : name;
  }

  /**
   * The subject alone identifies the account, as La Suite Meet's {@code User.sub}: one deployment
   * trusts one provider (the development sign-in prefixes its subjects so they cannot collide).
   */
  @Override
  public String id() {
    return subject;
  }

  @Override
  public String displayName() {
    if (!name.isBlank()) {
      return name;
    }
    return email.isBlank() ? subject : email;
  }

  @Override
  public boolean authenticated() {
    return true;
  }
}
