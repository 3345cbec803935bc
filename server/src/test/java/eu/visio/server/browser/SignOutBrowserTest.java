package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.meet.identity.OidcConfig;
import eu.visio.server.ServerConfig;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Signing out of the web app after signing in at an OpenID Connect provider (mock-oauth2-server in
 * the test): the browser is sent to the provider's end-session endpoint (RP-initiated logout),
 * which sends it back to our home page, signed out.
 */
@Tag("browser")
class SignOutBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void signingOutEndsTheProvidersSessionToo() throws Exception {
    MockOAuth2Server provider = new MockOAuth2Server();
    provider.start();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort(); // the callback URL must name the server's port before it starts
    }
    try (VisioServer server = VisioServer.start(config(provider, port));
        AppUser agent = new AppUser("signout-agent")) {
      String base = "http://127.0.0.1:" + port;
      provider.enqueueCallback(
          new DefaultOAuth2TokenCallback(
              "proconnect",
              "agent-42",
              "JWT",
              List.of("visio"),
              Map.of("email", "agent@ministere.gouv.fr", "name", "Agent Dupont"),
              3600));
      agent.open(base + "/");
      agent.click("oidc-sign-in");
      agent.awaitText("account-name", "Agent Dupont");

      agent.click("sign-out");
      // Back from the provider at the public URL's root, signed out.
      new WebDriverWait(agent.browser.driver(), WAIT)
          .until(ExpectedConditions.urlToBe("http://localhost:" + port + "/"));
      agent.await("oidc-sign-in");
      String endSession = provider.endSessionEndpointUrl("proconnect").encodedPath();
      assertThat(endSessionRequest(provider, endSession))
          .as("the browser went through the provider's end-session endpoint")
          .isNotNull();
    } finally {
      provider.shutdown();
    }
  }

  /** The first request the provider received on {@code path}, or null. */
  private static RecordedRequest endSessionRequest(MockOAuth2Server provider, String path) {
    for (int i = 0; i < 20; i++) {
      RecordedRequest r = provider.takeRequest(1, TimeUnit.SECONDS);
      if (r == null) {
        return null;
      }
      if (r.getRequestUrl() != null && r.getRequestUrl().encodedPath().equals(path)) {
        return r;
      }
    }
    return null;
  }

  private static ServerConfig config(MockOAuth2Server provider, int port) {
    return new ServerConfig(
            "127.0.0.1",
            port,
            0,
            List.of(InetAddress.getLoopbackAddress()),
            true,
            Optional.empty(),
            1,
            ApiKeys.of(Map.of("meetkey", "meet-secret-meet-secret-meet-secret-0123")),
            List.of(),
            ServerConfig.Webhook.none())
        .withOidc(
            new OidcConfig(
                provider.issuerUrl("proconnect").uri(),
                "visio",
                "client-secret",
                URI.create("http://127.0.0.1:" + port + "/auth/callback"),
                List.of("openid", "email", "profile"),
                Map.of(),
                Duration.ofSeconds(5)))
        // Another host name than the callback's: where the provider sends the browser back.
        .withPublicUrl(URI.create("http://localhost:" + port));
  }
}
