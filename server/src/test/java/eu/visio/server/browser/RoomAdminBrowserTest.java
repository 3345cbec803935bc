package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import eu.visio.meet.invite.SmtpConfig;
import eu.visio.server.VisioServer;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A room's owner in the web app, through its UI, on a server that sends mail (GreenMail inside the
 * test): creates a permanent room, manages its members by address (an unknown address is refused, a
 * known one added then removed), changes its access level, invites two people by email from the
 * meeting (both mailboxes receive the link), deletes the room, and signs out.
 */
@Tag("browser")
class RoomAdminBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void anOwnerManagesARoomInvitesAndDeletesIt() throws Exception {
    GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    smtp.start();
    try (VisioServer server =
            VisioServer.start(
                HostControlsBrowserTest.config()
                    .withPublicUrl(URI.create("https://visio.example"))
                    .withSmtp(
                        new SmtpConfig(
                            "127.0.0.1",
                            smtp.getSmtp().getPort(),
                            SmtpConfig.Security.NONE,
                            Optional.empty(),
                            Optional.empty(),
                            "Visio <no-reply@visio.example>")));
        AppUser ada = new AppUser("admin-ada")) {
      String base = "http://127.0.0.1:" + server.httpPort();
      HttpClient http = HttpClient.newHttpClient();
      // Bob has signed in once: his address names an account.
      HttpResponse<String> bob =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/session/dev"))
                  .header("Content-Type", "application/json")
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"email\":\"bob@example.org\",\"name\":\"Bob Member\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(bob.statusCode()).as(bob.body()).isEqualTo(201);

      ada.open(base + "/");
      ada.type("dev-email", "ada@example.org");
      ada.type("dev-name", "Ada Owner");
      ada.click("dev-sign-in");
      ada.type("room-name", "Équipe projet");
      ada.click("room-create");
      ada.click("room-manage");
      ada.await("manage-dialog");
      awaitMember(ada, "ada@example.org", 1);

      // Someone who never signed in cannot be given a role; Bob can, then loses it.
      ada.type("member-email", "nobody@example.org");
      ada.click("member-add");
      ada.await("member-error");
      ada.type("member-email", "bob@example.org");
      new Select(ada.await("member-role")).selectByValue("administrator");
      ada.click("member-add");
      awaitMember(ada, "bob@example.org", 1);
      assertThat(ada.await("member-list").getText()).contains("Bob Member");
      ada.screenshot("1-members");
      ada.browser
          .driver()
          .findElement(
              By.cssSelector(
                  "[data-testid='member'][data-email='bob@example.org']"
                      + " [data-testid='member-remove']"))
          .click();
      awaitMember(ada, "bob@example.org", 0);

      // The access level, changed here, is the room's.
      String code =
          ada.browser
              .driver()
              .findElement(By.cssSelector("[data-testid='room-item']"))
              .getDomAttribute("data-code");
      int saves = Integer.parseInt(ada.await("settings-status").getDomAttribute("data-saves"));
      ada.click("access-restricted");
      new WebDriverWait(ada.browser.driver(), WAIT)
          .until(
              ExpectedConditions.attributeToBe(
                  AppUser.id("settings-status"), "data-saves", Integer.toString(saves + 1)));
      HttpResponse<String> room =
          http.send(
              HttpRequest.newBuilder(URI.create(base + "/api/v1/rooms/" + code)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(JSON.readTree(room.body()).get("access_level").asText()).isEqualTo("restricted");
      ada.click("manage-dialog-close");

      // From the meeting, invitations by email: both addresses receive the link.
      ada.open(base + "/" + code);
      ada.click("join-meeting");
      ada.await("participant-grid");
      ada.click("open-invite");
      ada.type("invite-emails", "carol@example.org, Dan@Example.net");
      ada.click("invite-send");
      ada.await("invite-result");
      ada.screenshot("2-invited");
      assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();
      assertThat(mailboxes(smtp)).containsExactlyInAnyOrder("carol@example.org", "dan@example.net");
      assertThat(text(smtp.getReceivedMessages()[0]))
          .as("the mail carries the meeting's link")
          .contains("https://visio.example/" + code);
      ada.click("invite-dialog-close");
      ada.click("leave");
      ada.await("left-title");

      // Deleted after a confirmation: gone from the list and from the server.
      ada.open(base + "/");
      ada.click("room-manage");
      ada.click("room-delete");
      ada.click("confirm");
      new WebDriverWait(ada.browser.driver(), WAIT)
          .until(ExpectedConditions.numberOfElementsToBe(AppUser.id("room-item"), 0));
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(base + "/api/v1/rooms/" + code)).build(),
                      HttpResponse.BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(404);

      // Signing out (no provider session here) comes back to the sign-in form.
      ada.click("sign-out");
      ada.await("dev-sign-in");
    } finally {
      smtp.stop();
    }
  }

  /** Waits until {@code email} is listed {@code count} times among the members shown. */
  private static void awaitMember(AppUser user, String email, int count) {
    new WebDriverWait(user.browser.driver(), WAIT)
        .until(
            ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("[data-testid='member'][data-email='" + email + "']"), count));
  }

  /** The addresses that received mail (recipients are in Bcc: the envelope says who got it). */
  private static List<String> mailboxes(GreenMail smtp) throws Exception {
    List<String> boxes = new ArrayList<>();
    for (GreenMailUser u : smtp.getUserManager().listUser()) {
      List<StoredMessage> got = smtp.getManagers().getImapHostManager().getInbox(u).getMessages();
      if (!got.isEmpty()) {
        boxes.add(u.getEmail());
      }
    }
    return boxes;
  }

  /** The decoded text of {@code part}'s parts that are text (the .ics event is a stream). */
  private static String text(Part part) throws Exception {
    Object content = part.getContent();
    if (content instanceof String text) {
      return text;
    }
    StringBuilder all = new StringBuilder();
    if (content instanceof Multipart parts) {
      for (int i = 0; i < parts.getCount(); i++) {
        all.append(text(parts.getBodyPart(i)));
      }
    }
    return all.toString();
  }
}
