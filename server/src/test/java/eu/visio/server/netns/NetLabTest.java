package eu.visio.server.netns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The lab itself, with plain sockets: the server side listens in the root namespace, the client
 * speaks from inside its namespace with bash's {@code /dev/udp} and {@code /dev/tcp}. Each blocked
 * case is first shown to pass with nothing blocked, so a probe that could never succeed proves
 * nothing here.
 */
class NetLabTest {
  /** Long enough for a datagram or a SYN over a veth, short enough to keep the suite quick. */
  private static final Duration BLOCKED_WAIT = Duration.ofMillis(1500);

  @Test
  void noUdpDropsDatagramsToTheServerAndLetsTcpThrough() throws IOException {
    try (NetLab lab = NetLab.create();
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lab.serverAddress(), 0));
        ServerSocket tcp = new ServerSocket(0, 10, lab.serverAddress())) {
      assertThat(udpArrives(lab, udp)).as("a datagram, nothing blocked").isTrue();

      lab.firewall(Firewall.noUdp());
      assertThat(udpArrives(lab, udp)).as("a datagram under %s", lab.ruleset()).isFalse();
      assertThat(tcpConnects(lab, tcp)).as("TCP under %s", lab.ruleset()).isTrue();

      lab.firewall(Firewall.open());
      assertThat(udpArrives(lab, udp)).as("a datagram once the rules are gone").isTrue();
    }
  }

  /**
   * The corporate network of issue 9: only TCP to 443. The lab address is this lab's alone, so
   * binding 443 on it meets no other server (as root, the port is ours to bind).
   */
  @Test
  void onlyTcp443LetsThatPortThroughAndNothingElse() throws IOException {
    try (NetLab lab = NetLab.create();
        DatagramSocket udp = new DatagramSocket(new InetSocketAddress(lab.serverAddress(), 0));
        ServerSocket allowed = new ServerSocket(443, 10, lab.serverAddress());
        ServerSocket blocked = new ServerSocket(0, 10, lab.serverAddress())) {
      assertThat(tcpConnects(lab, blocked)).as("the other port, nothing blocked").isTrue();
      assertThat(udpArrives(lab, udp)).as("a datagram, nothing blocked").isTrue();

      lab.firewall(Firewall.onlyTcp(443));
      String rules = lab.ruleset();
      assertThat(tcpConnects(lab, allowed)).as("the allowed port under %s", rules).isTrue();
      assertThat(tcpConnects(lab, blocked)).as("another port under %s", rules).isFalse();
      assertThat(udpArrives(lab, udp)).as("a datagram under %s", rules).isFalse();
    }
  }

  /**
   * A TLS-inspecting middlebox: on 443, a connection whose data starts with a TLS handshake record
   * gets through; one that starts otherwise (an RFC 4571 frame: two bytes of length, then STUN) is
   * accepted by TCP, but its data never arrives.
   */
  @Test
  void onlyTlsTo443PassesAConnectionOpeningWithTlsAndNoOther() throws IOException {
    try (NetLab lab = NetLab.create();
        ServerSocket tls = new ServerSocket(443, 10, lab.serverAddress())) {
      String clientHello = "\\x16\\x03\\x01hello";
      String framedStun = "\\x00\\x14\\x00\\x01stun";
      assertThat(dataArrives(lab, tls, framedStun)).as("framed STUN, nothing blocked").isTrue();

      lab.firewall(Firewall.onlyTlsTo(443));
      String rules = lab.ruleset();
      assertThat(dataArrives(lab, tls, clientHello)).as("TLS under %s", rules).isTrue();
      assertThat(dataArrives(lab, tls, framedStun)).as("framed STUN under %s", rules).isFalse();
      assertThat(dataArrives(lab, tls, clientHello)).as("TLS again under %s", rules).isTrue();
    }
  }

  /**
   * A browser started in a lab must find its network settled: any address or link change after that
   * is, for Chromium, a new network (ERR_NETWORK_CHANGED). It closes its HTTP/2 sessions, with a
   * WebSocket riding on one, and WebRTC gathers again: a join through 443 then failed now and then.
   * An IPv6 link-local address did it, its duplicate address detection ending a second or two after
   * the link came up; now nothing changes on either end in the seconds after {@code create}.
   */
  @Test
  void aNewLabsNetworkNoLongerChanges() throws Exception {
    try (NetLab lab = NetLab.create()) {
      List<String> watch = List.of("/usr/bin/timeout", "3", "/usr/sbin/ip", "-o", "monitor");
      CompletableFuture<Shell.Result> host =
          CompletableFuture.supplyAsync(
              () -> Shell.run(append(watch, "address", "link"), "", Duration.ofSeconds(10)));
      Shell.Result inside =
          Shell.run(
              lab.command(append(watch, "address", "link").toArray(String[]::new)),
              "",
              Duration.ofSeconds(10));
      assertThat(inside.code()).as("timeout's code: %s", inside.output()).isEqualTo(124);
      assertThat(inside.output()).as("changes inside the lab").isBlank();
      Shell.Result outside = host.get();
      assertThat(outside.code()).as("timeout's code: %s", outside.output()).isEqualTo(124);
      assertThat(outside.output().lines().filter(l -> l.contains(lab.hostLink())))
          .as("changes to the host end")
          .isEmpty();
      assertThat(Shell.run("/usr/sbin/ip", "-n", lab.namespace(), "-6", "addr", "show").output())
          .as("IPv6 addresses in the lab")
          .doesNotContain("scope link");
    }
  }

  private static List<String> append(List<String> command, String... more) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(more));
    return all;
  }

  @Test
  void closeKillsWhatRunsInsideAndDeletesTheNamespaceAndLink() throws IOException {
    NetLab lab = NetLab.create();
    Process sleeper;
    try {
      sleeper = new ProcessBuilder(lab.command("sleep", "60")).start();
      assertThat(lab.namespaceExists()).isTrue();
      assertThat(lab.hostLinkExists()).isTrue();
    } finally {
      lab.close();
    }
    assertThat(
            sleeper.onExit().orTimeout(5, java.util.concurrent.TimeUnit.SECONDS).join().isAlive())
        .isFalse();
    assertThat(lab.namespaceExists()).isFalse();
    assertThat(lab.hostLinkExists()).isFalse();
  }

  @Test
  void aLabLeftByADeadRunIsRemovedByTheNextOne() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    long deadPid = gone.pid();
    String stale = "vt-" + deadPid + "-1";
    String staleLink = "vt" + deadPid + "h1";
    try (NetLab first = NetLab.create()) {
      // A crashed run's leftovers, built as NetLab builds them but under a pid no longer running.
      Shell.check("ip", "netns", "add", stale);
      Shell.check(
          "ip", "link", "add", staleLink, "type", "veth", "peer", "name", "lab0", "netns", stale);
      try (NetLab next = NetLab.create()) {
        assertThat(Shell.run("ip", "netns", "list").output()).doesNotContain(stale + " ");
        assertThat(Shell.run("ip", "link", "show", staleLink).ok()).isFalse();
        assertThat(first.namespaceExists()).as("a live run's lab stays").isTrue();
        assertThat(next.namespaceExists()).isTrue();
      }
    } finally {
      Shell.run("ip", "netns", "del", stale);
      Shell.run("ip", "link", "del", staleLink);
    }
  }

  /** Sends one datagram from the client to {@code socket}; whether it arrived. */
  private static boolean udpArrives(NetLab lab, DatagramSocket socket) throws IOException {
    String probe = "probe-" + System.nanoTime();
    Shell.Result sent =
        Shell.run(
            lab.command("bash", "-c", "echo -n " + probe + " > /dev/udp/" + target(socket)),
            "",
            Duration.ofSeconds(5));
    // The rules drop on the client's own output hook, where the kernel reports the drop to the
    // sender (EPERM); any other failure would be the probe's, not the network's.
    assertThat(sent.ok() || sent.output().contains("Operation not permitted"))
        .as(sent.output())
        .isTrue();
    socket.setSoTimeout((int) BLOCKED_WAIT.toMillis());
    byte[] buffer = new byte[256];
    while (true) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
      } catch (SocketTimeoutException e) {
        return false;
      }
      String got = new String(buffer, 0, packet.getLength(), StandardCharsets.US_ASCII);
      if (got.equals(probe)) {
        assertThat(packet.getAddress()).isEqualTo(lab.clientAddress());
        return true;
      }
    }
  }

  /** Opens one TCP connection from the client to {@code server}; whether it was accepted. */
  private static boolean tcpConnects(NetLab lab, ServerSocket server) throws IOException {
    long seconds = BLOCKED_WAIT.toSeconds() + 1;
    Shell.Result r =
        Shell.run(
            lab.command("timeout", seconds + "", "bash", "-c", "echo > /dev/tcp/" + target(server)),
            "",
            Duration.ofSeconds(seconds + 5));
    if (!r.ok()) {
      return false;
    }
    server.setSoTimeout((int) BLOCKED_WAIT.toMillis());
    try (Socket accepted = server.accept()) {
      assertThat(accepted.getInetAddress()).isEqualTo(lab.clientAddress());
      return true;
    }
  }

  /**
   * Opens one TCP connection from the client to {@code server} and writes {@code printf}'s
   * expansion of {@code bytes} on it; whether those bytes arrived.
   */
  private static boolean dataArrives(NetLab lab, ServerSocket server, String bytes)
      throws IOException {
    Shell.Result r =
        Shell.run(
            lab.command(
                "timeout",
                "3",
                "bash",
                "-c",
                "exec 3<>/dev/tcp/" + target(server) + " && printf '" + bytes + "' >&3 && sleep 1"),
            "",
            Duration.ofSeconds(10));
    assertThat(r.ok()).as("the TCP handshake passes either way: %s", r.output()).isTrue();
    server.setSoTimeout((int) BLOCKED_WAIT.toMillis());
    try (Socket accepted = server.accept()) {
      accepted.setSoTimeout((int) BLOCKED_WAIT.toMillis());
      try {
        return accepted.getInputStream().read() >= 0;
      } catch (SocketTimeoutException e) {
        return false;
      }
    }
  }

  private static String target(DatagramSocket s) {
    return s.getLocalAddress().getHostAddress() + "/" + s.getLocalPort();
  }

  private static String target(ServerSocket s) {
    return s.getInetAddress().getHostAddress() + "/" + s.getLocalPort();
  }
}
