package eu.visio.server.browser;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;

/** A server on loopback with the development sign-in, as the web app's browser tests use it. */
final class DevServer {
  static final String API_KEY = TestServers.API_KEY;
  static final String API_SECRET = TestServers.API_SECRET;

  private DevServer() {}

  static VisioServer start() {
    return VisioServer.start(TestServers.meetingConfig());
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
