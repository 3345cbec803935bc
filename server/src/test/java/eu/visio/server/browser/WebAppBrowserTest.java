package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The web app end to end, through its UI only: a user signs in on the home page and starts a
 * meeting; a guest opens the link, gives a name and waits in the lobby; the host admits them from
 * the meeting screen; each sees the other's camera playing, and the guest's chat message reaches
 * the host with an unread badge.
 */
@Tag("browser")
class WebAppBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * The width of a remote camera whose playback advances, or null: decoded frames, not just a video
   * element.
   */
  private static final String REMOTE_VIDEO_PLAYING =
      """
      const v = document.querySelector("[data-testid='tile'][data-local='false'] video");
      if (!v || v.videoWidth === 0) return null;
      const t0 = v.currentTime;
      await new Promise(r => setTimeout(r, 400));
      return v.currentTime > t0 ? v.videoWidth : null;
      """;

  /** Every resource the page fetched that came from another origin (none may). */
  private static final String FOREIGN_REQUESTS =
      """
      return performance.getEntriesByType('resource')
          .map(e => e.name)
          .filter(u => new URL(u).origin !== location.origin);
      """;

  @Test
  void aHostStartsAMeetingAdmitsAGuestAndTheyTalk() throws Exception {
    try (VisioServer server = VisioServer.start(TestServers.meetingConfig());
        AppUser host = new AppUser("host");
        AppUser guest = new AppUser("guest")) {
      String base = "http://127.0.0.1:" + server.httpPort();

      // The host signs in with the development form and starts an instant meeting.
      host.open(base + "/");
      host.type("dev-email", "ada@example.org");
      host.type("dev-name", "Ada Host");
      host.screenshot("1-home");
      host.click("dev-sign-in");
      host.awaitText("account-name", "Ada Host");
      host.click("start-meeting");
      host.await("preview-video");
      String link = host.url();
      assertThat(link).matches(base + "/[a-z]{3}-[a-z]{4}-[a-z]{3}");
      host.screenshot("2-prejoin");
      host.click("join-meeting");
      host.await("meeting");
      host.await("participant-grid");

      // The guest opens the link, gives a name, and waits at the door.
      guest.open(link);
      guest.type("guest-name", "Bea Guest");
      guest.click("join-meeting");
      guest.await("lobby-waiting");
      guest.screenshot("1-lobby");

      // The host sees the knock and admits; the guest is in.
      host.await("lobby-notice");
      host.screenshot("3-knock");
      host.click("lobby-admit");
      guest.await("meeting");

      // Each sees the other's camera playing.
      Object hostSees = host.browser.await(REMOTE_VIDEO_PLAYING, v -> v != null, WAIT);
      Object guestSees = guest.browser.await(REMOTE_VIDEO_PLAYING, v -> v != null, WAIT);
      assertThat(((Number) hostSees).intValue()).isPositive();
      assertThat(((Number) guestSees).intValue()).isPositive();

      // The guest writes in the chat; the host, chat closed, sees one unread, then the message.
      guest.click("toggle-chat");
      guest.type("chat-input", "Bonjour à tous");
      guest.click("chat-send");
      host.awaitText("chat-unread", "1");
      host.screenshot("4-unread");
      host.click("toggle-chat");
      host.awaitText("chat-messages", "Bonjour à tous");
      assertThat(host.browser.driver().findElements(AppUser.id("chat-unread"))).isEmpty();
      host.screenshot("5-chat");
      guest.screenshot("2-meeting");

      // Nothing was fetched from anywhere but this server.
      assertThat((List<?>) host.browser.run(FOREIGN_REQUESTS)).isEmpty();
      assertThat((List<?>) guest.browser.run(FOREIGN_REQUESTS)).isEmpty();
    }
  }
}
