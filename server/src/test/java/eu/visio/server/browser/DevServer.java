package eu.visio.server.browser;

import eu.visio.server.ServerConfig;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A server on loopback with the development sign-in, as the web app's browser tests use it. */
final class DevServer {
  static final String API_KEY = "meetkey";
  static final String API_SECRET = "meet-secret-meet-secret-meet-secret-0123";

  private DevServer() {}

  static VisioServer start() {
    return VisioServer.start(
        new ServerConfig(
                "127.0.0.1",
                0,
                0,
                List.of(InetAddress.getLoopbackAddress()),
                true,
                Optional.empty(),
                1,
                ApiKeys.of(Map.of(API_KEY, API_SECRET)),
                List.of(),
                ServerConfig.Webhook.none())
            .withDevSignIn(true));
  }

  static String base(VisioServer server) {
    return "http://127.0.0.1:" + server.httpPort();
  }

  /** Signs in on the home page, starts an instant meeting and joins it; returns the room code. */
  static String hostJoins(AppUser host, String base) {
    host.open(base + "/");
    host.type("dev-email", "ada@example.org");
    host.type("dev-name", "Ada Host");
    host.click("dev-sign-in");
    host.awaitText("account-name", "Ada Host");
    host.click("start-meeting");
    host.await("preview-video");
    String code = host.url().substring(host.url().lastIndexOf('/') + 1);
    host.click("join-meeting");
    host.await("meeting");
    return code;
  }
}
