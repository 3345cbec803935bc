package eu.visio.server.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.visio.media.DropReason;
import eu.visio.media.stun.StunClass;
import eu.visio.media.turn.TurnCounters;
import eu.visio.media.turn.TurnReason;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * coturn's {@code turnutils_uclient} against the TURN server as the running server wires it: a real
 * {@link VisioServer} on loopback with TURN over UDP, TCP and TLS on its (self-signed) TLS port,
 * restricted by {@link NodeRelayPolicy} to the SFU's media address. uclient derives TURN REST
 * credentials from the shared secret itself ({@code -W}). For each transport: the credentials
 * allocate and a wrong secret does not; a permission toward the media address is granted and one
 * toward anything else (another port of this host, another host) is refused with 403, and data sent
 * toward such a peer never reaches it.
 *
 * <p>What uclient cannot do here, found by running it: it always asks for a permission (or channel)
 * toward the peer port + 1 as well (its RTCP peer, even with {@code -c}) and exits at the first
 * refusal, so against a relay that reaches only the media port it never gets to send data there;
 * that data path is shown with {@link TurnProbe} instead. Its channel numbers are drawn at random
 * from RFC 5766's 0x4000-0x7FFE while this server takes RFC 8656's 0x4000-0x4FFF, so a ChannelBind
 * is refused 400 three times in four before the peer is even looked at. Over TLS it does not check
 * the server's certificate without {@code -E}, so the self-signed one does; it offers ALPN {@code
 * http/1.1, stun.turn, stun.nat-discovery}, which the TLS port answers with {@code stun.turn}.
 * Needs Debian's {@code coturn} package; skipped without it.
 */
@Tag("interop")
class WiredTurnInteropTest {
  private static final Path UCLIENT = Path.of("/usr/bin/turnutils_uclient");
  private static final String SECRET = "wired-interop-secret-0123456789abcdef";
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration RUN_LIMIT = Duration.ofSeconds(30);

  /** How uclient reaches each of the server's TURN listeners. */
  enum Transport {
    UDP(List.of()),
    TCP(List.of("-t")),
    TLS(List.of("-t", "-S"));

    final List<String> flags;

    Transport(List<String> flags) {
      this.flags = flags;
    }

    int port() {
      return switch (this) {
        case UDP -> server.turn().server().udpAddress().getPort();
        case TCP -> server.turn().server().tcpAddress().getPort();
        case TLS -> server.tlsPort();
      };
    }

    InetSocketAddress address() {
      return new InetSocketAddress(LOOPBACK, port());
    }
  }

  /** uclient's exit status and everything it printed. */
  record Run(int exit, String out) {}

  private static VisioServer server;

  /** A peer on this host that is not the media port: nothing may ever reach it. */
  private static DatagramSocket forbidden;

