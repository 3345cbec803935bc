package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What hosts do in the web app, through its UI, in one meeting of three browsers (one setup, one
 * story): the host opens the room to everyone from the settings dialog, so a guest comes straight
 * in; mutes her (muted on both sides); sees raised hands in queue order and lowers them all;
 * narrows what participants publish to the microphone (her camera stops); lets everyone mute (she
 * then can, and mutes him); makes her co-host (she gets host controls); locks the meeting, so a
 * second guest waits and the co-host admits him from her lobby panel; removes him (he sees he was
 * removed); ends the meeting (she sees it ended).
 */
@Tag("browser")
class HostControlsBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** Raises the page's own hand through the API, as a raise-hand button does; the HTTP status. */
  private static final String RAISE_HAND =
      """
      const s = await (await fetch('/api/v1/session')).json();
      const r = await fetch('/api/v1/rooms' + location.pathname + '/hand', {
        method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token},
        body: JSON.stringify({raised: true}),
      });
      return r.status;
      """;

  @Test
  void aHostModeratesAMeetingFromTheBrowser() throws Exception {
    try (VisioServer server = VisioServer.start(config());
        AppUser host = new AppUser("hostctl-host");
        AppUser bea = new AppUser("hostctl-bea");
        AppUser cid = new AppUser("hostctl-cid")) {
      String base = "http://127.0.0.1:" + server.httpPort();

      // The host signs in, starts a meeting (signed-in only by default) and joins.
      host.open(base + "/");
      host.type("dev-email", "ada@example.org");
      host.type("dev-name", "Ada Host");
      host.click("dev-sign-in");
      host.click("start-meeting");
      host.await("preview-video");
      String link = host.url();
      host.click("join-meeting");
      host.await("participant-grid");

      // The invitation offers the link; this server sends no mail, so no email form.
      host.click("open-invite");
      assertThat(host.await("invite-link").getDomProperty("value")).isEqualTo(link);
      host.await("invite-no-email");
      assertThat(host.browser.driver().findElements(AppUser.id("invite-form"))).isEmpty();
      host.click("invite-dialog-close");

      // Public from the settings dialog: a guest now comes straight in, no lobby.
      host.click("open-settings");
      saved(host, () -> host.click("access-public"));
      host.screenshot("1-settings");
      host.click("settings-dialog-close");
      bea.open(link);
      bea.type("guest-name", "Bea Guest");
      bea.click("join-meeting");
      bea.await("participant-grid");
      assertThat(bea.browser.driver().findElements(AppUser.id("lobby-waiting"))).isEmpty();

      // The host mutes her from the participants panel: muted for him, and for her.
      host.click("toggle-people");
      bea.click("toggle-people");
      String beaRow = row(host, "Bea Guest");
      awaitAttribute(host, beaRow, "data-mic", "on");
      within(host, beaRow, "person-mute").click();
      awaitAttribute(host, beaRow, "data-mic", "muted");
      awaitAttribute(bea, beaRow, "data-mic", "muted");
      awaitAttribute(bea, "[data-testid='toggle-mic']", "aria-pressed", "false");
      host.screenshot("2-muted");

      // Hands in the order raised, numbered; the host lowers them all.
      assertThat(((Number) host.browser.run(RAISE_HAND)).intValue()).isEqualTo(204);
      assertThat(((Number) bea.browser.run(RAISE_HAND)).intValue()).isEqualTo(204);
      awaitAttribute(host, beaRow, "data-hand", "2");
      List<String> queue =
          host.await("hand-queue").findElements(By.cssSelector("li")).stream()
              .map(e -> e.getDomAttribute("data-identity"))
              .toList();
      assertThat(queue).containsExactly(identity(row(host, "Ada Host")), identity(beaRow));
      host.screenshot("3-hands");
      host.click("lower-all-hands");
      awaitAttribute(host, beaRow, "data-hand", "none");
      awaitGone(host, "[data-testid='hand-queue']");

      // Participants may publish their microphone only: her camera stops, for both.
      String beaVideo = "[data-testid='tile'][data-identity='" + identity(beaRow) + "'] video";
      host.browser.await(visible(beaVideo), v -> Boolean.TRUE.equals(v), WAIT);
      host.click("open-settings");
      for (String source : List.of("camera", "screen_share", "screen_share_audio")) {
        saved(host, () -> host.click("source-" + source));
      }
      host.click("settings-dialog-close");
      awaitAttribute(bea, "[data-testid='toggle-camera']", "aria-pressed", "false");
      host.browser.await(visible(beaVideo), v -> Boolean.FALSE.equals(v), WAIT);

      // A participant may mute others only when the room lets everyone mute (on by default).
      String adaRow = row(bea, "Ada Host");
      awaitAttribute(bea, adaRow, "data-mic", "on");
      setEveryoneCanMute(host, bea);
      assertThat(
              bea.browser
                  .driver()
                  .findElements(By.cssSelector(adaRow + " [data-testid='person-mute']")))
          .isEmpty();
      setEveryoneCanMute(host, bea);
      within(bea, adaRow, "person-mute").click();
      awaitAttribute(host, "[data-testid='toggle-mic']", "aria-pressed", "false");

      // Co-host: she gets the host controls (settings, mute all).
      within(host, beaRow, "person-menu").click();
      within(host, beaRow, "person-promote").click();
      awaitAttribute(host, beaRow, "data-role", "administrator");
      bea.await("open-settings");
      bea.await("mute-all");
      // Her menu now offers to take that role back, and no longer to give it.
      within(host, beaRow, "person-menu").click();
      within(host, beaRow, "person-demote");
      assertThat(
              host.browser
                  .driver()
                  .findElements(By.cssSelector(beaRow + " [data-testid='person-promote']")))
          .isEmpty();
      within(host, beaRow, "person-menu").click();

      // Locked: a new guest waits although the room is public; the co-host admits him.
      host.click("open-settings");
      saved(host, () -> host.click("setting-locked"));
      host.click("settings-dialog-close");
      cid.open(link);
      cid.type("guest-name", "Cid Guest");
      cid.click("join-meeting");
      cid.await("lobby-waiting");
      bea.await("lobby-requests");
      bea.screenshot("1-cohost-lobby");
      bea.click("lobby-admit");
      cid.await("participant-grid");

      // Removed, after a confirmation: he is told so.
      String cidRow = row(host, "Cid Guest");
      within(host, cidRow, "person-menu").click();
      within(host, cidRow, "person-remove").click();
      host.await("confirm-dialog");
      host.screenshot("4-confirm-remove");
      host.click("confirm");
      awaitAttribute(cid, "[data-testid='left-title']", "data-reason", "removed");
      cid.screenshot("1-removed");
      awaitGone(host, cidRow);

      // Ended for everyone, after a confirmation: she is told the host ended it.
      host.click("end-meeting");
      host.click("confirm");
      awaitAttribute(bea, "[data-testid='left-title']", "data-reason", "ended");
      awaitAttribute(host, "[data-testid='left-title']", "data-reason", "ended");
      bea.screenshot("2-ended");
    }
  }

  static ServerConfig config() {
    return TestServers.meetingConfig();
  }

  /** The CSS selector of {@code name}'s row in {@code viewer}'s open participants panel. */
  private static String row(AppUser viewer, String name) throws InterruptedException {
    Object id =
        viewer.browser.await(
            "return [...document.querySelectorAll(\"[data-testid='person']\")]"
                + ".find(e => e.textContent.includes('"
                + name
                + "'))?.dataset.identity ?? null;",
            v -> v != null,
            WAIT);
    return "[data-testid='person'][data-identity='" + id + "']";
  }

  private static String identity(String rowSelector) {
    int start = rowSelector.indexOf("data-identity='") + "data-identity='".length();
    return rowSelector.substring(start, rowSelector.indexOf('\'', start));
  }

  /** A script saying whether {@code css} matches a video with decoded frames. */
  private static String visible(String css) {
    return "const v = document.querySelector(\"" + css + "\"); return !!v && v.videoWidth > 0;";
  }

  private static WebElement within(AppUser user, String rowSelector, String testId) {
    return new WebDriverWait(user.browser.driver(), WAIT)
        .until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector(rowSelector + " [data-testid='" + testId + "']")));
  }

  private static void awaitAttribute(AppUser user, String css, String attribute, String value) {
    new WebDriverWait(user.browser.driver(), WAIT)
        .until(ExpectedConditions.attributeToBe(By.cssSelector(css), attribute, value));
  }

  private static void awaitGone(AppUser user, String css) {
    new WebDriverWait(user.browser.driver(), WAIT)
        .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(css), 0));
  }

  /**
   * The host flips "everyone may mute"; the participant reopens her panel, which reads the room's
   * settings when it opens, and waits until it has.
   */
  private static void setEveryoneCanMute(AppUser host, AppUser participant) {
    host.click("open-settings");
    saved(host, () -> host.click("setting-everyone-can-mute"));
    host.click("settings-dialog-close");
    participant.click("toggle-people");
    participant.click("toggle-people");
    awaitAttribute(participant, "[data-testid='people-list']", "data-settings", "loaded");
  }

  /** Does {@code change} in the open settings form and waits until the server has saved it. */
  private static void saved(AppUser user, Runnable change) {
    String status = "[data-testid='settings-status']";
    new WebDriverWait(user.browser.driver(), WAIT)
        .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(status)));
    int before =
        Integer.parseInt(
            user.browser
                .driver()
                .findElement(By.cssSelector(status))
                .getDomAttribute("data-saves"));
    change.run();
    awaitAttribute(user, status, "data-saves", Integer.toString(before + 1));
  }
}
