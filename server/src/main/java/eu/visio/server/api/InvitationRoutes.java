package eu.visio.server.api;

import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.Session;
import eu.visio.meet.invite.Invitations;
import eu.visio.meet.invite.Mailer;
import eu.visio.meet.room.Room;
import io.javalin.http.Context;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Invitations by email: a room's hosts send its link, and the meeting as an {@code .ics} event, to
 * people they name. Mail goes to addresses a user types, so this is the route a spammer would want:
 * hosts only (signed in, owning or administering the room), at most {@value
 * Invitations#MAX_RECIPIENTS} addresses a request, and a rate limit per host.
 */
final class InvitationRoutes {
  record InvitationRequest(
      List<String> emails, String startsAt, Integer durationMinutes, String message) {}

  static final int MAX_ADDRESS = 254; // RFC 5321 §4.5.3.1.3, less the path's angle brackets
  static final int MAX_MESSAGE = 1000;
  static final int MAX_MINUTES = 24 * 60;
  private static final Duration DEFAULT_DURATION = Duration.ofHours(1);
  private static final Logger LOG = LoggerFactory.getLogger(InvitationRoutes.class);

  private final Api api;
  private final eu.visio.meet.Meetings meetings;
  private final Optional<URI> publicUrl;
  private final Clock clock;

  /**
   * Ten requests at once (up to 200 people: a host inviting a department in batches), then one a
   * minute, the slowest refill {@link ClientRateLimit} expresses: a stolen or rogue host account
   * mails at most 20 strangers a minute, each mail naming the account that sent it.
   */
  private final ClientRateLimit limit;

  private final Optional<Invitations> invitations;

  InvitationRoutes(
      Api api,
      eu.visio.meet.Meetings meetings,
      Optional<Mailer> mailer,
      Optional<URI> publicUrl,
      Clock clock) {
    this.api = api;
    this.meetings = meetings;
    this.publicUrl = publicUrl;
    this.clock = clock;
    this.limit = new ClientRateLimit(clock, 10, 1, 100_000);
    // A link needs the public URL: without one, invitations are as unconfigured as without SMTP.
    this.invitations =
        publicUrl.isPresent()
            ? mailer.map(m -> new Invitations(m, limit, clock))
            : Optional.empty();
  }

  List<Route> routes() {
    return List.of(new Route("post", "/api/v1/rooms/{code}/invitations", this::invite));
  }

  private void invite(Context ctx) {
    Session s = api.writer(ctx);
    // 501, not 503: no mail server is a choice of this deployment, not a passing state to retry.
    Invitations sender =
        invitations.orElseThrow(
            () ->
                new ApiError(
                    501, "NOT_CONFIGURED", "invitations by email are not set up on this server"));
    eu.visio.meet.Meetings.Caller caller = api.caller(s);
    Room room = meetings.hosted(ctx.pathParam("code"), caller);
    InvitationRequest r = api.body(ctx, InvitationRequest.class);
    List<String> to = recipients(r.emails());
    Instant now = clock.instant();
    Instant start = startsAt(r.startsAt(), now);
    Duration duration = duration(r.durationMinutes());
    String message = message(r.message());
    String code = room.code().value();
    Invitations.Invitation invitation =
        new Invitations.Invitation(
            caller.displayName(),
            room.name().isBlank() ? code : room.name(),
            link(publicUrl.orElseThrow(), code),
            start,
            duration,
            language(ctx.header("Accept-Language")),
            to,
            message);
    String client = s.principal().id();
    try {
      sender.send(client, invitation);
    } catch (Invitations.InvitationException e) {
      switch (e.code()) {
        case "RATE_LIMITED" -> {
          ctx.header("Retry-After", Long.toString(Math.max(1, limit.retryAfterSeconds(client))));
          throw new ApiError(429, "RATE_LIMITED", "too many invitations; retry later");
        }
        case "INVALID" -> throw ApiError.invalid("emails: " + e.getMessage());
        default -> {
          // The mail server's words stay in the log: they may name internal hosts.
          LOG.warn("invitations for room {} not sent: {}", code, e.getMessage());
          throw new ApiError(502, "MAIL_FAILED", "the mail server did not take the invitations");
        }
      }
    }
    api.write(ctx, Map.of("sent", to.size()));
  }

  /**
   * The addresses to invite, trimmed and without duplicates (compared in lower case, as {@link
   * Invitations} sends them). Refused: no list, more than {@value Invitations#MAX_RECIPIENTS}
   * entries, an entry longer than {@value #MAX_ADDRESS}, or one holding a control character (a CR
   * or LF in an address is header injection). Whether each is an address is {@link Invitations}'s
   * to say.
   */
  static List<String> recipients(List<String> emails) {
    if (emails == null || emails.isEmpty() || emails.size() > Invitations.MAX_RECIPIENTS) {
      throw ApiError.invalid("emails: 1 to " + Invitations.MAX_RECIPIENTS + " addresses");
    }
    Set<String> distinct = new LinkedHashSet<>();
    for (String e : emails) {
      if (e == null || e.length() > MAX_ADDRESS) {
        throw ApiError.invalid("emails: addresses of at most " + MAX_ADDRESS + " characters");
      }
      if (e.chars().anyMatch(InvitationRoutes::control)) {
        throw ApiError.invalid("emails: control characters in an address");
      }
      distinct.add(e.strip().toLowerCase(Locale.ROOT));
    }
    return List.copyOf(distinct);
  }

  /**
   * The inviter's note: at most {@value #MAX_MESSAGE} characters, lines but no other control
   * characters (it goes in the mail's text body only, never in a header).
   */
  static String message(String message) {
    if (message == null) {
      return "";
    }
    if (message.length() > MAX_MESSAGE) {
      throw ApiError.invalid("message: at most " + MAX_MESSAGE + " characters");
    }
    if (message.chars().anyMatch(c -> c != '\n' && c != '\r' && c != '\t' && control(c))) {
      throw ApiError.invalid("message: control characters");
    }
    return message;
  }

  /** C0, DEL and C1 controls. */
  private static boolean control(int c) {
    return c < 0x20 || (c >= 0x7f && c < 0xa0);
  }

  /**
   * When the meeting starts: now by default; else an ISO-8601 time with its offset, at most a day
   * past (a meeting under way) and two years ahead (further is a typo in the year).
   */
  static Instant startsAt(String text, Instant now) {
    if (text == null) {
      return now;
    }
    Instant start;
    try {
      start = OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw ApiError.invalid("starts_at: an ISO-8601 time with offset, e.g. 2026-12-01T09:30:00Z");
    }
    if (start.isBefore(now.minus(Duration.ofDays(1)))
        || start.isAfter(now.plus(Duration.ofDays(2 * 366)))) {
      throw ApiError.invalid("starts_at: from a day ago to two years ahead");
    }
    return start;
  }

  static Duration duration(Integer minutes) {
    if (minutes == null) {
      return DEFAULT_DURATION;
    }
    if (minutes < 1 || minutes > MAX_MINUTES) {
      throw ApiError.invalid("duration_minutes: 1 to " + MAX_MINUTES);
    }
    return Duration.ofMinutes(minutes);
  }

  /** The meeting's page under the public URL, which may itself have a path. */
  static URI link(URI publicUrl, String code) {
    String base = publicUrl.toString();
    return URI.create((base.endsWith("/") ? base : base + "/") + code);
  }

  /** French when the inviter's browser prefers it, else English. */
  static String language(String acceptLanguage) {
    return acceptLanguage != null
            && acceptLanguage.strip().toLowerCase(Locale.ROOT).startsWith("fr")
        ? "fr"
        : "en";
  }
}
