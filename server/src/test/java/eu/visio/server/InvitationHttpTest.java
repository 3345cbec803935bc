package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import eu.visio.meet.invite.SmtpConfig;
import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Invitations through the API, end to end: a host asks the server, the server speaks SMTP to
 * GreenMail (a mail server inside the test), and the mail that arrives is read back: recipients,
 * subject, the meeting's link, and the {@code .ics} event parsed. Then every refusal, each with its
 * stable code and no mail sent.
 */
class InvitationHttpTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final URI PUBLIC_URL = URI.create("https://visio.example");
  static GreenMail smtp;
  static VisioServer server;

  @BeforeAll
  static void start() {
    smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    server = VisioServer.start(config(smtp.getSmtp().getPort(), true));
  }

  @AfterAll
  static void stop() {
    server.close();
    smtp.stop();
  }

  @BeforeEach
  void emptyMailboxes() throws Exception {
    smtp.purgeEmailFromAllMailboxes();
  }

  /** A development server, sending mail to {@code smtpPort} on loopback when {@code mail}. */
  static ServerConfig config(int smtpPort, boolean mail) {
    ServerConfig c = TestServers.meetingConfig().withPublicUrl(PUBLIC_URL);
    return mail
        ? c.withSmtp(
            new SmtpConfig(
                "127.0.0.1",
                smtpPort,
                SmtpConfig.Security.NONE,
                Optional.empty(),
                Optional.empty(),
                "Visio <no-reply@visio.example>"))
        : c;
  }

  /** One browser on one server: its session cookie (set by hand) and CSRF token. */
  static final class Browser {
    final HttpClient http = HttpClient.newHttpClient();
    final VisioServer at;
    String cookie = "";
    String csrf = "";

    Browser(VisioServer at) {
      this.at = at;
    }

    HttpResponse<String> post(String path, String body, Map<String, String> headers)
        throws Exception {
      HttpRequest.Builder b =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at.httpPort() + path))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body));
      headers.forEach(b::header);
      if (!cookie.isEmpty()) {
        b.header("Cookie", cookie);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A write with the session's CSRF token. */
    HttpResponse<String> write(String path, String body) throws Exception {
      return post(path, body, Map.of("X-CSRF-Token", csrf));
    }

    Browser signIn(String path, String body) throws Exception {
      HttpResponse<String> r = post(path, body, Map.of());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String c = r.headers().firstValue("Set-Cookie").orElseThrow();
      cookie = c.substring(0, c.indexOf(';'));
      csrf = JSON.readTree(r.body()).get("csrf_token").asText();
      return this;
    }

    Browser dev(String email, String name) throws Exception {
      return signIn(
          "/api/v1/session/dev", JSON.writeValueAsString(Map.of("email", email, "name", name)));
    }

    /** A new room this browser hosts; its code. */
    String room(String name) throws Exception {
      HttpResponse<String> r =
          write("/api/v1/rooms", JSON.writeValueAsString(Map.of("name", name)));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      return JSON.readTree(r.body()).get("code").asText();
    }
  }

  static String invitation(List<String> emails) throws Exception {
    return JSON.writeValueAsString(Map.of("emails", emails));
  }

  static String error(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body()).get("code").asText();
  }

  /**
   * Non-empty mailboxes by address. Recipients are in Bcc, so no header names them: where GreenMail
   * delivered (the SMTP envelope's RCPT TO) is what says who got the mail.
   */
  static Map<String, List<MimeMessage>> mailboxes() throws Exception {
    Map<String, List<MimeMessage>> boxes = new LinkedHashMap<>();
    for (GreenMailUser u : smtp.getUserManager().listUser()) {
      List<MimeMessage> got =
          smtp.getManagers().getImapHostManager().getInbox(u).getMessages().stream()
              .map(StoredMessage::getMimeMessage)
              .toList();
      if (!got.isEmpty()) {
        boxes.put(u.getEmail(), got);
      }
    }
    return boxes;
  }

  /** The unfolded content lines of an iCalendar object (RFC 5545 §3.1). */
  static List<String> icsLines(String ics) {
    assertThat(ics).endsWith("\r\n");
    return List.of(ics.replace("\r\n ", "").split("\r\n"));
  }

  /** Property name → value, for the properties that occur once. */
  static Map<String, String> properties(List<String> lines) {
    Map<String, String> p = new LinkedHashMap<>();
    for (String l : lines) {
      int colon = l.indexOf(':');
      p.putIfAbsent(l.substring(0, colon), l.substring(colon + 1));
    }
    return p;
  }

  @Test
  void aHostsInvitationArrivesWithTheLinkAndTheEvent() throws Exception {
    Browser ana = new Browser(server).dev("ana@example.org", "Ana Martin");
    String code = ana.room("Point hebdo");
    ObjectNode body = JSON.createObjectNode();
    body.putArray("emails").add("Bob@Example.org").add(" cat@example.net ").add("bob@example.org");
    body.put("starts_at", "2026-12-01T09:30:00+01:00");
    body.put("duration_minutes", 90);
    body.put("message", "Ordre du jour :\nle budget");
    HttpResponse<String> r = ana.write("/api/v1/rooms/" + code + "/invitations", body.toString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(JSON.readTree(r.body()).get("sent").asInt())
        .as("bob twice in different case is one recipient")
        .isEqualTo(2);

    assertThat(smtp.waitForIncomingEmail(5000, 2)).isTrue();
    assertThat(smtp.getReceivedMessages()).as("one delivery per recipient").hasSize(2);
    assertThat(mailboxes())
        .as("the envelope's recipients")
        .containsOnlyKeys("bob@example.org", "cat@example.net");
    assertThat(mailboxes().get("bob@example.org")).hasSize(1);
    MimeMessage m = mailboxes().get("cat@example.net").getFirst();
    assertThat(m.getRecipients(Message.RecipientType.TO)).as("invitees stay in Bcc").isNull();
    assertThat(m.getHeader("Bcc")).isNull();
    assertThat(m.getFrom()[0].toString()).isEqualTo("Visio <no-reply@visio.example>");
    assertThat(m.getSubject()).isEqualTo("Ana Martin invites you to \"Point hebdo\"");

    String link = "https://visio.example/" + code;
    MimeMultipart parts = (MimeMultipart) m.getContent();
    assertThat((String) parts.getBodyPart(0).getContent())
        .isEqualTo("Ordre du jour :\r\nle budget\r\n\r\nJoin the meeting: " + link + "\r\n");
    assertThat(parts.getBodyPart(1).getFileName()).isEqualTo("invite.ics");
    assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/calendar");
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    parts.getBodyPart(1).getDataHandler().writeTo(raw);
    List<String> lines = icsLines(raw.toString(StandardCharsets.UTF_8));
    assertThat(lines.getFirst()).isEqualTo("BEGIN:VCALENDAR");
    assertThat(lines.getLast()).isEqualTo("END:VCALENDAR");
    assertThat(lines).contains("BEGIN:VEVENT", "END:VEVENT");
    Map<String, String> p = properties(lines);
    assertThat(p)
        .containsEntry("METHOD", "PUBLISH")
        .containsEntry("DTSTART", "20261201T083000Z")
        .containsEntry("DTEND", "20261201T100000Z")
        .containsEntry("SUMMARY", "Point hebdo")
        .containsEntry("URL", link)
        .containsEntry("LOCATION", link)
        .containsEntry("UID", code + "@visio.example");
  }

  @Test
  void theMailIsInFrenchForAFrenchBrowser() throws Exception {
    Browser ana = new Browser(server).dev("ana.fr@example.org", "Ana");
    String code = ana.room("Réunion");
    HttpResponse<String> r =
        ana.post(
            "/api/v1/rooms/" + code + "/invitations",
            invitation(List.of("dan@example.org")),
            Map.of("X-CSRF-Token", ana.csrf, "Accept-Language", "fr-FR,fr;q=0.9,en;q=0.5"));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(smtp.waitForIncomingEmail(5000, 1)).isTrue();
    MimeMessage m = smtp.getReceivedMessages()[0];
    assertThat(m.getSubject()).isEqualTo("Ana vous invite à « Réunion »");
    assertThat((String) ((MimeMultipart) m.getContent()).getBodyPart(0).getContent())
        .isEqualTo("Rejoindre la réunion : https://visio.example/" + code + "\r\n");
  }

  /** Each refusal: its status and stable code, and not one mail sent. */
  @Test
  void refusalsSendNothing() throws Exception {
    Browser host = new Browser(server).dev("host@example.org", "Host");
    String code = host.room("Team");
    String path = "/api/v1/rooms/" + code + "/invitations";
    Browser other = new Browser(server).dev("other@example.org", "Other");
    Browser guest = new Browser(server).signIn("/api/v1/session/guest", "{\"name\":\"G\"}");
    String one = invitation(List.of("bob@example.org"));

    record Case(String what, int status, String code, HttpResponse<String> response) {}
    List<Case> cases =
        List.of(
            new Case("no session", 401, "UNAUTHENTICATED", new Browser(server).write(path, one)),
            new Case("no CSRF token", 403, "CSRF", host.post(path, one, Map.of())),
            new Case("a signed-in user not host", 403, "FORBIDDEN", other.write(path, one)),
            new Case("a guest", 403, "FORBIDDEN", guest.write(path, one)),
            new Case(
                "no such room",
                404,
                "NOT_FOUND",
                host.write("/api/v1/rooms/zzz-zzzz-zzz/invitations", one)),
            new Case(
                "not an address",
                400,
                "INVALID",
                host.write(path, invitation(List.of("not-an-address")))),
            new Case(
                "header injection",
                400,
                "INVALID",
                host.write(path, invitation(List.of("bob@example.org\r\nBcc: eve@evil.example")))),
            new Case(
                "a line feed at the end",
                400,
                "INVALID",
                host.write(path, invitation(List.of("bob@example.org\n")))),
            new Case(
                "longer than 254",
                400,
                "INVALID",
                host.write(path, invitation(List.of("a".repeat(243) + "@example.org")))),
            new Case(
                "21 addresses",
                400,
                "INVALID",
                host.write(
                    path,
                    invitation(
                        IntStream.range(0, 21).mapToObj(i -> "p" + i + "@example.org").toList()))),
            new Case("no address", 400, "INVALID", host.write(path, invitation(List.of()))),
            new Case("no emails field", 400, "INVALID", host.write(path, "{}")),
            new Case(
                "an unknown field",
                400,
                "INVALID",
                host.write(path, "{\"emails\":[\"bob@example.org\"],\"cc\":[\"x@y.org\"]}")),
            new Case(
                "a start without offset",
                400,
                "INVALID",
                host.write(
                    path,
                    "{\"emails\":[\"bob@example.org\"],\"starts_at\":\"2026-12-01T09:30:00\"}")),
            new Case(
                "a start years ahead",
                400,
                "INVALID",
                host.write(
                    path,
                    "{\"emails\":[\"bob@example.org\"],\"starts_at\":\"2999-01-01T00:00Z\"}")),
            new Case(
                "a zero duration",
                400,
                "INVALID",
                host.write(path, "{\"emails\":[\"bob@example.org\"],\"duration_minutes\":0}")),
            new Case(
                "a message with a control character",
                400,
                "INVALID",
                host.write(path, "{\"emails\":[\"bob@example.org\"],\"message\":\"hi\\u0007\"}")),
            new Case(
                "a message too long",
                400,
                "INVALID",
                host.write(
                    path,
                    JSON.writeValueAsString(
                        Map.of(
                            "emails", List.of("bob@example.org"), "message", "x".repeat(1001))))));
    for (Case c : cases) {
      assertThat(c.response().statusCode())
          .as(c.what() + ": " + c.response().body())
          .isEqualTo(c.status());
      assertThat(error(c.response())).as(c.what()).isEqualTo(c.code());
    }
    // Sending is synchronous: had any of these sent mail, it would be here already.
    assertThat(smtp.getReceivedMessages()).isEmpty();
    assertThat(host.write(path, one).statusCode()).as("and the host still may").isEqualTo(200);
  }

  @Test
  void aHostIsRateLimited() throws Exception {
    Browser host = new Browser(server).dev("busy@example.org", "Busy");
    String path = "/api/v1/rooms/" + host.room("Many") + "/invitations";
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> r = host.write(path, invitation(List.of("v" + i + "@example.org")));
      assertThat(r.statusCode()).as("request " + i + ": " + r.body()).isEqualTo(200);
    }
    HttpResponse<String> over = host.write(path, invitation(List.of("v10@example.org")));
    assertThat(over.statusCode()).isEqualTo(429);
    assertThat(error(over)).isEqualTo("RATE_LIMITED");
    assertThat(Long.parseLong(over.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 60L);
    assertThat(smtp.waitForIncomingEmail(5000, 10)).isTrue();
    assertThat(smtp.getReceivedMessages()).hasSize(10);

    Browser another = new Browser(server).dev("calm@example.org", "Calm");
    assertThat(
            another
                .write(
                    "/api/v1/rooms/" + another.room("Own") + "/invitations",
                    invitation(List.of("w@example.org")))
                .statusCode())
        .as("the limit is per host")
        .isEqualTo(200);
  }

  @Test
  void withoutSmtpInvitationsAreNotConfigured() throws Exception {
    try (VisioServer plain = VisioServer.start(config(0, false))) {
      Browser host = new Browser(plain).dev("ana@example.org", "Ana");
      HttpResponse<String> r =
          host.write(
              "/api/v1/rooms/" + host.room("Team") + "/invitations",
              invitation(List.of("bob@example.org")));
      assertThat(r.statusCode()).isEqualTo(501);
      assertThat(error(r)).isEqualTo("NOT_CONFIGURED");
    }
  }

  /** A mail server that turns every connection away (RFC 5321 §3.1: a 554 greeting). */
  @Test
  void aRefusingMailServerIsABadGateway() throws Exception {
    try (ServerSocket refusing = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread.ofVirtual()
          .start(
              () -> {
                while (!refusing.isClosed()) {
                  try (Socket s = refusing.accept();
                      OutputStream out = s.getOutputStream()) {
                    out.write("554 5.7.1 no service here\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                  } catch (java.io.IOException closed) {
                    return;
                  }
                }
              });
      try (VisioServer refused = VisioServer.start(config(refusing.getLocalPort(), true))) {
        Browser host = new Browser(refused).dev("ana@example.org", "Ana");
        HttpResponse<String> r =
            host.write(
                "/api/v1/rooms/" + host.room("Team") + "/invitations",
                invitation(List.of("bob@example.org")));
        assertThat(r.statusCode()).isEqualTo(502);
        JsonNode e = JSON.readTree(r.body());
        assertThat(e.get("code").asText()).isEqualTo("MAIL_FAILED");
        assertThat(e.get("message").asText())
            .as("the mail server's own words stay in the log")
            .doesNotContain("554")
            .doesNotContain("127.0.0.1");
      }
    }
  }
}
