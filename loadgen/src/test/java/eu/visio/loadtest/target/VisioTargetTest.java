package eu.visio.loadtest.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-node target starts on a machine where something else holds TURN's default port on
 * loopback (another build's server did, and every {@code ./loadtest --target visio} failed with
 * "Address already in use"): its bots do not use TURN, so the server runs without it.
 */
class VisioTargetTest {
  private static final int TURN_DEFAULT_PORT = 3478;

  @TempDir Path dir;

  @Test
  void startsWhileAnotherProcessHoldsTheDefaultTurnPort() throws Exception {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    try (DatagramSocket udp = holdUdp(loopback);
        ServerSocket tcp = holdTcp(loopback);
        TargetSession session = new VisioTarget(List.of("--media-workers", "1")).start(dir)) {
      assertThat(session.pid()).isPositive();
    }
  }

  /** The port, or null when another process holds it already (the case under test all the same). */
  private static DatagramSocket holdUdp(InetAddress host) throws SocketException {
    try {
      return new DatagramSocket(new InetSocketAddress(host, TURN_DEFAULT_PORT));
    } catch (BindException e) {
      return null;
    }
  }

  private static ServerSocket holdTcp(InetAddress host) throws IOException {
    try {
      return new ServerSocket(TURN_DEFAULT_PORT, 1, host);
    } catch (BindException e) {
      return null;
    }
  }
}
