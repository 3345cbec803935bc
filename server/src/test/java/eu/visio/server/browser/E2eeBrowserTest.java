package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * An end-to-end encrypted meeting through the UI: the host starts one, the link carries the key in
 * its fragment and the copied invitation too; a second person with the link sees and is seen
 * (frames encrypted by one browser, forwarded by our SFU, decrypted by the other); a third without
 * the key, then with a wrong one, decodes no video and is told why. Neither key holder's browser
 * ever put the key on the wire (DevTools network log: URLs, headers, bodies, WebSocket frames), and
 * no page trips the CSP (the E2EE worker is a same-origin script).
 */
@Tag("browser")
class E2eeBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** The width of a remote camera whose playback advances, or null. */
  private static final String REMOTE_VIDEO_PLAYING =
      """
      const v = document.querySelector("[data-testid='tile'][data-local='false'] video");
      if (!v || v.videoWidth === 0) return null;
      const t0 = v.currentTime;
      await new Promise(r => setTimeout(r, 400));
      return v.currentTime > t0 ? v.videoWidth : null;
      """;

  /** Whether any remote video has decoded a frame (a size, or playback moving). */
  private static final String ANY_REMOTE_VIDEO_DECODED =
      """
      const vs = [...document.querySelectorAll("[data-testid='tile'][data-local='false'] video")];
      return vs.some(v => v.videoWidth > 0 || v.currentTime > 0);
      """;

  private static final String COPY_INVITATION =
      """
      let copied = null;
      navigator.clipboard.writeText = async text => { copied = text; };
      document.querySelector(".control-bar [data-testid='open-invite']").click();
      let button = null;
      for (let i = 0; i < 40 && button === null; i++) {
        await new Promise(r => setTimeout(r, 50));
        button = document.querySelector("[data-testid='invite-dialog'] [data-testid='copy-link']");
      }
      const shown = document.querySelector("[data-testid='invite-link']").value;
      button.click();
      for (let i = 0; i < 40 && copied === null; i++) await new Promise(r => setTimeout(r, 50));
      const emailForm = document.querySelector("[data-testid='invite-form']") !== null;
      document.querySelector("[data-testid='invite-dialog-close']")?.click();
      return copied === shown && !emailForm ? copied : 'shown ' + shown + ', copied ' + copied
          + (emailForm ? ', with an email form' : '');
      """;

  @Test
  void keyHoldersSeeEachOtherAndOthersDecodeNothing() throws Exception {
    try (VisioServer server = VisioServer.start(TestServers.meetingConfig());
        AppUser host = new AppUser("e2ee-host", NetworkLog::enable);
        AppUser guest = new AppUser("e2ee-guest", NetworkLog::enable);
        AppUser outsider = new AppUser("e2ee-outsider")) {
      String base = "http://127.0.0.1:" + server.httpPort();
      List<NetworkLog.Sent> hostSent = new ArrayList<>();
      List<NetworkLog.Sent> guestSent = new ArrayList<>();
      List<String> fragments = new ArrayList<>();

      // The host starts an encrypted meeting: the key is in the fragment only.
      signIn(host, base, "ada@example.org", "Ada Host");
      host.click("e2ee-option");
      host.click("start-meeting");
      host.await("preview-video");
      String link = host.url();
      assertThat(link).matches(base + "/[a-z]{3}-[a-z]{4}-[a-z]{3}#key=[A-Za-z0-9_-]{22}");
      String key = link.substring(link.indexOf("#key=") + 5);
      String plainLink = link.substring(0, link.indexOf('#'));
      host.click("join-meeting");
      host.await("meeting");
      host.click("e2ee-badge");
      assertThat(host.await("e2ee-badge").getDomAttribute("aria-expanded")).isEqualTo("true");
      assertThat(host.browser.run(COPY_INVITATION)).isEqualTo(link);

      // A second person with the whole link: each sees the other, decrypted.
      signIn(guest, base, "bob@example.org", "Bob Guest");
      guest.open(link);
      guest.click("join-meeting");
      guest.await("e2ee-badge");
      Object hostSees = host.browser.await(REMOTE_VIDEO_PLAYING, v -> v != null, WAIT);
      Object guestSees = guest.browser.await(REMOTE_VIDEO_PLAYING, v -> v != null, WAIT);
      assertThat(((Number) hostSees).intValue()).isPositive();
      assertThat(((Number) guestSees).intValue()).isPositive();
      host.screenshot("1-meeting");

      // Without the key: told why, and nothing decodes.
      signIn(outsider, base, "eve@example.org", "Eve Outsider");
      outsider.open(plainLink);
      outsider.click("join-meeting");
      outsider.await("meeting");
      assertThat(outsider.await("e2ee-problem").getDomAttribute("data-problem"))
          .isEqualTo("missingKey");
      assertNoRemoteVideoDecodes(outsider);
      outsider.screenshot("1-no-key");
      CspViolations.assertNone(outsider);

      // With a wrong key: livekit-client's worker fails to decrypt and drops every frame.
      outsider.open("about:blank");
      outsider.open(plainLink + "#key=" + "A".repeat(22));
      outsider.click("join-meeting");
      outsider.await("e2ee-badge");
      outsider.browser.await(
          "return document.querySelector(\"[data-testid='e2ee-problem']\")?.dataset.problem;",
          "undecryptable"::equals,
          WAIT);
      assertNoRemoteVideoDecodes(outsider);
      outsider.screenshot("2-wrong-key");
      CspViolations.assertNone(outsider);

      // The key holders are still fine, and never sent the key anywhere.
      host.browser.await(REMOTE_VIDEO_PLAYING, v -> v != null, WAIT);
      CspViolations.assertNone(host);
      CspViolations.assertNone(guest);
      hostSent.addAll(NetworkLog.read(host.browser, fragments));
      guestSent.addAll(NetworkLog.read(guest.browser, fragments));
      // The guest's browser did load the page with the key in its URL (the fragment it kept)...
      assertThat(fragments).contains("#key=" + key);
      // ...and the log did see the meeting's traffic: the API and the signalling WebSocket.
      for (List<NetworkLog.Sent> sent : List.of(hostSent, guestSent)) {
        // One signalling connection each: none joined in clear before the key was in place.
        assertThat(sent)
            .filteredOn(s -> s.kind().equals("websocket") && s.text().contains("/rtc"))
            .hasSize(1);
        assertThat(sent).anyMatch(s -> s.kind().equals("url") && s.text().contains("/join"));
        assertThat(sent).anyMatch(s -> s.kind().equals("frame"));
      }
      String rawKey = new String(Base64.getUrlDecoder().decode(key), StandardCharsets.ISO_8859_1);
      for (NetworkLog.Sent s : concat(hostSent, guestSent)) {
        assertThat(s.text()).as("%s sent", s.kind()).doesNotContain(key).doesNotContain(rawKey);
      }
    }
  }

  private static void signIn(AppUser user, String base, String email, String name) {
    user.open(base + "/");
    user.type("dev-email", email);
    user.type("dev-name", name);
    user.click("dev-sign-in");
    user.awaitText("account-name", name);
  }

  /**
   * Remote tiles are there, yet for three seconds none of their videos gets a frame (the key
   * holders' cameras are sending all along: they see each other).
   */
  private static void assertNoRemoteVideoDecodes(AppUser user) throws InterruptedException {
    user.browser.await(
        "return document.querySelectorAll(\"[data-testid='tile'][data-local='false']\").length;",
        n -> n instanceof Number c && c.intValue() >= 2,
        WAIT);
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < end) {
      assertThat(user.browser.run(ANY_REMOTE_VIDEO_DECODED)).isEqualTo(false);
      Thread.sleep(250);
    }
  }

  private static List<NetworkLog.Sent> concat(List<NetworkLog.Sent> a, List<NetworkLog.Sent> b) {
    List<NetworkLog.Sent> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
