package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WindowType;

/**
 * A host's system notification for knocks: never asked on load, asked from the host's click on the
 * participants panel's switch (a refusal says so), then shown for a knock while the meeting's tab
 * is hidden and not while it is in sight. The permission is set through DevTools, as a person would
 * answer the browser's prompt; the page's Notification is wrapped to record what it shows (headless
 * Chromium displays nothing) into localStorage, which another tab of the origin reads.
 */
@Tag("browser")
class KnockNotificationBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static final String RECORD_NOTIFICATIONS =
      """
      const Real = window.Notification;
      window.Notification = class extends Real {
        constructor(title, options) {
          super(title, options);
          const shown = JSON.parse(localStorage.getItem('test.shown') || '[]');
          shown.push({title, body: options && options.body, visibility: document.visibilityState});
          localStorage.setItem('test.shown', JSON.stringify(shown));
        }
      };
      return true;
      """;

  private static final String SHOWN =
      "return JSON.parse(localStorage.getItem('test.shown') || '[]');";

  @Test
  void aHostWhoTurnedItOnIsNotifiedOfAKnockWhileTheTabIsHidden() throws Exception {
    try (VisioServer server = DevServer.start();
        AppUser host = new AppUser("notify-host")) {
      String base = DevServer.base(server);
      String code = DevServer.hostJoins(host, base);
      var driver = host.browser.driver();
      assertThat(host.browser.run("return Notification.permission;"))
          .as("nothing asked on load")
          .isEqualTo("default");
      host.browser.run(RECORD_NOTIFICATIONS);
      host.click("toggle-people");

      // Refused by the browser: the switch stays off and says why.
      driver.executeCdpCommand(
          "Browser.setPermission",
          Map.of(
              "permission", Map.of("name", "notifications"), "setting", "denied", "origin", base));
      host.click("knock-notifications");
      assertThat(host.await("knock-notifications-status").getText()).isNotBlank();
      assertThat(host.await("knock-notifications-status").getDomAttribute("data-blocked"))
          .isEqualTo("true");
      assertThat(host.await("knock-notifications").isSelected()).isFalse();

      // Allowed: the switch turns on and the choice is remembered.
      driver.executeCdpCommand(
          "Browser.grantPermissions",
          Map.of("permissions", List.of("notifications"), "origin", base));
      host.click("knock-notifications");
      host.browser.await(
          "return document.querySelector(\"[data-testid='knock-notifications']\").checked;",
          Boolean.TRUE::equals,
          WAIT);
      assertThat(host.browser.run("return localStorage.getItem('visio.knockNotifications');"))
          .isEqualTo("on");
      assertThat(
              driver
                  .findElement(AppUser.id("knock-notifications-status"))
                  .getDomAttribute("data-blocked"))
          .isEqualTo("false");

      // A knock while the meeting is in sight: chime and panel, no system notification.
      assertThat(GuestKnock.knock(base, code, "Bea Visible")).isEqualTo(202);
      host.awaitText("lobby-requests", "Bea Visible");
      assertThat((List<?>) host.browser.run(SHOWN)).isEmpty();

      // Another tab in front hides the meeting; the next knock raises a notification.
      String meetingTab = driver.getWindowHandle();
      driver.switchTo().newWindow(WindowType.TAB);
      driver.get(base + "/accessibility");
      assertThat(GuestKnock.knock(base, code, "Cyd Hidden")).isEqualTo(202);
      List<?> shown = (List<?>) host.browser.await(SHOWN, s -> !((List<?>) s).isEmpty(), WAIT);
      assertThat(shown).hasSize(1);
      Map<?, ?> notice = (Map<?, ?>) shown.getFirst();
      assertThat((String) notice.get("body")).contains("Cyd Hidden").doesNotContain("Bea");
      assertThat((String) notice.get("title")).isNotBlank();
      assertThat(notice.get("visibility")).isEqualTo("hidden");
      driver.switchTo().window(meetingTab);
      host.awaitText("lobby-requests", "Cyd Hidden");
    }
  }
}
