package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.ServerConfig;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.Select;

/**
 * The pages every footer links to, through the UI: the connection test finds the fake camera and
 * microphone, reaches the signalling WebSocket and gets media through over UDP to this server (TCP
 * then not needed), and joins again through each of the embedded TURN server's relays alone (UDP,
 * TCP, TLS on the TLS port) with relay policy, and its report says the same; the accessibility
 * statement gives the RGAA status in each language. Neither page trips the CSP.
 */
@Tag("browser")
class ConnectionTestBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  void theFooterLeadsToAWorkingConnectionTestAndTheAccessibilityStatement() throws Exception {
    try (VisioServer server =
            VisioServer.start(
                new ServerConfig(
                        "127.0.0.1",
                        0,
                        0,
                        List.of(InetAddress.getLoopbackAddress()),
                        true,
                        Optional.empty(),
                        1,
                        ApiKeys.of(Map.of("meetkey", "meet-secret-meet-secret-meet-secret-0123")),
                        List.of(),
                        ServerConfig.Webhook.none())
                    .withTls(ServerConfig.Tls.selfSigned(0))
                    .withTurn(ServerConfig.Turn.on(0)));
        // The turns: relay has the self-signed certificate, which Chromium's TURN client takes
        // only with this flag (see TurnRelayBrowserTest).
        AppUser user =
            new AppUser("conntest", o -> o.addArguments("--ignore-certificate-errors"))) {
      long allocations = server.turn().server().counters().allocationsCreated();
      String base = "http://127.0.0.1:" + server.httpPort();
      user.open(base + "/");
      // English, whatever the browser's language: the report's words are checked below.
      new Select(user.await("language-switch")).selectByValue("en");

      user.click("footer-connection-test");
      assertThat(user.url()).isEqualTo(base + "/connection-test");
      user.awaitText("conn-summary", "Test finished.");
      Map<String, String> status =
          Map.of(
              "camera", "ok",
              "microphone", "ok",
              "websocket", "ok",
              "udp", "ok",
              "tcp", "skipped",
              "turnUdp", "ok",
              "turnTcp", "ok",
              "turnTls", "ok");
      status.forEach(
          (check, expected) ->
              assertThat(user.await("check-" + check).getDomAttribute("data-status"))
                  .as(check)
                  .isEqualTo(expected));
      assertThat(user.await("check-udp").getText()).contains("udp, host");
      for (String relay : List.of("turnUdp", "turnTcp", "turnTls")) {
        assertThat(user.await("check-" + relay).getText()).as(relay).contains("relay");
      }
      // Each relay check allocated on our TURN server (publisher and subscriber connections).
      assertThat(server.turn().server().counters().allocationsCreated())
          .isGreaterThanOrEqualTo(allocations + 3);
      String report = user.await("conn-report").getDomProperty("value");
      assertThat(report)
          .contains("Camera: OK", "Microphone: OK (peak level", "Signalling (WebSocket): OK")
          .contains("Media over UDP: OK (udp, host")
          .contains("Media over TCP: Not tested (not needed here: media goes over UDP)")
          .contains("TURN relay over UDP: OK (relay", "TURN relay over TCP: OK (relay")
          .contains("TURN relay over TLS: OK (relay");
      // The fake microphone beeps: the level meter moves.
      user.browser.await(
          "return document.querySelector(\"[data-testid='level-meter'] span\").style.transform;",
          v -> v instanceof String s && s.startsWith("scaleX(") && !s.equals("scaleX(0)"),
          WAIT);
      user.screenshot("connection-test");
      CspViolations.assertNone(user);

      // The statement, from the footer, in each language.
      Map<String, String[]> titles =
          Map.of(
              "fr", new String[] {"Déclaration d’accessibilité", "partiellement conforme"},
              "en", new String[] {"Accessibility statement", "partially compliant"},
              "de", new String[] {"Erklärung zur Barrierefreiheit", "teilweise konform"},
              "nl", new String[] {"Toegankelijkheidsverklaring", "gedeeltelijk conform"});
      user.click("footer-accessibility");
      assertThat(user.url()).isEqualTo(base + "/accessibility");
      for (Map.Entry<String, String[]> e : titles.entrySet()) {
        new Select(user.await("language-switch")).selectByValue(e.getKey());
        user.awaitText("accessibility-statement", e.getValue()[0]);
        assertThat(user.await("a11y.status").getText()).contains(e.getValue()[1]);
        assertThat(user.await("footer-accessibility").getText()).contains(e.getValue()[1]);
      }
      assertThat(user.await("a11y.standards").getText()).contains("RGAA 4.1.2", "WCAG 2.1");
      user.screenshot("accessibility");
      CspViolations.assertNone(user);

      // Loaded directly, the pages come from the server as the app (not a 404 page).
      user.open(base + "/accessibility");
      user.await("accessibility-statement");
      CspViolations.assertNone(user);
    }
  }
}
