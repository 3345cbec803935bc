package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Every screen of the web app audited by axe-core against WCAG 2.1 A and AA (contrast, names,
 * roles, landmarks, language), on a desktop window and on a phone's (390×844, touch, as Chromium's
 * device emulation gives it, in French). On the phone, the layout is checked too: no screen scrolls
 * sideways, and the meeting's controls all lie inside the screen without covering one another.
 *
 * <p>The journey is the usual one: a host signs in and starts a meeting, and opens each of its
 * dialogs and menus; a guest on a phone opens the link, knocks, is admitted. Each screen is audited
 * once it has settled. Screenshots of the phone's screens are saved like the other browser tests'.
 */
@Tag("browser")
class AccessibilityAuditBrowserTest {
  /** Sideways overflow of the page, and the meeting controls that leave the screen or overlap. */
  private static final String PHONE_LAYOUT =
      """
      // The device's width: a page wider than it widens the layout viewport, so innerWidth lies.
      const w = screen.width;
      const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
          + (typeof e.className === 'string' && e.className ? '.' + e.className.trim().split(/ +/).join('.') : '')
          + (e.dataset.testid ? "[" + e.dataset.testid + "]" : '');
      const wide = [...document.body.querySelectorAll('*')]
          .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().right > w + 0.5)
          .slice(0, 8).map(e => name(e) + ' right=' + Math.round(e.getBoundingClientRect().right));
      const buttons = [...document.querySelectorAll('.control-bar button')]
          .filter(b => b.getClientRects().length > 0)
          .map(b => [b.getAttribute('aria-label') || b.textContent.trim(), b.getBoundingClientRect()]);
      const outside = buttons.filter(([, r]) => r.left < 0 || r.right > w + 0.5 || r.top < 0
          || r.bottom > window.innerHeight + 0.5).map(([n]) => n);
      // A panel open on a phone must leave the controls uncovered.
      const panel = document.querySelector('.side-panel');
      const p = panel && panel.getBoundingClientRect();
      const covered = p ? buttons.filter(([, r]) => r.top < p.bottom - 0.5 && p.top < r.bottom - 0.5
          && r.left < p.right - 0.5 && p.left < r.right - 0.5).map(([n]) => n) : [];
      const overlapping = [];
      for (let i = 0; i < buttons.length; i++)
        for (let j = i + 1; j < buttons.length; j++) {
          const [a, ra] = buttons[i], [b, rb] = buttons[j];
          if (ra.left < rb.right - 0.5 && rb.left < ra.right - 0.5
              && ra.top < rb.bottom - 0.5 && rb.top < ra.bottom - 0.5) overlapping.push(a + ' / ' + b);
        }
      return {width: w, scrollWidth: document.documentElement.scrollWidth, wide,
              buttons: buttons.length, outside, overlapping, covered};
      """;

  @Test
  void everyScreenPassesWcagAaOnDesktopAndPhone() throws Exception {
    try (VisioServer server = DevServer.start();
        AppUser host = new AppUser("a11y-host", o -> o.addArguments("--window-size=1280,800"));
        AppUser phone =
            new AppUser(
                "a11y-phone",
                o ->
                    o.addArguments("--lang=fr-FR") // the default, and the longest labels
                        .setExperimentalOption(
                            "mobileEmulation",
                            Map.of(
                                "deviceMetrics",
                                Map.of(
                                    "width",
                                    390,
                                    "height",
                                    844,
                                    "pixelRatio",
                                    3.0,
                                    "touch",
                                    true))))) {
      String base = DevServer.base(server);

      host.open(base + "/");
      host.await("dev-email");
      assertThat(Axe.canary(host))
          .as("the audit sees faint text and a nameless button")
          .anyMatch(v -> v.startsWith("color-contrast"))
          .anyMatch(v -> v.startsWith("button-name"));
      audit(host, "home");
      phone.open(base + "/");
      phone.await("dev-email");
      auditPhone(phone, "home");

      host.open(base + "/accessibility");
      host.await("accessibility-statement");
      audit(host, "accessibility statement");
      host.open(base + "/connection-test");
      host.await("conn-run");
      audit(host, "connection test");

      String code = DevServer.hostJoins(host, base);
      host.await("participant-grid");
      audit(host, "meeting, alone");
      dialog(host, "open-invite", "invite-dialog");
      dialog(host, "open-settings", "settings-dialog");
      host.click("reactions");
      host.await("reactions-panel");
      audit(host, "meeting, reactions");
      host.click("reactions");
      for (String tool : List.of("shortcuts", "devices", "layout")) {
        host.click("more");
        host.await("more-panel");
        audit(host, "meeting, more menu");
        dialog(host, "open-" + tool, tool + "-dialog");
      }

      phone.open(base + "/" + code);
      phone.await("guest-name");
      auditPhone(phone, "pre-join");
      phone.type("guest-name", "Bea Guest");
      phone.click("join-meeting");
      phone.await("lobby-waiting");
      auditPhone(phone, "lobby");

      host.await("lobby-notice");
      audit(host, "meeting, with a knock");
      host.click("lobby-admit");
      phone.await("meeting");
      phone.await("participant-grid");
      auditPhone(phone, "meeting");

      host.click("toggle-people");
      host.await("people-panel");
      audit(host, "meeting, participants panel");
      host.click("toggle-chat");
      host.await("chat-input");
      audit(host, "meeting, chat");

      phone.click("toggle-chat");
      phone.await("chat-input");
      auditPhone(phone, "meeting, chat");
    }
  }

  /** Opens a dialog with {@code opener}, audits it, closes it with its close button. */
  private static void dialog(AppUser user, String opener, String dialog) {
    user.click(opener);
    user.await(dialog);
    audit(user, "meeting, " + dialog);
    user.click(dialog + "-close");
  }

  private static void audit(AppUser user, String screen) {
    List<String> violations = Axe.violations(user);
    assertThat(violations).as(Axe.describe(screen, violations)).isEmpty();
  }

  private static void auditPhone(AppUser phone, String screen) throws Exception {
    phone.screenshot(screen.replace(", ", "-").replace(' ', '-'));
    audit(phone, "phone, " + screen);
    Map<?, ?> layout = (Map<?, ?>) phone.browser.run(PHONE_LAYOUT);
    assertThat(((Number) layout.get("width")).intValue()).as("the phone's screen").isEqualTo(390);
    assertThat(((Number) layout.get("scrollWidth")).intValue())
        .as("phone, %s: nothing wider than the screen; too wide: %s", screen, layout.get("wide"))
        .isLessThanOrEqualTo(390);
    assertThat((List<?>) layout.get("outside"))
        .as("phone, %s: controls off the screen", screen)
        .isEmpty();
    assertThat((List<?>) layout.get("overlapping"))
        .as("phone, %s: controls covering one another", screen)
        .isEmpty();
    assertThat((List<?>) layout.get("covered"))
        .as("phone, %s: controls under the open panel", screen)
        .isEmpty();
    if (screen.startsWith("meeting")) {
      assertThat(((Number) layout.get("buttons")).intValue())
          .as("phone, %s: the control bar is there", screen)
          .isGreaterThanOrEqualTo(5);
    }
  }
}
