package eu.visio.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.stun.StunClass;
import eu.visio.media.turn.RelayPolicy;
import eu.visio.media.turn.TurnConfig;
import eu.visio.media.turn.TurnCounters;
import eu.visio.media.turn.TurnCredentials;
import eu.visio.media.turn.TurnServer;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}): the CPU our TURN server spends per relayed
 * datagram at a sustained rate, the part a relayed participant adds to what the SFU spends on it.
 * Eight UDP clients on loopback allocate with TURN REST credentials and bind a channel to an echo
 * peer (the SFU's place); one thread sends them 1,000-byte ChannelData frames, paced to a target
 * rate, and the peer echoes every datagram, so TURN relays both ways (client to peer, peer to
 * client as ChannelData) as it does for a participant's media. For each rate, over 10 s: the CPU
 * time of the TURN event loop ({@code visio-turn-0}) divided by the datagrams it relayed. Writes
 * {@code server/target/turn-relay-cpu-per-packet.txt}.
 */
@Tag("benchmark")
class TurnRelayCpuPerPacketBenchmark {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String SECRET = "benchmark-secret-benchmark-secret-0123";
  private static final int CLIENTS = 8;
  private static final int PAYLOAD = 1000;
  private static final Duration WINDOW = Duration.ofSeconds(10);

  @Test
  void cpuPerRelayedDatagram() throws Exception {
    StringBuilder report =
        new StringBuilder(
            "target client->peer pkt/s | relayed datagrams/s (both ways) | TURN loop CPU |"
                + " µs per relayed datagram\n");
    try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      peer.setReceiveBufferSize(4 << 20);
      Thread echo = Thread.ofPlatform().name("echo-peer").daemon(true).start(() -> echo(peer));
      TurnServer server =
          TurnServer.start(
              TurnConfig.builder(
                      "visio.bench",
                      SECRET,
                      LOOPBACK,
                      RelayPolicy.peers(List.of((InetSocketAddress) peer.getLocalSocketAddress())))
                  .listen(new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0))
                  .build());
      List<TurnProbe> clients = new ArrayList<>();
      try {
        TurnCredentials.Credential c = server.credentials().issue("bench", Duration.ofHours(1));
        for (int i = 0; i < CLIENTS; i++) {
          TurnProbe p = TurnProbe.udp(server.udpAddress(), c.username(), c.password());
          clients.add(p);
          assertThat(p.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
          assertThat(
                  p.channelBind((InetSocketAddress) peer.getLocalSocketAddress(), 0x4000)
                      .messageClass())
              .isEqualTo(StunClass.SUCCESS_RESPONSE);
          p.udpSocket().setReceiveBufferSize(1 << 20);
        }
        blast(clients, server, 2_000, Duration.ofSeconds(3)); // warm-up
        for (int rate : new int[] {2_000, 10_000, 20_000}) {
          TurnCounters counters = server.counters();
          long relayed0 = counters.packetsToPeers() + counters.packetsToClients();
          long cpu0 = turnLoopCpu();
          blast(clients, server, rate, WINDOW);
          Thread.sleep(200); // the echoes in flight
          long relayed = counters.packetsToPeers() + counters.packetsToClients() - relayed0;
          long cpu = turnLoopCpu() - cpu0;
          report.append(
              "%,d | %,.0f | %.0f%% | %.2f%n"
                  .formatted(
                      rate,
                      relayed / (WINDOW.toNanos() / 1e9),
                      100.0 * cpu / WINDOW.toNanos(),
                      cpu / 1e3 / relayed));
        }
      } finally {
        for (TurnProbe p : clients) {
          p.close();
        }
        server.close();
        echo.interrupt();
      }
    }
    System.out.print(report);
    Files.writeString(Path.of("target", "turn-relay-cpu-per-packet.txt"), report);
  }

  /** Sends ChannelData round-robin over the clients at {@code rate} per second, for {@code d}. */
  private static void blast(List<TurnProbe> clients, TurnServer server, int rate, Duration d)
      throws Exception {
    byte[] frame = new byte[4 + PAYLOAD];
    frame[0] = 0x40; // channel 0x4000
    frame[2] = (byte) (PAYLOAD >> 8);
    frame[3] = (byte) PAYLOAD;
    frame[4] = (byte) 0x80; // RTP-like
    DatagramPacket packet = new DatagramPacket(frame, frame.length, server.udpAddress());
    long start = System.nanoTime();
    long end = start + d.toNanos();
    long sent = 0;
    int next = 0;
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        return;
      }
      long due = (now - start) * rate / 1_000_000_000L;
      while (sent < due) {
        clients.get(next).udpSocket().send(packet);
        next = (next + 1) % clients.size();
        sent++;
      }
      Thread.sleep(1);
    }
  }

  private static void echo(DatagramSocket peer) {
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    try {
      while (!Thread.currentThread().isInterrupted()) {
        p.setLength(buf.length);
        peer.receive(p);
        peer.send(p); // back to the relay address it came from
      }
    } catch (SocketException closed) {
      // the test is over
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static long turnLoopCpu() {
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().equals("visio-turn-0")) {
        return ManagementFactory.getThreadMXBean().getThreadCpuTime(t.threadId());
      }
    }
    throw new IllegalStateException("no TURN loop thread");
  }
}
