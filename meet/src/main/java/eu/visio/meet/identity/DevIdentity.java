package eu.visio.meet.identity;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in without any provider, for local development: whoever asks becomes who they say. Only
 * {@link #enable()} creates one, and the server calls it only when its configuration says so
 * explicitly. Identities it makes carry the issuer {@link #ISSUER} and a {@code dev:} subject, so
 * they can never be mistaken for, or collide with, accounts of a real provider.
 */
public final class DevIdentity {
  public static final String ISSUER = "urn:visio:dev";

  private static final Logger LOG = LoggerFactory.getLogger(DevIdentity.class);

  private DevIdentity() {}

  /** Turns development sign-in on; says so loudly, it must never be on in production. */
  public static DevIdentity enable() {
    LOG.warn(
        "Development sign-in is ON: anyone can sign in as anyone. Never enable it in production.");
    return new DevIdentity();
  }

  /** An identity for this email (its subject) and name. */
  public Identity signIn(String email, String name) {
    if (email == null || email.isBlank()) {
      throw new IllegalArgumentException("an email is needed for a development sign-in");
    }
    String normalized = email.strip().toLowerCase(Locale.ROOT);
    String display = name == null || name.isBlank() ? "" : Guest.cleanName(name);
    return new Identity(ISSUER, "dev:" + normalized, normalized, display);
  }
}
