package eu.visio.meet.room;

import java.time.Instant;
import java.util.UUID;

/**
 * Someone who signed in with OpenID Connect. The identity is the pair (issuer, subject): OpenID
 * Connect guarantees a subject unique only within its issuer, and it is the one claim that never
 * changes (e-mail addresses do), so rooms and roles hang on {@link #id}, never on the e-mail.
 *
 * @param issuer the provider's {@code iss}, at most {@value #MAX_ISSUER} characters
 * @param subject the provider's {@code sub}, at most {@value #MAX_SUBJECT} (the OpenID Connect
 *     limit)
 * @param email as the provider last gave it, empty if it gave none
 * @param fullName as the provider last gave it, empty if it gave none
 */
public record User(
    UUID id, String issuer, String subject, String email, String fullName, Instant createdAt) {
  public static final int MAX_ISSUER = 255;
  public static final int MAX_SUBJECT = 255;

  /** The longest address SMTP carries (RFC 5321's path limit, minus the brackets). */
  public static final int MAX_EMAIL = 254;

  public static final int MAX_FULL_NAME = 500;

  public User {
    Room.require("id", id);
    checkIdentity(issuer, subject);
    checkProfile(email, fullName);
    Room.require("created_at", createdAt);
  }

  /** A {@link ValidationException} unless (issuer, subject) may identify a user. */
  public static void checkIdentity(String issuer, String subject) {
    Text.check("issuer", issuer, MAX_ISSUER, false);
    Text.check("subject", subject, MAX_SUBJECT, false);
  }

  /** A {@link ValidationException} unless the e-mail and full name may be stored. */
  public static void checkProfile(String email, String fullName) {
    Text.check("email", email, MAX_EMAIL, true);
    Text.check("full_name", fullName, MAX_FULL_NAME, true);
  }
}
