package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.interactions.Actions;

/**
 * The whole journey with the keyboard alone (RGAA 7.3, 10.7, 12.8): from the home page through the
 * development sign-in, starting a meeting, the pre-join screen, into the meeting; there the
 * microphone and camera, the chat (a message sent), the participants panel, and leaving. Only Tab,
 * Shift+Tab, Enter, Space, Escape and typing reach the page (Selenium Actions, no click). After
 * every key the focused element must show a focus ring (a non-none outline or box-shadow) and sit
 * on screen; a Tab walk that comes back to where it started without reaching its target is a
 * keyboard trap and fails.
 */
@Tag("browser")
class KeyboardJourneyBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int MAX_TABS = 60;

  /** What has focus: its test id, tag, and whether a focus ring shows. */
  private static final String FOCUSED =
      """
      const e = document.activeElement;
      if (!e || e === document.body) return {testid: '', tag: 'body', ring: false, onScreen: false, label: ''};
      const cs = getComputedStyle(e);
      const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
      const shadow = cs.boxShadow !== '' && cs.boxShadow !== 'none';
      const r = e.getBoundingClientRect();
      return {
        testid: e.getAttribute('data-testid') || '',
        tag: e.tagName.toLowerCase(),
        id: e.id || '',
        label: (e.getAttribute('aria-label') || e.getAttribute('title') || e.textContent || '').trim().slice(0, 40),
        ring: outline || shadow,
        onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.right > 0
            && r.top < innerHeight && r.left < innerWidth,
      };
      """;

  private AppUser user;

  private Map<?, ?> focused() {
    return (Map<?, ?>) user.browser.run(FOCUSED);
  }

  private void press(CharSequence key) {
    new Actions(user.browser.driver()).sendKeys(key).perform();
  }

  private void shiftTab() {
    new Actions(user.browser.driver())
        .keyDown(Keys.SHIFT)
        .sendKeys(Keys.TAB)
        .keyUp(Keys.SHIFT)
        .perform();
  }

  /** Asserts the focused element shows its focus and is on screen; returns its description. */
  private Map<?, ?> assertFocusVisible() {
    Map<?, ?> f = focused();
    assertThat(f.get("tag")).as("focus lost to the page").isNotEqualTo("body");
    assertThat(f.get("ring")).as("a visible focus ring on %s", f).isEqualTo(true);
    assertThat(f.get("onScreen")).as("focused element on screen: %s", f).isEqualTo(true);
    return f;
  }

  /**
   * Tabs forward (or backward) until {@code testId} has focus, checking the ring at every stop;
   * fails on a trap (the walk returns to an element already seen before reaching the target).
   */
  private void tabTo(String testId, boolean forward) {
    List<String> walk = new ArrayList<>();
    for (int i = 0; i < MAX_TABS; i++) {
      if (forward) {
        press(Keys.TAB);
      } else {
        shiftTab();
      }
      Map<?, ?> f = assertFocusVisible();
      String here = f.get("tag") + "#" + f.get("testid") + "#" + f.get("id") + "#" + f.get("label");
      if (testId.equals(f.get("testid"))) {
        return;
      }
      assertThat(walk)
          .as("keyboard trap: back at %s before reaching %s", here, testId)
          .doesNotContain(here);
      walk.add(here);
    }
    throw new AssertionError(testId + " not reached in " + MAX_TABS + " tabs: " + walk);
  }

  private void tabTo(String testId) {
    tabTo(testId, true);
  }

  private void awaitFocus(String testId) throws InterruptedException {
    user.browser.await(
        "return document.activeElement && document.activeElement.getAttribute('data-testid');",
        testId::equals,
        WAIT);
    assertFocusVisible();
  }

  /** Waits for {@code testId}'s aria-pressed to be {@code value}; a failure says what has focus. */
  private void awaitPressed(String testId, String value) throws Exception {
    try {
      user.browser.await(
          "return document.querySelector(\"[data-testid='"
              + testId
              + "']\").getAttribute('aria-pressed');",
          value::equals,
          WAIT);
    } catch (AssertionError e) {
      user.screenshot("failed-" + testId);
      throw new AssertionError(testId + " not pressed=" + value + "; focus on " + focused(), e);
    }
  }

  private Object pressed(String testId) {
    return user.browser.run(
        "return document.querySelector(\"[data-testid='"
            + testId
            + "']\").getAttribute('aria-pressed');");
  }

  @Test
  void fromHomeIntoAMeetingAndOutWithTheKeyboardOnly() throws Exception {
    try (VisioServer server = DevServer.start();
        AppUser user = new AppUser("keyboard")) {
      this.user = user;
      String base = DevServer.base(server);
      user.open(base + "/");
      user.await("dev-email");

      // Home: the first Tab is the skip link, shown when focused; it leads to the content.
      press(Keys.TAB);
      Map<?, ?> first = assertFocusVisible();
      assertThat(first.get("tag")).isEqualTo("a");
      assertThat(user.browser.run("return document.activeElement.getAttribute('href');"))
          .isEqualTo("#main");

      // The development sign-in, typed, submitted with Enter.
      tabTo("dev-email");
      press("ada@example.org");
      press(Keys.TAB);
      assertThat(assertFocusVisible().get("testid"))
          .as("name right after e-mail")
          .isEqualTo("dev-name");
      press("Ada Keys");
      press(Keys.ENTER);
      user.awaitText("account-name", "Ada Keys");
      user.screenshot("1-signed-in");

      // Start a meeting with Enter (the sign-in form is gone: the walk goes on from its place).
      tabTo("start-meeting");
      press(Keys.ENTER);
      user.await("preview-video");
      user.screenshot("2-prejoin");

      // Pre-join: the microphone off with Space, then join with Enter.
      tabTo("prejoin-mic");
      assertThat(pressed("prejoin-mic")).isEqualTo("true");
      press(Keys.SPACE);
      assertThat(pressed("prejoin-mic")).isEqualTo("false");
      tabTo("join-meeting");
      press(Keys.ENTER);
      user.await("meeting");
      // As a person would, wait to see oneself: the room is connected and the camera published.
      user.browser.await(
          "const v = document.querySelector(\"[data-testid='tile'][data-local='true'] video\");"
              + " return !!v && v.videoWidth > 0;",
          Boolean.TRUE::equals,
          WAIT);

      // In the meeting: the microphone back on with Space, the camera off with Enter.
      tabTo("toggle-mic");
      assertThat(pressed("toggle-mic")).isEqualTo("false");
      press(Keys.SPACE);
      awaitPressed("toggle-mic", "true");
      tabTo("toggle-camera");
      assertThat(pressed("toggle-camera")).isEqualTo("true");
      press(Keys.ENTER);
      awaitPressed("toggle-camera", "false");
      awaitFocus("toggle-camera");

      // The chat: opened with Enter, focus on its title; a message typed and sent with Enter.
      tabTo("toggle-chat");
      press(Keys.ENTER);
      user.await("chat-panel");
      user.browser.await("return document.activeElement.id;", "chat-panel-title"::equals, WAIT);
      tabTo("chat-input");
      press("Bonjour au clavier");
      press(Keys.ENTER);
      user.awaitText("chat-messages", "Bonjour au clavier");
      user.screenshot("3-chat");
      // Escape closes it and gives focus back to the button that opened it.
      press(Keys.ESCAPE);
      user.browser.await(
          "return document.querySelector(\"[data-testid='chat-panel']\") === null;",
          Boolean.TRUE::equals,
          WAIT);
      awaitFocus("toggle-chat");

      // The participants panel, the other way round (Shift+Tab), and back with Escape.
      tabTo("toggle-people", false);
      press(Keys.ENTER);
      user.await("people-panel");
      user.browser.await("return document.activeElement.id;", "people-panel-title"::equals, WAIT);
      assertThat(user.browser.driver().findElement(By.id("people-panel-title")).getText())
          .contains("(1)");
      assertThat(user.await("people-list").getText()).contains("Ada Keys");
      user.screenshot("4-people");
      tabTo("knock-notifications");
      press(Keys.ESCAPE);
      user.browser.await(
          "return document.querySelector(\"[data-testid='people-panel']\") === null;",
          Boolean.TRUE::equals,
          WAIT);
      awaitFocus("toggle-people");

      // Leave with Enter: the screen after the meeting, focus on its title.
      tabTo("leave", false);
      press(Keys.ENTER);
      user.await("left-title");
      user.browser.await(
          "return document.activeElement.getAttribute('data-testid');", "left-title"::equals, WAIT);
      user.screenshot("5-left");
    }
  }
}
