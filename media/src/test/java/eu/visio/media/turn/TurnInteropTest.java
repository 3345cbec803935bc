package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * coturn's test client against our server on loopback: {@code turnutils_uclient} allocates with
 * TURN REST credentials ({@code -W}: it derives {@code expiry:user} and the HMAC password from the
 * shared secret itself), binds channels (or uses Send indications with {@code -s}) toward {@code
 * turnutils_peer}, an echo peer we allow, and reports lost packets. Needs Debian's {@code coturn}
 * package ({@code apt-get install coturn}); skipped without it.
 */
@Tag("interop")
class TurnInteropTest {
  private static final Path UCLIENT = Path.of("/usr/bin/turnutils_uclient");
  private static final Path PEER = Path.of("/usr/bin/turnutils_peer");
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String SECRET = "interop-secret";

  private Process peer;
  private int peerPort;
  private TurnServer server;

  @BeforeEach
  void start() throws Exception {
    assumeTrue(
        Files.isExecutable(UCLIENT) && Files.isExecutable(PEER),
        "turnutils_uclient and turnutils_peer missing: apt-get install coturn");
    peerPort = twoFreePorts();
    peer =
        new ProcessBuilder(PEER.toString(), "-L", "127.0.0.1", "-p", Integer.toString(peerPort))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    server =
        TurnServer.start(
            TurnConfig.builder(
                    "visio.test",
                    SECRET,
                    LOOPBACK,
                    // turnutils_peer listens on its port and the next; uclient uses both.
                    RelayPolicy.peers(
                        List.of(
                            new InetSocketAddress(LOOPBACK, peerPort),
                            new InetSocketAddress(LOOPBACK, peerPort + 1))))
                .listen(new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0))
                // uclient draws channel numbers from RFC 5766's 0x4000-0x7FFE.
                .rfc5766Channels(true)
                .build());
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (peer != null) {
      peer.destroy();
      peer.waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** A port p with p and p + 1 free for UDP on loopback. */
  private static int twoFreePorts() throws IOException {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (DatagramSocket a = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
        int p = a.getLocalPort();
        if (p < 65535) {
          try (DatagramSocket b = new DatagramSocket(new InetSocketAddress(LOOPBACK, p + 1))) {
            return p;
          } catch (IOException taken) {
            // try another
          }
        }
      }
    }
    throw new IOException("no two consecutive free UDP ports");
  }

  private String refusals() {
    StringBuilder sb = new StringBuilder();
    for (TurnReason r : TurnReason.values()) {
      long n = server.counters().count(r);
      if (n > 0) {
        sb.append(' ').append(r).append('=').append(n);
      }
    }
    return sb.toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"udp", "tcp", "udp-send", "tcp-send"})
  void uclientRelaysThroughUsWithoutLoss(String mode) throws Exception {
    boolean tcp = mode.startsWith("tcp");
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(UCLIENT.toString(), "-u", "interop", "-W", SECRET));
    cmd.addAll(List.of("-e", "127.0.0.1", "-r", Integer.toString(peerPort)));
    // One client: with -m n, client i talks to the peer port + i.
    cmd.addAll(List.of("-n", "50", "-m", "1", "-l", "400", "-c", "-X"));
    if (tcp) {
      cmd.add("-t");
    }
    if (mode.endsWith("-send")) {
      cmd.add("-s");
    }
    int port = (tcp ? server.tcpAddress() : server.udpAddress()).getPort();
    cmd.addAll(List.of("-p", Integer.toString(port), "127.0.0.1"));
    Path log = Files.createTempFile("uclient", ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean finished;
    try {
      finished = p.waitFor(60, TimeUnit.SECONDS);
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.ISO_8859_1);
    Files.delete(log);
    assertThat(finished).as("uclient finished: " + out).isTrue();
    assertThat(p.exitValue()).as(out + refusals()).isZero();
    assertThat(out).contains("Total lost packets 0 (0.000000%)");
    assertThat(out).containsPattern("Total transmit time is \\d+");
    // uclient allocates twice (a second, idle session even with -c) and sends -n messages on one,
    // each echoed back by the peer.
    assertThat(server.counters().allocationsCreated()).as(refusals()).isEqualTo(2);
    assertThat(server.counters().packetsToPeers()).isEqualTo(50);
    assertThat(server.counters().packetsToClients()).isEqualTo(50);
    assertThat(server.counters().count(TurnReason.HANDLER_ERROR)).isZero();
    assertThat(server.counters().count(TurnReason.FORBIDDEN_PEER)).isZero();
  }
}
