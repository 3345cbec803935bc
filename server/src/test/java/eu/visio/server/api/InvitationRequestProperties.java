package eu.visio.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.meet.invite.Invitations;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * What an invitation request may carry, whatever a client sends: the addresses that pass have no
 * control character (no CR or LF to inject a header with), fit in an SMTP path, are at most {@value
 * Invitations#MAX_RECIPIENTS} and distinct; an address with a control character never passes.
 */
class InvitationRequestProperties {
  @Provide
  Arbitrary<List<String>> addressLists() {
    Arbitrary<String> plausible =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .ofMinLength(1)
            .ofMaxLength(12)
            .map(s -> s + "@example.org");
    Arbitrary<String> anything =
        Arbitraries.strings().all().ofMaxLength(300); // control characters, surrogates, long
    Arbitrary<String> injected =
        plausible.map(s -> s + "\r\nBcc: eve@evil.example"); // the attack itself
    return Arbitraries.oneOf(plausible, anything, injected).list().ofMaxSize(25);
  }

  @Property(tries = 500)
  void acceptedAddressesAreBoundedAndSingleLine(@ForAll("addressLists") List<String> emails) {
    List<String> out;
    try {
      out = InvitationRoutes.recipients(emails);
    } catch (ApiError e) {
      assertThat(e.status).isEqualTo(400);
      assertThat(e.code).isEqualTo("INVALID");
      return;
    }
    assertThat(out).isNotEmpty().hasSizeLessThanOrEqualTo(Invitations.MAX_RECIPIENTS);
    assertThat(out).doesNotHaveDuplicates();
    for (String a : out) {
      assertThat(a.length()).isLessThanOrEqualTo(InvitationRoutes.MAX_ADDRESS);
      assertThat(a.chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
    }
  }

  @Property(tries = 300)
  void anAddressWithAControlCharacterIsRefused(
      @ForAll("addressLists") List<String> emails, @ForAll char control) {
    List<String> withOne = new ArrayList<>(emails);
    char c = (char) (control % 0x20); // a C0 control: CR, LF, NUL, TAB...
    withOne.add("bob" + c + "@example.org");
    assertThatThrownBy(() -> InvitationRoutes.recipients(withOne)).isInstanceOf(ApiError.class);
  }

  @Property(tries = 300)
  void aMessageIsBoundedWithoutControlsOtherThanLines(@ForAll String message) {
    String out;
    try {
      out = InvitationRoutes.message(message);
    } catch (ApiError e) {
      assertThat(e.status).isEqualTo(400);
      return;
    }
    assertThat(out.length()).isLessThanOrEqualTo(InvitationRoutes.MAX_MESSAGE);
    assertThat(out.chars())
        .noneMatch(c -> (c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f);
  }

  /** The table of the rest of the request: start, duration, link, language. */
  @Example
  void startsDurationsLinksAndLanguages() {
    Instant now = Instant.parse("2026-11-28T10:00:00Z");
    assertThat(InvitationRoutes.startsAt(null, now)).isEqualTo(now);
    assertThat(InvitationRoutes.startsAt("2026-12-01T09:30:00+01:00", now))
        .isEqualTo(Instant.parse("2026-12-01T08:30:00Z"));
    assertThat(InvitationRoutes.startsAt("2026-11-27T10:00:00Z", now))
        .as("a meeting under way")
        .isEqualTo(Instant.parse("2026-11-27T10:00:00Z"));
    for (String bad :
        List.of("2026-12-01T09:30:00", "tomorrow", "2026-11-27T09:59:59Z", "2029-01-01T00:00Z")) {
      assertThatThrownBy(() -> InvitationRoutes.startsAt(bad, now))
          .as(bad)
          .isInstanceOf(ApiError.class);
    }
    assertThat(InvitationRoutes.duration(null)).isEqualTo(Duration.ofHours(1));
    assertThat(InvitationRoutes.duration(1440)).isEqualTo(Duration.ofDays(1));
    assertThatThrownBy(() -> InvitationRoutes.duration(0)).isInstanceOf(ApiError.class);
    assertThatThrownBy(() -> InvitationRoutes.duration(1441)).isInstanceOf(ApiError.class);
    assertThat(InvitationRoutes.link(URI.create("https://v.example"), "abc-defg-hij"))
        .isEqualTo(URI.create("https://v.example/abc-defg-hij"));
    assertThat(InvitationRoutes.link(URI.create("https://v.example/meet/"), "abc-defg-hij"))
        .isEqualTo(URI.create("https://v.example/meet/abc-defg-hij"));
    assertThat(InvitationRoutes.language("fr-FR,fr;q=0.9")).isEqualTo("fr");
    assertThat(InvitationRoutes.language("en-GB,fr;q=0.5")).isEqualTo("en");
    assertThat(InvitationRoutes.language(null)).isEqualTo("en");
  }
}
