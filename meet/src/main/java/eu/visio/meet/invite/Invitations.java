package eu.visio.meet.invite;

import eu.visio.meet.abuse.ClientRateLimit;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Invites people to a meeting by email: the link and an {@code .ics} event, to at most {@value
 * #MAX_RECIPIENTS} addresses at once, within a per-client rate limit (invitations are the one
 * feature that sends mail to addresses a user types, so they are what a spammer would use).
 */
public final class Invitations {
  public static final int MAX_RECIPIENTS = 20;

  /** An address as a person types it: one @, no spaces or angle brackets, a dotted domain. */
  private static final Pattern ADDRESS =
      Pattern.compile(
          "[^@\\s<>\"(),;:]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

  /** Why an invitation was refused; {@code code} is stable for API clients. */
  public static final class InvitationException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String code;

    InvitationException(String code, String message, Throwable cause) {
      super(message, cause);
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * One invitation.
   *
   * @param inviter the inviting user's display name, shown in the mail
   * @param roomTitle the meeting's name (or its code)
   * @param link where to join
   * @param start when it starts (now, for an instant meeting)
   * @param language "fr" or "en"
   * @param message a few words from the inviter, put in the mail before the link (empty: none)
   */
  public record Invitation(
      String inviter,
      String roomTitle,
      URI link,
      Instant start,
      Duration duration,
      String language,
      List<String> recipients,
      String message) {
    public Invitation {
      message = message == null ? "" : message;
    }

    /** An invitation without a message. */
    public Invitation(
        String inviter,
        String roomTitle,
        URI link,
        Instant start,
        Duration duration,
        String language,
        List<String> recipients) {
      this(inviter, roomTitle, link, start, duration, language, recipients, "");
    }
  }

  private final Mailer mailer;
  private final ClientRateLimit limit;
  private final Clock clock;

  public Invitations(Mailer mailer, ClientRateLimit limit, Clock clock) {
    this.mailer = mailer;
    this.limit = limit;
    this.clock = clock;
  }

  /**
   * Sends {@code invitation} for {@code client} (a user id, or the requesting address).
   *
   * @throws InvitationException INVALID (addresses, count), RATE_LIMITED or MAIL_FAILED
   */
  public void send(String client, Invitation invitation) throws InvitationException {
    Set<String> to = new LinkedHashSet<>();
    for (String r : invitation.recipients()) {
      String a = r.strip();
      if (a.length() > 254 || !ADDRESS.matcher(a).matches()) {
        throw new InvitationException("INVALID", "not an email address: " + shorten(a), null);
      }
      to.add(a.toLowerCase(Locale.ROOT));
    }
    if (to.isEmpty() || to.size() > MAX_RECIPIENTS) {
      throw new InvitationException(
          "INVALID", "between 1 and " + MAX_RECIPIENTS + " recipients, got " + to.size(), null);
    }
    if (!limit.allow(client)) {
      throw new InvitationException(
          "RATE_LIMITED",
          "too many invitations; retry in " + limit.retryAfterSeconds(client) + " s",
          null);
    }
    boolean fr = "fr".equals(invitation.language());
    String inviter = oneLine(invitation.inviter());
    String title = oneLine(invitation.roomTitle());
    String subject =
        fr
            ? inviter + " vous invite à « " + title + " »"
            : inviter + " invites you to \"" + title + "\"";
    String note =
        invitation.message().isBlank()
            ? ""
            : invitation.message().strip().replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n\r\n";
    String body =
        note
            + (fr
                ? "Rejoindre la réunion : " + invitation.link() + "\r\n"
                : "Join the meeting: " + invitation.link() + "\r\n");
    CalendarEvent event =
        new CalendarEvent(
            invitation.link().getPath().replace("/", "") + "@" + invitation.link().getHost(),
            invitation.roomTitle(),
            invitation.link(),
            invitation.start(),
            invitation.duration(),
            clock.instant());
    try {
      mailer.send(List.copyOf(to), subject, body, event);
    } catch (Mailer.MailException e) {
      throw new InvitationException("MAIL_FAILED", e.getMessage(), e);
    }
  }

  /**
   * Text for the subject on one line: names come from the sign-in provider or the user, and a line
   * break in one would otherwise fold the header or start another.
   */
  private static String oneLine(String s) {
    return s.replaceAll("\\p{Cntrl}+", " ").strip();
  }

  private static String shorten(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}
