package eu.visio.loadtest.bot;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.turn.MutableClock;
import eu.visio.media.turn.RelayPolicy;
import eu.visio.media.turn.TurnConfig;
import eu.visio.media.turn.TurnCounters;
import eu.visio.media.turn.TurnCredentials;
import eu.visio.media.turn.TurnReason;
import eu.visio.media.turn.TurnServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bot's TURN client against a real {@link TurnServer} on loopback whose relay policy allows one
 * UDP echo peer: the whole exchange (401 challenge, Allocate, CreatePermission, ChannelBind, data
 * both ways, Refresh with a stale nonce) and the server's refusals.
 */
class TurnChannelTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String SECRET = "a-test-secret-of-at-least-32-bytes!!";
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
  private DatagramSocket echo;
  private Thread echoThread;
  private volatile InetSocketAddress echoedFrom;
  private TurnServer server;
  private DatagramSocket client;
  private final byte[] rx = new byte[2048];
  private final List<byte[]> sent = new ArrayList<>();
  private String failure;
  private long nanosAhead;

  // --- Against a TurnServer ---

  @BeforeEach
  void startServer() throws Exception {
    echo = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    echoThread =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  byte[] b = new byte[2048];
                  try {
                    while (true) {
                      DatagramPacket p = new DatagramPacket(b, b.length);
                      echo.receive(p);
                      echoedFrom = (InetSocketAddress) p.getSocketAddress();
                      echo.send(p);
                    }
                  } catch (java.io.IOException e) {
                    // closed
                  }
                });
    server =
        TurnServer.start(
            TurnConfig.builder(
                    "visio",
                    SECRET,
                    LOOPBACK,
                    RelayPolicy.peers(Set.of((InetSocketAddress) echo.getLocalSocketAddress())))
                .listen(new InetSocketAddress(LOOPBACK, 0), null)
                .io(UdpMediaPort.Io.NIO)
                .build(),
            clock);
    client = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
    client.connect(server.udpAddress());
    client.setSoTimeout(20);
  }

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
    echo.close();
    echoThread.join(2000);
  }

  private TurnRoute route(String password) {
    TurnCredentials.Credential c = server.credentials().issue("bot-1", Duration.ofHours(1));
    return new TurnRoute(
        server.udpAddress(), c.username(), password == null ? c.password() : password);
  }

  private InetSocketAddress echoAddress() {
    return (InetSocketAddress) echo.getLocalSocketAddress();
  }

  @Test
  void allocatesThroughTheChallengeAndRelaysBothWays() throws Exception {
    TurnChannel ch = wired(route(null), echoAddress());
    pumpUntil(ch, ch::ready);
    TurnCounters c = server.counters();
    assertThat(c.count(TurnReason.CHALLENGED)).as("the first Allocate was challenged").isEqualTo(1);
    assertThat(c.allocationsCreated()).isEqualTo(1);
    assertThat(ch.relayed().getAddress()).isEqualTo(LOOPBACK);

    ByteBuffer tx = ByteBuffer.allocate(64);
    ch.wrap(tx, bytes("0102030405"), 5);
    client.send(new DatagramPacket(tx.array(), tx.position()));
    int n = pumpUntilPayload(ch);
    assertThat(HEX.formatHex(rx, 0, n)).as("the echo, unwrapped").isEqualTo("0102030405");
    assertThat(echoedFrom).as("the peer saw the relayed address").isEqualTo(ch.relayed());
    assertThat(c.packetsToPeers()).isEqualTo(1);
    assertThat(c.packetsToClients()).isEqualTo(1);
    assertThat(c.total() - c.count(TurnReason.CHALLENGED))
        .as("nothing refused or dropped")
        .isZero();
  }

  @Test
  void refreshesAtHalfTheLifetimeRetryingAStaleNonce() throws Exception {
    TurnChannel ch = wired(route(null), echoAddress());
    pumpUntil(ch, ch::ready);
    // 301 s later by the bot's clock (the default lifetime is 600 s): time to refresh; 11 minutes
    // later by the server's, so the nonce of the Allocate has gone stale (10 minutes).
    clock.advance(Duration.ofMinutes(11));
    nanosAhead = Duration.ofSeconds(301).toNanos();
    pumpUntil(ch, () -> ch.refreshes() == 1);
    assertThat(server.counters().count(TurnReason.STALE_NONCE)).isEqualTo(1);
    assertThat(ch.failure()).isNull();
    long refreshes =
        sent.stream()
            .filter(b -> StunMessage.isStun(b, 0, b.length))
            .filter(
                b -> StunMethod.methodOf((b[0] & 0xFF) << 8 | (b[1] & 0xFF)) == StunMethod.REFRESH)
            .count();
    assertThat(refreshes).as("Refresh, refused as stale, then again").isEqualTo(2);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        Arguments.of("wrong password", "not-the-password", 0, "ALLOCATE refused: 401"),
        Arguments.of("a peer the policy refuses", null, 1, "PERMIT refused: 403"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void failsWithTheServersRefusal(String what, String password, int portOffset, String reason)
      throws Exception {
    InetSocketAddress e = echoAddress();
    TurnChannel ch =
        wired(route(password), new InetSocketAddress(e.getAddress(), e.getPort() + portOffset));
    pumpUntil(ch, () -> ch.failure() != null);
    assertThat(failure).startsWith("TURN " + reason);
    assertThat(ch.ready()).isFalse();
  }

  // --- Helpers ---

  private TurnChannel wired(TurnRoute route, InetSocketAddress peer) {
    return new TurnChannel(
        route,
        peer,
        (b, len) -> {
          sent.add(Arrays.copyOf(b, len));
          try {
            client.send(new DatagramPacket(b, len));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        this::failed);
  }

  private void failed(String reason) {
    failure = reason;
  }

  /** Ticks and feeds what arrives until {@code done}; fails the test at the deadline. */
  private void pumpUntil(TurnChannel ch, BooleanSupplier done) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      assertThat(System.nanoTime()).as("before the deadline").isLessThan(deadline);
      ch.tick(System.nanoTime() + nanosAhead);
      receive(ch);
    }
  }

  /** Pumps until ChannelData arrives; returns its payload length (the payload is in rx). */
  private int pumpUntilPayload(TurnChannel ch) throws Exception {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    while (true) {
      assertThat(System.nanoTime()).as("before the deadline").isLessThan(deadline);
      ch.tick(System.nanoTime() + nanosAhead);
      int n = receive(ch);
      if (n >= 0) {
        return n;
      }
    }
  }

  private int receive(TurnChannel ch) throws Exception {
    DatagramPacket p = new DatagramPacket(rx, rx.length);
    try {
      client.receive(p);
    } catch (SocketTimeoutException e) {
      return -1;
    }
    return ch.onDatagram(rx, p.getLength(), System.nanoTime() + nanosAhead);
  }

  private static byte[] bytes(String hex) {
    return HEX.parseHex(hex.replace(" ", ""));
  }
}
