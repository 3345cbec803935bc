package eu.visio.server;

import eu.visio.signal.token.ApiKeys;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Servers for tests: loopback only, ephemeral ports. */
public final class TestServers {
  private TestServers() {}

  public static VisioServer loopback() {
    return loopback(Optional.empty());
  }

  /** The API key and secret of {@link #withKeys()}. */
  public static final String API_KEY = "testkey";

  public static final String API_SECRET = "test-secret-test-secret-test-secret-0123";

  /** A loopback server accepting LiveKit tokens signed with {@link #API_SECRET}. */
  public static VisioServer withKeys() {
    return VisioServer.start(keyedConfig(1));
  }

  /**
   * The configuration of {@link #withKeys()} with {@code mediaWorkers} workers, for tests that add
   * TLS, ICE-TCP or TURN with the with-methods.
   */
  public static ServerConfig keyedConfig(int mediaWorkers) {
    return keyedConfig(mediaWorkers, 0);
  }

  /** {@link #keyedConfig(int)} serving HTTP on {@code httpPort} (0: any free port). */
  public static ServerConfig keyedConfig(int mediaWorkers, int httpPort) {
    return new ServerConfig(
        "127.0.0.1",
        httpPort,
        0,
        List.of(InetAddress.getLoopbackAddress()),
        true,
        Optional.empty(),
        mediaWorkers,
        ApiKeys.of(Map.of(API_KEY, API_SECRET)));
  }

  /**
   * A loopback meeting server's configuration: {@link #API_KEY}, development sign-in on, its
   * database in memory (tests replace it, add SMTP or a public URL with the with-methods).
   */
  public static ServerConfig meetingConfig() {
    return new ServerConfig(
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
        .withDevSignIn(true);
  }

  /** {@link #withKeys()}, posting room events to {@code webhook} and handing out ICE servers. */
  public static VisioServer withWebhook(
      java.net.URI webhook, List<ServerConfig.IceServer> iceServers) {
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
            iceServers,
            new ServerConfig.Webhook(API_KEY, List.of(webhook))));
  }

  public static VisioServer loopback(Optional<String> whipToken) {
    return VisioServer.start(
        new ServerConfig(
            "127.0.0.1", 0, 0, List.of(InetAddress.getLoopbackAddress()), true, whipToken));
  }
}
