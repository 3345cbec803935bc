package eu.visio.server.netns;

import eu.visio.server.ServerConfig;
import eu.visio.server.ServerConfig.IceTcp;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.server.tls.TlsFiles;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The server under test for a lab, set up as in production: in the test's own (root) namespace,
 * every socket bound to the lab's server address and that address alone offered as a host
 * candidate; UDP media and ICE-TCP on ephemeral ports; HTTPS on 443 (a certificate from PEM files),
 * which also takes ICE-TCP and TURN over TLS; the embedded TURN server on ephemeral UDP and TCP
 * ports, handed out on demand. LiveKit tokens signed with {@link TestServers#API_SECRET}. The web
 * pages and signalling stay on plain HTTP (another port): the lab browsers treat that origin as
 * secure.
 */
final class LabServer {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  /** A certificate and key in PEM files, as production has (self-signed: not for a lab address). */
  private record PemFiles(Path cert, Path key) {
    static PemFiles make() {
      try {
        Path dir = Files.createTempDirectory("visio-lab-tls");
        PemFiles f = new PemFiles(dir.resolve("cert.pem"), dir.resolve("key.pem"));
        TlsFiles.write(f.cert(), f.key(), TlsFiles.ec(), TlsFiles.KeyForm.PKCS8);
        for (Path p : List.of(f.cert(), f.key(), dir)) {
          p.toFile().deleteOnExit();
        }
        return f;
      } catch (IOException e) {
        throw new IllegalStateException("lab certificate: " + e, e);
      }
    }
  }

  private static final PemFiles CERT = PemFiles.make();

  private LabServer() {}

  static VisioServer start(NetLab lab) {
    return start(lab, UnaryOperator.identity());
  }

  /** The same, with {@code tune} applied to the configuration (a test's variation). */
  static VisioServer start(NetLab lab, UnaryOperator<ServerConfig> tune) {
    return VisioServer.start(
        tune.apply(
            new ServerConfig(
                    lab.serverAddress().getHostAddress(),
                    0,
                    0,
                    List.of(lab.serverAddress()),
                    false,
                    Optional.empty(),
                    1,
                    ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)))
                .withIceTcp(IceTcp.on(0))
                .withTls(
                    ServerConfig.Tls.files(ServerConfig.Tls.DEFAULT_PORT, CERT.cert(), CERT.key()))
                .withTurn(ServerConfig.Turn.on(0))));
  }

  /** Where the web pages are: plain HTTP on the lab address. */
  static String base(NetLab lab, VisioServer server) {
    return "http://" + lab.serverAddress().getHostAddress() + ":" + server.httpPort();
  }

  /**
   * The same pages over HTTPS on 443, the one port a locked-down network lets out (browsers that
   * accept the lab's certificate).
   */
  static String httpsBase(NetLab lab) {
    return "https://" + lab.serverAddress().getHostAddress();
  }

  /** Where livekit-client signals through 443. */
  static String secureSignal(NetLab lab) {
    return "wss://" + lab.serverAddress().getHostAddress();
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
