package eu.visio.meet.invite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import eu.visio.meet.abuse.ClientRateLimit;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Invitations over real SMTP to GreenMail, a mail server running inside the test. */
class InvitationsTest {
  GreenMail smtp;
  Invitations invitations;
  final Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);

  @BeforeEach
  void start() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    Mailer mailer =
        new Mailer(
            new SmtpConfig(
                "127.0.0.1",
                smtp.getSmtp().getPort(),
                SmtpConfig.Security.NONE,
                Optional.empty(),
                Optional.empty(),
                "Visio <no-reply@visio.example>"));
    invitations = new Invitations(mailer, new ClientRateLimit(clock, 3, 1, 1000), clock);
  }

  @AfterEach
  void stop() {
    smtp.stop();
  }

  static Invitations.Invitation invitation(String language, List<String> to) {
    return new Invitations.Invitation(
        "Ana Martin",
        "Point hebdo",
        URI.create("https://visio.example/abc-defg-hij"),
        Instant.parse("2026-12-01T09:30:00Z"),
        Duration.ofHours(1),
        language,
        to);
  }

  @Test
  void anInvitationArrivesWithItsLinkAndCalendarEvent() throws Exception {
    invitations.send("user-1", invitation("fr", List.of("Bob@Example.org", "cat@example.org")));
    assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
    MimeMessage[] got = smtp.getReceivedMessages();
    assertThat(got).hasSize(2); // one delivery per Bcc recipient
    MimeMessage m = got[0];
    assertThat(m.getSubject()).isEqualTo("Ana Martin vous invite à « Point hebdo »");
    assertThat(m.getRecipients(Message.RecipientType.TO)).isNull();
    assertThat(m.getHeader("Bcc")).as("Bcc is not sent along").isNull();
    MimeMultipart parts = (MimeMultipart) m.getContent();
    assertThat((String) parts.getBodyPart(0).getContent())
        .contains("https://visio.example/abc-defg-hij");
    assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("invite.ics");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/calendar");
    ByteArrayOutputStream ics = new ByteArrayOutputStream();
    parts.getBodyPart(1).getDataHandler().writeTo(ics);
    assertThat(ics.toString(StandardCharsets.UTF_8))
        .contains("DTSTART:20261201T093000Z\r\n")
        .contains("SUMMARY:Point hebdo\r\n")
        .contains("UID:abc-defg-hij@visio.example\r\n");
  }

  @Test
  void badAddressesAndTooManyRecipientsAreRefusedBeforeAnythingIsSent() {
    assertThatThrownBy(() -> invitations.send("u", invitation("en", List.of("not an address"))))
        .hasFieldOrPropertyWithValue("code", "INVALID");
    assertThatThrownBy(
            () -> invitations.send("u", invitation("en", List.of("a@b.org", "x@y.org>, z@w.org"))))
        .hasFieldOrPropertyWithValue("code", "INVALID");
    List<String> many =
        java.util.stream.IntStream.range(0, 21).mapToObj(i -> "p" + i + "@example.org").toList();
    assertThatThrownBy(() -> invitations.send("u", invitation("en", many)))
        .hasFieldOrPropertyWithValue("code", "INVALID");
    assertThatThrownBy(() -> invitations.send("u", invitation("en", List.of())))
        .hasFieldOrPropertyWithValue("code", "INVALID");
    assertThat(smtp.getReceivedMessages()).isEmpty();
  }

  @Test
  void aClientIsRateLimited() throws Exception {
    for (int i = 0; i < 3; i++) {
      invitations.send("spammer", invitation("en", List.of("v" + i + "@example.org")));
    }
    assertThatThrownBy(
            () -> invitations.send("spammer", invitation("en", List.of("v@example.org"))))
        .hasFieldOrPropertyWithValue("code", "RATE_LIMITED");
    invitations.send("someone-else", invitation("en", List.of("w@example.org")));
    assertThat(smtp.waitForIncomingEmail(5000, 4)).isTrue();
  }

  @Test
  void anUnreachableServerIsAClearFailure() {
    Invitations offline =
        new Invitations(
            new Mailer(
                new SmtpConfig(
                    "127.0.0.1",
                    1,
                    SmtpConfig.Security.NONE,
                    Optional.empty(),
                    Optional.empty(),
                    "no-reply@visio.example")),
            new ClientRateLimit(clock, 3, 1, 10),
            clock);
    assertThatThrownBy(() -> offline.send("u", invitation("en", List.of("a@example.org"))))
        .hasFieldOrPropertyWithValue("code", "MAIL_FAILED");
  }
}