  @BeforeAll
  static void start() throws IOException {
    assumeTrue(Files.isExecutable(UCLIENT), "turnutils_uclient missing: apt-get install coturn");
    forbidden = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    server =
        VisioServer.start(
            new ServerConfig(
                    LOOPBACK,
                    0,
                    0,
                    List.of(InetAddress.getLoopbackAddress()),
                    true,
                    Optional.empty(),
                    1,
                    ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)))
                .withTls(ServerConfig.Tls.selfSigned(0))
                .withTurn(ServerConfig.Turn.on(0).withSecret(SECRET)));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (forbidden != null) {
      forbidden.close();
    }
  }

  /** Whatever a test did, the forbidden peer received nothing and our handler never threw. */
  @AfterEach
  void nothingReachedTheForbiddenPeer() throws IOException {
    assertThat(counters().count(TurnReason.HANDLER_ERROR)).isZero();
    // Every uclient run has ended (a lossy one ten seconds after its last send): anything
    // relayed toward the peer would be waiting in its socket.
    forbidden.setSoTimeout(100);
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    assertThatThrownBy(() -> forbidden.receive(p))
        .as("a datagram reached the forbidden peer")
        .isInstanceOf(SocketTimeoutException.class);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void restCredentialsAllocateAndThePermissionTowardTheMediaAddressIsGranted(Transport t)
      throws Exception {
    int media = server.udpPort();
    long allocations = counters().allocationsCreated();
    long refused = counters().count(TurnReason.FORBIDDEN_PEER);
    long badCredentials = counters().count(TurnReason.BAD_CREDENTIALS);

    Run run = uclient(t, SECRET, LOOPBACK, media, "-s");

    // uclient makes a probe allocation and the real one, both with the REST credentials...
    assertThat(relayAddresses(run.out())).as(run.out()).hasSize(2);
    assertThat(counters().allocationsCreated() - allocations).isEqualTo(2);
    assertThat(counters().count(TurnReason.BAD_CREDENTIALS)).isEqualTo(badCredentials);
    // ...its permission toward the SFU's media address is granted...
    assertThat(answerTo(run.out(), "create perm sent: " + LOOPBACK + ":" + media))
        .as(run.out())
        .endsWith(": success");
    // ...and the one toward the next port (its RTCP peer) refused: it then gives up (see above).
    assertThat(answerTo(run.out(), "create perm sent: " + LOOPBACK + ":" + (media + 1)))
        .as(run.out())
        .endsWith("create permission error 403 (Forbidden)");
    assertThat(counters().count(TurnReason.FORBIDDEN_PEER) - refused).isEqualTo(1);
    assertThat(run.exit()).as(run.out()).isNotZero();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aWrongSecretAllocatesNothing(Transport t) throws Exception {
    long allocations = counters().allocationsCreated();
    long badCredentials = counters().count(TurnReason.BAD_CREDENTIALS);

    Run run = uclient(t, "not-" + SECRET, LOOPBACK, server.udpPort(), "-s");

    assertThat(run.exit()).as(run.out()).isNotZero();
    assertThat(run.out()).contains("Cannot complete Allocation");
    assertThat(relayAddresses(run.out())).isEmpty();
    assertThat(counters().allocationsCreated()).isEqualTo(allocations);
    assertThat(counters().count(TurnReason.BAD_CREDENTIALS)).isGreaterThan(badCredentials);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void permissionsTowardAnyOtherPeerAreRefusedWith403(Transport t) throws Exception {
    int port = forbidden.getLocalPort();
    // Another port of this very host, and a private address behind it.
    for (String host : List.of(LOOPBACK, "10.0.0.1")) {
      long allocations = counters().allocationsCreated();
      long refused = counters().count(TurnReason.FORBIDDEN_PEER);

      Run run = uclient(t, SECRET, host, port, "-s");

      assertThat(counters().allocationsCreated() - allocations).as(host).isEqualTo(2);
      assertThat(answerTo(run.out(), "create perm sent: " + host + ":" + port))
          .as(run.out())
          .endsWith("create permission error 403 (Forbidden)");
      assertThat(counters().count(TurnReason.FORBIDDEN_PEER) - refused).as(host).isEqualTo(1);
      assertThat(run.exit()).as(run.out()).isNotZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void channelBindsTowardAnotherPeerAreRefused(Transport t) throws Exception {
    long forbiddenPeer = counters().count(TurnReason.FORBIDDEN_PEER);
    long badChannel = counters().count(TurnReason.BAD_CHANNEL);

    Run run = uclient(t, SECRET, LOOPBACK, forbidden.getLocalPort());

    // uclient's first ChannelBind (toward its RTCP peer, the port + 1) is its last: refused 403
    // for the peer, or 400 first when it drew a channel number above RFC 8656's 0x4FFF.
    String answer = answerTo(run.out(), "channel bind sent");
    assertThat(answer).as(run.out()).containsPattern("channel bind: error (403|400) ");
    long refusedForPeer = counters().count(TurnReason.FORBIDDEN_PEER) - forbiddenPeer;
    long refusedForNumber = counters().count(TurnReason.BAD_CHANNEL) - badChannel;
    assertThat(refusedForPeer).isEqualTo(answer.contains("error 403") ? 1 : 0);
    assertThat(refusedForNumber).isEqualTo(answer.contains("error 400") ? 1 : 0);
    assertThat(run.exit()).as(run.out()).isNotZero();
  }

  /**
   * Without permissions ({@code -I}) uclient sends its data in Send indications toward the peer
   * regardless: the server drops each one as toward a forbidden peer and relays none. The three
   * transports run at once: each run waits ten seconds for the echoes that never come.
   */
  @Test
  void dataTowardAnotherPeerIsDroppedAndNeverLeaves() throws Exception {
    int messages = 10;
    long relayed = counters().packetsToPeers();
    long refused = counters().count(TurnReason.FORBIDDEN_PEER);
    List<Process> runs = new ArrayList<>();
    List<Path> logs = new ArrayList<>();
    for (Transport t : Transport.values()) {
      Path log = Files.createTempFile("uclient", ".log");
      logs.add(log);
      runs.add(
          start(
              t,
              SECRET,
              LOOPBACK,
              forbidden.getLocalPort(),
              log,
              "-s",
              "-I",
              "-n",
              Integer.toString(messages)));
    }
    for (int i = 0; i < runs.size(); i++) {
      Run run = finish(runs.get(i), logs.get(i));
      assertThat(run.exit()).as(run.out()).isZero();
      assertThat(run.out()).contains("tot_send_msgs=" + messages + ", tot_recv_msgs=0");
      assertThat(run.out()).contains("Total lost packets " + messages + " (100.000000%)");
    }
    assertThat(counters().count(TurnReason.FORBIDDEN_PEER) - refused).isEqualTo(3L * messages);
    assertThat(counters().packetsToPeers()).isEqualTo(relayed);
  }

  /**
   * What uclient cannot show (see the class comment): data toward the media address is relayed. The
   * SFU receives it and drops it as not coming from a validated ICE address, which is what it does
   * with anything but STUN from an address it does not know.
   */
  @ParameterizedTest
  @EnumSource(Transport.class)
  void dataTowardTheMediaAddressIsRelayed(Transport t) throws Exception {
    ServerConfig.IceServer creds =
        server.turn().issue("probe-" + t, Duration.ofMinutes(5)).orElseThrow();
    InetSocketAddress media = new InetSocketAddress(LOOPBACK, server.udpPort());
    long relayed = counters().packetsToPeers();
    long dropped = server.drops().count(DropReason.UNKNOWN_SOURCE);
    try (TurnProbe probe =
        t == Transport.UDP
            ? TurnProbe.udp(t.address(), creds.username(), creds.credential())
            : t == Transport.TCP
                ? TurnProbe.tcp(t.address(), creds.username(), creds.credential())
                // uclient's ALPN offer, so this is the path it takes.
                : TurnProbe.tls(
                    t.address(),
                    creds.username(),
                    creds.credential(),
                    List.of("http/1.1", "stun.turn", "stun.nat-discovery"))) {
      assertThat(probe.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
      assertThat(probe.createPermission(media).messageClass())
          .isEqualTo(StunClass.SUCCESS_RESPONSE);
      byte[] rtpLike = new byte[100];
      rtpLike[0] = (byte) 0x80; // an RTP version 2 first byte: not STUN
      for (int i = 0; i < 3; i++) {
        probe.send(media, rtpLike);
      }
      awaitAtLeast(() -> counters().packetsToPeers() - relayed, 3, "relayed to the media port");
      awaitAtLeast(
          () -> server.drops().count(DropReason.UNKNOWN_SOURCE) - dropped,
          3,
          "dropped by the SFU as not ICE");
    }
    assertThat(counters().packetsToPeers() - relayed).isEqualTo(3);
  }

  private static TurnCounters counters() {
    return server.turn().server().counters();
  }

  private static void awaitAtLeast(LongSupplier value, long wanted, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (value.getAsLong() < wanted && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(value.getAsLong()).as(what).isGreaterThanOrEqualTo(wanted);
  }

  private static Run uclient(Transport t, String secret, String peer, int peerPort, String... more)
      throws Exception {
    Path log = Files.createTempFile("uclient", ".log");
    return finish(start(t, secret, peer, peerPort, log, more), log);
  }

  /**
   * uclient verbose ({@code -v}, so each request is named), one client ({@code -m 1}) without its
   * RTCP allocation ({@code -c}), an IPv4 relay ({@code -X}), five messages unless told.
   */
  private static Process start(
      Transport t, String secret, String peer, int peerPort, Path log, String... more)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.addAll(List.of(UCLIENT.toString(), "-v", "-u", "wired", "-W", secret));
    cmd.addAll(List.of("-e", peer, "-r", Integer.toString(peerPort)));
    cmd.addAll(List.of("-n", "5", "-m", "1", "-c", "-X"));
    cmd.addAll(Arrays.asList(more));
    cmd.addAll(t.flags);
    cmd.addAll(List.of("-p", Integer.toString(t.port()), LOOPBACK));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static Run finish(Process p, Path log) throws Exception {
    boolean finished;
    try {
      finished = p.waitFor(RUN_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      p.destroyForcibly();
    }
    String out = Files.readString(log, StandardCharsets.ISO_8859_1);
    Files.delete(log);
    assertThat(finished).as("uclient finished: " + out).isTrue();
    return new Run(p.exitValue(), out);
  }

  /** The relay addresses uclient was given, one per allocation. */
  private static List<String> relayAddresses(String out) {
    List<String> found = new ArrayList<>();
    Matcher m = Pattern.compile("Received relay addr: (\\S+)").matcher(out);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  /**
   * The outcome uclient printed for the request it announced with the line containing {@code sent}:
   * the first later line saying success or error. Fails if it never announced it.
   */
  private static String answerTo(String out, String sent) {
    List<String> lines = out.lines().toList();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).endsWith(sent)) {
        for (int j = i + 1; j < lines.size(); j++) {
          String l = lines.get(j);
          if (l.contains(": success") || l.contains(" error ")) {
            return l;
          }
        }
        throw new AssertionError("no answer after \"" + sent + "\" in:\n" + out);
      }
    }
    throw new AssertionError("uclient never printed \"" + sent + "\":\n" + out);
  }
}
