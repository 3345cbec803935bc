package eu.visio.meet.invite;

import java.util.Optional;

/**
 * Where invitations are sent from.
 *
 * @param host the SMTP server
 * @param port 587 (submission with STARTTLS) or 465 (TLS), 25 inside a trusted network
 * @param security how the connection is protected
 * @param username empty when the server needs no login
 * @param password never logged (toString hides it)
 * @param from the sender address, e.g. {@code "Visio <no-reply@visio.example>"}
 */
public record SmtpConfig(
    String host,
    int port,
    Security security,
    Optional<String> username,
    Optional<String> password,
    String from) {
  /** How the SMTP connection is protected. */
  public enum Security {
    /** Plain SMTP: only for a relay on the same host or a test. */
    NONE,
    /** STARTTLS, required (the connection fails rather than send in clear). */
    STARTTLS,
    /** TLS from the first byte (port 465). */
    TLS
  }

  public SmtpConfig {
    if (host == null || host.isBlank() || port < 1 || port > 65535 || from == null) {
      throw new IllegalArgumentException("SMTP host, port and sender are required");
    }
  }

  @Override
  public String toString() {
    return "SmtpConfig[" + host + ":" + port + " " + security + ", from " + from + "]";
  }
}
