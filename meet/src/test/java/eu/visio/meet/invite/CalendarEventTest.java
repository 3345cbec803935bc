package eu.visio.meet.invite;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CalendarEventTest {
  static final CalendarEvent EVENT =
      new CalendarEvent(
          "abc-defg-hij@visio.example",
          "Weekly, team; review",
          URI.create("https://visio.example/abc-defg-hij"),
          Instant.parse("2026-12-01T09:30:00Z"),
          Duration.ofHours(1),
          Instant.parse("2026-11-28T10:00:00Z"));

  @Test
  void aMeetingAsICalendar() {
    assertThat(EVENT.toIcs())
        .isEqualTo(
            String.join(
                "\r\n",
                "BEGIN:VCALENDAR",
                "VERSION:2.0",
                "PRODID:-//Visio//Meeting invitation//EN",
                "METHOD:PUBLISH",
                "BEGIN:VEVENT",
                "UID:abc-defg-hij@visio.example",
                "DTSTAMP:20261128T100000Z",
                "DTSTART:20261201T093000Z",
                "DTEND:20261201T103000Z",
                "SUMMARY:Weekly\\, team\\; review",
                "LOCATION:https://visio.example/abc-defg-hij",
                "URL:https://visio.example/abc-defg-hij",
                "DESCRIPTION:Join the meeting: https://visio.example/abc-defg-hij",
                "END:VEVENT",
                "END:VCALENDAR",
                ""));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiterString = "|",
      value = {
        "plain | plain",
        "a,b;c | a\\,b\\;c",
        "back\\slash | back\\\\slash",
      })
  void textIsEscaped(String in, String out) {
    assertThat(CalendarEvent.text(in)).isEqualTo(out);
    assertThat(CalendarEvent.text("two\r\nlines\nhere")).isEqualTo("two\\nlines\\nhere");
  }

  @Test
  void longLinesFoldAt75OctetsWithoutSplittingCharacters() {
    StringBuilder b = new StringBuilder();
    CalendarEvent.line(b, "SUMMARY:" + "é".repeat(60)); // 8 + 120 octets
    String[] lines = b.toString().split("\r\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0].getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(75);
    assertThat(lines[1]).startsWith(" ");
    assertThat(lines[0] + lines[1].substring(1)).isEqualTo("SUMMARY:" + "é".repeat(60));
  }

  /** Any title: every line within 75 octets, CRLF only, and unfolding gives the escaped value. */
  @Property(tries = 300)
  void anyTitleFoldsAndUnfolds(@ForAll @StringLength(max = 400) String title) {
    String ics =
        new CalendarEvent("u", title, EVENT.link(), EVENT.start(), EVENT.duration(), EVENT.stamp())
            .toIcs();
    assertThat(ics).endsWith("\r\n");
    String[] lines = ics.split("\r\n", -1);
    assertThat(Arrays.stream(lines).filter(l -> l.getBytes(StandardCharsets.UTF_8).length > 75))
        .isEmpty();
    assertThat(ics.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
    String unfolded = ics.replace("\r\n ", "");
    assertThat(unfolded).contains("\r\nSUMMARY:" + CalendarEvent.text(title) + "\r\n");
  }
}
