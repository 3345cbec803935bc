package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The meeting screen as Meet users expect it, in one meeting shared by every test: a signed-in host
 * and an admitted guest use the web app in Chromium; a third participant ("cid", camera and
 * microphone) joins through the LiveKit harness page. Each test leaves the meeting as it found it.
 */
@Tag("browser")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MeetingScreenBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** The tiles on the host's grid page: identity, or "local" for the host's own. */
  private static final String GRID_TILES =
      """
      const grid = document.querySelector("[data-testid='participant-grid']");
      if (!grid) return null;
      return [...grid.querySelectorAll("[data-testid='tile']")]
          .map(t => t.dataset.local === 'true' ? 'local' : t.dataset.identity).sort();
      """;

  /** The spotlight's tile key ("identity/source"), or null when the grid shows. */
  private static final String SPOTLIGHT =
      """
      const s = document.querySelector("[data-testid='spotlight']");
      return s ? s.dataset.key : null;
      """;

  private VisioServer server;
  private AppUser host;
  private AppUser guest;
  private LiveKitPage cid;
  private String guestIdentity;

  @BeforeAll
  void meet() throws Exception {
    server = VisioServer.start(TestServers.meetingConfig());
    String base = "http://127.0.0.1:" + server.httpPort();
    host = new AppUser("screen-host");
    guest = new AppUser("screen-guest");
    host.open(base + "/");
    host.type("dev-email", "ada@example.org");
    host.type("dev-name", "Ada Host");
    host.click("dev-sign-in");
    host.awaitText("account-name", "Ada Host");
    host.click("start-meeting");
    host.await("preview-video");
    String link = host.url();
    host.click("join-meeting");
    host.await("participant-grid");

    guest.open(link);
    guest.type("guest-name", "Bea Guest");
    guest.click("join-meeting");
    host.click("lobby-admit");
    guest.await("participant-grid");
    guestIdentity =
        guest.await("toggle-mic") != null
            ? (String)
                guest.browser.await(
                    "const t = document.querySelector(\"[data-testid='tile'][data-local='true']\");"
                        + " return t ? t.dataset.identity : null;",
                    v -> v != null,
                    WAIT)
            : null;

    // The third participant joins the meeting's LiveKit room directly, with its own token.
    String room = server.rooms().rooms().getFirst().getName();
    cid = new LiveKitPage(server.httpPort(), "cid");
    cid.connect(
        server.httpPort(),
        LiveKitBrowserTest.token("cid", room),
        "{camera: true, microphone: true, width: 320, height: 180}");
    // Quiet: nobody remote speaks unless a test says so, so the grid's order holds still (who
    // speaks is promoted to page 1; StageRulesBrowserTest covers that rule).
    cid.muteTrack("audio", true);
    host.browser.await(GRID_TILES, v -> ((List<?>) v).size() == 3, WAIT);
  }

  @AfterAll
  void leave() throws Exception {
    try (var s = server;
        var h = host;
        var g = guest;
        var c = cid) {
      // closes all four
    }
  }

  private Object onTile(AppUser user, String identity, String script) {
    return user.browser.run(
        "const t = document.querySelector(\"[data-testid='tile'][data-identity='"
            + identity
            + "'][data-source='camera']\"); if (!t) return null; "
            + script);
  }

  private void awaitOnTile(AppUser user, String identity, String script, Object expected)
      throws InterruptedException {
    user.browser.await(
        "const t = document.querySelector(\"[data-testid='tile'][data-identity='"
            + identity
            + "'][data-source='camera']\"); if (!t) return null; "
            + script,
        expected::equals,
        WAIT);
  }

  private static void press(AppUser user, CharSequence... keys) {
    Actions a = new Actions(user.browser.driver());
    for (int i = 0; i < keys.length - 1; i++) {
      a = a.keyDown(keys[i]);
    }
    a = a.sendKeys(keys[keys.length - 1]);
    for (int i = keys.length - 2; i >= 0; i--) {
      a = a.keyUp(keys[i]);
    }
    a.perform();
  }

  @Test
  void shortcutsToggleMicrophoneChatAndHandAndSpaceTalksButNotWhileTyping() throws Exception {
    String pressed = "return document.querySelector(\"[data-testid='toggle-mic']\").ariaPressed;";
    assertThat(guest.browser.run(pressed)).isEqualTo("true");

    press(guest, Keys.CONTROL, "d");
    guest.browser.await(pressed, "false"::equals, WAIT);
    // The host sees the guest's microphone off.
    awaitOnTile(
        host, guestIdentity, "return !!t.querySelector(\"[data-testid='tile-muted']\");", true);

    // In the chat field, Ctrl+D belongs to the field: the microphone stays off.
    guest.click("toggle-chat");
    guest.type("chat-input", "hello");
    press(guest, Keys.CONTROL, "d");
    assertThat(guest.browser.run(pressed)).isEqualTo("false");
    guest.click("toggle-chat");

    press(guest, Keys.CONTROL, "d");
    guest.browser.await(pressed, "true"::equals, WAIT);
    awaitOnTile(
        host, guestIdentity, "return !!t.querySelector(\"[data-testid='tile-muted']\");", false);

    // Muted, Space held talks; released, the microphone goes off again.
    press(guest, Keys.CONTROL, "d");
    guest.browser.await(pressed, "false"::equals, WAIT);
    guest.browser.run("document.activeElement.blur(); return 0;");
    new Actions(guest.browser.driver()).keyDown(Keys.SPACE).perform();
    guest.browser.await(pressed, "true"::equals, WAIT);
    new Actions(guest.browser.driver()).keyUp(Keys.SPACE).perform();
    guest.browser.await(pressed, "false"::equals, WAIT);
    press(guest, Keys.CONTROL, "d");
    guest.browser.await(pressed, "true"::equals, WAIT);

    // Ctrl+Alt+C opens and closes the chat; Ctrl+Alt+H raises and lowers one's hand.
    press(guest, Keys.CONTROL, Keys.ALT, "c");
    guest.await("chat-input");
    press(guest, Keys.CONTROL, Keys.ALT, "c");
    guest.browser.await(
        "return document.querySelector(\"[data-testid='chat-input']\") === null;",
        Boolean.TRUE::equals,
        WAIT);
    String hand = "return document.querySelector(\"[data-testid='toggle-hand']\").ariaPressed;";
    press(guest, Keys.CONTROL, Keys.ALT, "h");
    guest.browser.await(hand, "true"::equals, WAIT);
    press(guest, Keys.CONTROL, Keys.ALT, "h");
    guest.browser.await(hand, "false"::equals, WAIT);

    // "?" opens the list of shortcuts.
    press(guest, "?");
    guest.awaitText("shortcuts-dialog", "Ctrl + D");
    guest.screenshot("shortcuts");
    guest.click("shortcuts-dialog-close");
  }

  @Test
  void aRaisedHandShowsOnTheOtherSideWithItsPlaceForHosts() throws Exception {
    guest.click("toggle-hand");
    awaitOnTile(
        host,
        guestIdentity,
        "const h = t.querySelector(\"[data-testid='tile-hand-order']\"); return h ? h.textContent : null;",
        "1");
    host.click("toggle-hand");
    String hostIdentity =
        (String)
            host.browser.run(
                "return document.querySelector(\"[data-testid='tile'][data-local='true']\").dataset.identity;");
    awaitOnTile(
        guest, hostIdentity, "return !!t.querySelector(\"[data-testid='tile-hand']\");", true);
    awaitOnTile(
        host,
        hostIdentity,
        "const h = t.querySelector(\"[data-testid='tile-hand-order']\"); return h ? h.textContent : null;",
        "2");
    // The guest is no host: the hand shows, not its place.
    assertThat(
            onTile(
                guest,
                hostIdentity,
                "return !!t.querySelector(\"[data-testid='tile-hand-order']\");"))
        .isEqualTo(false);
    host.screenshot("hands");

    guest.click("toggle-hand");
    host.click("toggle-hand");
    awaitOnTile(
        host, guestIdentity, "return !!t.querySelector(\"[data-testid='tile-hand']\");", false);
    awaitOnTile(
        guest, hostIdentity, "return !!t.querySelector(\"[data-testid='tile-hand']\");", false);
  }

  @Test
  void aReactionBurstsOverTheSendersTileForTheOthers() throws Exception {
    guest.click("reactions");
    guest.click("reaction-4");
    awaitOnTile(
        host,
        guestIdentity,
        "const r = t.querySelector(\"[data-testid='tile-reactions']\"); return r ? r.textContent : null;",
        "👏");
    host.awaitText("announcer", "👏");
    host.screenshot("reaction");

    // With reduced motion asked for, the next burst stands still (and stays visible).
    host.browser
        .driver()
        .executeCdpCommand(
            "Emulation.setEmulatedMedia",
            Map.of(
                "features", List.of(Map.of("name", "prefers-reduced-motion", "value", "reduce"))));
    try {
      guest.click("reaction-0");
      awaitOnTile(
          host,
          guestIdentity,
          "const b = [...t.querySelectorAll('.reaction-burst')].find(e => e.textContent === '👍');"
              + " if (!b) return null; const c = getComputedStyle(b);"
              + " return c.animationName + ' ' + c.opacity;",
          "none 1");
    } finally {
      host.browser
          .driver()
          .executeCdpCommand("Emulation.setEmulatedMedia", Map.of("features", List.of()));
    }
    press(guest, Keys.ESCAPE);
  }

  @Test
  void theNewestScreenShareTakesTheSpotlight() throws Exception {
    guest.click("toggle-screen");
    String guestShare = guestIdentity + "/screen_share";
    host.browser.await(SPOTLIGHT, guestShare::equals, WAIT);
    host.browser.await(
        "const v = document.querySelector(\"[data-testid='spotlight'] video\");"
            + " return !!v && v.videoWidth > 0;",
        Boolean.TRUE::equals,
        WAIT);
    host.await("filmstrip");
    host.screenshot("screen-share");

    // Two shares at once: the host's, newer, takes the guest's spotlight; the host keeps the
    // guest's (one's own share is never put big in front of oneself).
    host.click("toggle-screen");
    String hostShare =
        host.browser.run(
                "return document.querySelector(\"[data-testid='tile'][data-local='true']\").dataset.identity;")
            + "/screen_share";
    guest.browser.await(SPOTLIGHT, hostShare::equals, WAIT);
    assertThat(host.browser.run(SPOTLIGHT)).isEqualTo(guestShare);
    guest.screenshot("two-shares");

    host.click("toggle-screen");
    guest.browser.await(SPOTLIGHT, v -> v == null, WAIT);
    guest.click("toggle-screen");
    host.browser.await(SPOTLIGHT, v -> v == null, WAIT);
  }

  @Test
  @SuppressWarnings("unchecked") // the page's arrays come back as lists
  void gridPagesPinsAndLayouts() throws Exception {
    // A small window: two tiles a page, so the host and one other on page 1, the third on page 2.
    // The guest mutes too: with nobody remote speaking, the order holds still.
    guest.click("toggle-mic");
    host.browser
        .driver()
        .executeCdpCommand(
            "Emulation.setDeviceMetricsOverride",
            Map.of("width", 640, "height", 420, "deviceScaleFactor", 1, "mobile", false));
    try {
      host.awaitText("page-label", "1");
      assertThat(
              host.browser.run(
                  "return document.querySelector(\"[data-testid='participant-grid']\").dataset.pageSize;"))
          .isEqualTo("2");
      List<Object> first =
          (List<Object>) host.browser.await(GRID_TILES, v -> ((List<?>) v).size() == 2, WAIT);
      assertThat(first).contains("local");
      host.screenshot("page-1");
      host.click("page-next");
      host.awaitText("page-label", "2");
      List<Object> second =
          (List<Object>) host.browser.await(GRID_TILES, v -> ((List<?>) v).size() == 1, WAIT);
      assertThat(java.util.stream.Stream.concat(first.stream(), second.stream()).toList())
          .containsExactlyInAnyOrder((Object) "local", "cid", guestIdentity);
      String other = (String) second.getFirst();

      // Pinning the one on page 2 puts them in the spotlight, the others in the filmstrip.
      host.click("tile-pin");
      host.browser.await(SPOTLIGHT, (other + "/camera")::equals, WAIT);
      host.await("filmstrip");
      host.screenshot("pinned");
      host.browser.run(
          "document.querySelector(\"[data-testid='spotlight'] [data-testid='tile-pin']\").click(); return 0;");
      host.browser.await(SPOTLIGHT, v -> v == null, WAIT);

      // The focus layout shows one person big and nobody else.
      host.click("more");
      host.click("open-layout");
      host.click("layout-focus");
      host.click("layout-dialog-close");
      host.browser.await(SPOTLIGHT, v -> v != null, WAIT);
      assertThat(host.browser.driver().findElements(AppUser.id("filmstrip"))).isEmpty();
      host.screenshot("focus");
      host.click("more");
      host.click("open-layout");
      host.click("layout-auto");
      host.click("layout-dialog-close");
      host.browser.await(SPOTLIGHT, v -> v == null, WAIT);
    } finally {
      host.browser.driver().executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
      guest.click("toggle-mic");
    }
  }

  @Test
  void devicesSwitchDuringTheCall() throws Exception {
    guest.click("more");
    guest.click("open-devices");
    String mic = "return document.querySelector(\"[data-testid='device-mic']\").value;";
    String before = (String) guest.browser.run(mic);
    String other =
        (String)
            guest.browser.run(
                "const s = document.querySelector(\"[data-testid='device-mic']\");"
                    + " const o = [...s.options].find(o => o.value !== s.value && o.value !== 'default');"
                    + " return o ? o.value : null;");
    assertThat(other).as("Chromium's fake devices offer several microphones").isNotNull();
    new org.openqa.selenium.support.ui.Select(guest.await("device-mic")).selectByValue(other);
    guest.await("device-speaker");
    guest.screenshot("devices");
    guest.click("devices-dialog-close");
    // Reopened, the dialog shows the microphone the room now uses.
    guest.click("more");
    guest.click("open-devices");
    guest.browser.await(mic, other::equals, WAIT);
    new org.openqa.selenium.support.ui.Select(guest.await("device-mic")).selectByValue(before);
    guest.click("devices-dialog-close");
  }

  @Test
  void pictureInPictureShowsAnotherParticipant() throws Exception {
    host.click("more");
    host.click("open-pip");
    Object shown =
        host.browser.await(
            "const w = window.documentPictureInPicture && documentPictureInPicture.window;"
                + " if (w) { const t = w.document.querySelector(\"[data-testid='pip'] [data-testid='tile']\");"
                + " return t ? t.dataset.identity : null; }"
                + " return document.pictureInPictureElement ? 'video' : null;",
            v -> v != null,
            WAIT);
    assertThat(shown)
        .isNotEqualTo(
            host.browser.run(
                "return document.querySelector(\"[data-testid='tile'][data-local='true']\").dataset.identity;"));
    host.browser.run(
        "if (window.documentPictureInPicture && documentPictureInPicture.window)"
            + " documentPictureInPicture.window.close();"
            + " else if (document.pictureInPictureElement) await document.exitPictureInPicture();"
            + " return 0;");
  }
}
