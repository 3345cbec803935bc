package eu.visio.server.netns;

import eu.visio.server.ServerConfig;
import eu.visio.server.ServerConfig.IceTcp;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The server under test for a lab: in the test's own (root) namespace, every socket bound to the
 * lab's server address and that address alone offered as a host candidate, UDP media and ICE-TCP on
 * ephemeral ports, LiveKit tokens signed with {@link TestServers#API_SECRET}.
 */
final class LabServer {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  private LabServer() {}

  static VisioServer start(NetLab lab) {
    return VisioServer.start(
        new ServerConfig(
                lab.serverAddress().getHostAddress(),
                0,
                0,
                List.of(lab.serverAddress()),
                false,
                Optional.empty(),
                1,
                ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)))
            .withIceTcp(IceTcp.on(0)));
  }

  /** Where the web pages are: plain HTTP on the lab address. */
  static String base(NetLab lab, VisioServer server) {
    return "http://" + lab.serverAddress().getHostAddress() + ":" + server.httpPort();
  }

  /** Where livekit-client signals. */
  static String signal(NetLab lab, VisioServer server) {
    return "ws://" + lab.serverAddress().getHostAddress() + ":" + server.httpPort();
  }

  static String token(String identity, String room) {
    return ISSUER.issue(
        identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(10));
  }
}
