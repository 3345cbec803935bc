package eu.visio.server.browser;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Alone in a meeting for five minutes, one is asked whether to stay, with a countdown: "stay" keeps
 * one in and asks again later; "leave" leaves. The page's five-minute timer is shortened by a
 * script installed before the app loads (the only timer of exactly 300 000 ms).
 */
@Tag("browser")
class AloneBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** setTimeout(…, 5 min) fires after 1.5 s; every other delay is untouched. */
  private static final String SHORT_ALONE =
      """
      const original = window.setTimeout;
      window.setTimeout = function (fn, delay, ...args) {
        return original.call(window, fn, delay === 300000 ? 1500 : delay, ...args);
      };
      """;

  @Test
  void aloneTooLongOneIsAskedThenStaysThenLeaves() throws Exception {
    try (VisioServer server = VisioServer.start(TestServers.meetingConfig());
        AppUser ada = new AppUser("alone")) {
      ada.browser
          .driver()
          .executeCdpCommand(
              "Page.addScriptToEvaluateOnNewDocument", Map.of("source", SHORT_ALONE));
      ada.open("http://127.0.0.1:" + server.httpPort() + "/");
      ada.type("dev-email", "ada@example.org");
      ada.type("dev-name", "Ada Alone");
      ada.click("dev-sign-in");
      ada.click("start-meeting");
      ada.click("join-meeting");
      ada.await("participant-grid");

      ada.await("alone-dialog");
      String text =
          "return document.querySelector(\"[data-testid='alone-dialog'] p\").textContent;";
      String first = (String) ada.browser.run(text);
      // The countdown runs: the text changes second by second.
      ada.browser.await(text, v -> !first.equals(v), WAIT);
      ada.screenshot("prompt");
      ada.click("alone-stay");
      ada.browser.await(
          "return document.querySelector(\"[data-testid='alone-dialog']\") === null;",
          Boolean.TRUE::equals,
          WAIT);
      ada.await("participant-grid");

      // Still alone: asked again; this time one leaves.
      ada.await("alone-dialog");
      ada.click("alone-leave");
      ada.await("left-title");
    }
  }
}
