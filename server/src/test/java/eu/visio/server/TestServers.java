package eu.visio.server;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/** Servers for tests: loopback only, ephemeral ports. */
public final class TestServers {
  private TestServers() {}

  public static VisioServer loopback() {
    return loopback(Optional.empty());
  }

  public static VisioServer loopback(Optional<String> whipToken) {
    return VisioServer.start(
        new ServerConfig(
            "127.0.0.1", 0, 0, List.of(InetAddress.getLoopbackAddress()), true, whipToken));
  }
}
