package eu.visio.meet.invite;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A meeting as an iCalendar object (RFC 5545) for an invitation's {@code .ics} attachment: one
 * VEVENT with the meeting's link as LOCATION and URL, published ({@code METHOD:PUBLISH}: an
 * announcement to add to one's calendar, not a request that expects replies).
 *
 * <p>Hand-written because it is twenty lines of a stable format; what matters is done to the
 * letter: CRLF line ends (§3.1), lines folded at 75 octets without splitting a UTF-8 character
 * (§3.1), text values escaped (§3.3.11), times in UTC (§3.3.5).
 *
 * @param uid globally unique and stable for the same meeting (so a second invitation updates the
 *     event instead of adding one)
 */
public record CalendarEvent(
    String uid, String title, URI link, Instant start, Duration duration, Instant stamp) {
  private static final DateTimeFormatter UTC =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  /** The calendar object, CRLF-terminated lines, ready to attach as {@code text/calendar}. */
  public String toIcs() {
    StringBuilder b = new StringBuilder();
    line(b, "BEGIN:VCALENDAR");
    line(b, "VERSION:2.0");
    line(b, "PRODID:-//Visio//Meeting invitation//EN");
    line(b, "METHOD:PUBLISH");
    line(b, "BEGIN:VEVENT");
    line(b, "UID:" + text(uid));
    line(b, "DTSTAMP:" + UTC.format(stamp));
    line(b, "DTSTART:" + UTC.format(start));
    line(b, "DTEND:" + UTC.format(start.plus(duration)));
    line(b, "SUMMARY:" + text(title));
    line(b, "LOCATION:" + text(link.toString()));
    line(b, "URL:" + link.toASCIIString());
    line(b, "DESCRIPTION:" + text("Join the meeting: " + link));
    line(b, "END:VEVENT");
    line(b, "END:VCALENDAR");
    return b.toString();
  }

  /** §3.3.11: backslash, semicolon, comma and newlines are escaped in TEXT values. */
  static String text(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '\\' -> b.append("\\\\");
        case ';' -> b.append("\\;");
        case ',' -> b.append("\\,");
        case '\n' -> b.append("\\n");
        case '\r' -> {} // a CR LF pair is one newline
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /**
   * Appends {@code content} folded (§3.1): no line longer than 75 octets, continuation lines
   * starting with one space, never inside a UTF-8 sequence.
   */
  static void line(StringBuilder out, String content) {
    int octets = 0;
    int limit = 75;
    for (int i = 0; i < content.length(); ) {
      int cp = content.codePointAt(i);
      int n = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (octets + n > limit) {
        out.append("\r\n ");
        octets = 1;
      }
      out.appendCodePoint(cp);
      octets += n;
      i += Character.charCount(cp);
    }
    out.append("\r\n");
  }
}
