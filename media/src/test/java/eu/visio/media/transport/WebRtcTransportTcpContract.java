package eu.visio.media.transport;

import static eu.visio.media.transport.MediaFixtures.pli;
import static eu.visio.media.transport.MediaFixtures.rtp;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import eu.visio.media.DropReason;
import eu.visio.media.net.Poll;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The loopback contract over ICE-TCP: a real {@link UdpMediaPort} and {@link
 * eu.visio.media.net.TcpMediaPort} on 127.0.0.1 and one {@link WebRtcTransport}, driven by a {@link
 * ClientPeer} in TCP mode (an active candidate speaking RFC 4571 frames): ICE checks, DTLS and SRTP
 * both ways, moving a connection to its transport's worker, bad input, stalls and a slow reader.
 * Subclasses pick the socket implementation.
 */
@Timeout(60)
abstract class WebRtcTransportTcpContract {
  private static final String CLIENT_UFRAG = "brws";
  private static final Duration STALL = Duration.ofMillis(400);

  private ServerSide server;
  private ClientPeer client;

  abstract UdpMediaPort.Io io();

  /** Whether clients connect to another port that hands their connections over ({@code adopt}). */
  boolean adopted() {
    return false;
  }

  private void start(int workers, int transportWorker) {
    server =
        new ServerSide(
            io(),
            CLIENT_UFRAG,
            ClientPeer.CERT.sha256Fingerprint(),
            workers,
            transportWorker,
            STALL,
            adopted());
    client = ClientPeer.overTcp(CLIENT_UFRAG, server.tcpAddress());
  }

  @AfterEach
  void tearDown() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void checkIsAnsweredOnTheConnectionAndNominationSelectsIt() {
    start(1, 0);
    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, false);

    assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(r.xorMappedAddress()).isEqualTo(client.address());
    assertThat(r.verifyMessageIntegrity(StunIntegrity.shortTerm(server.ice.pwd()))).isTrue();
    // A TCP path is the connection's, not an entry in the datagram routing table.
    assertThat(server.boundAddresses()).isZero();
    assertThat(server.transport.selectedAddress()).isNull();

    client.checkAndAwait(server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    assertThat(server.transport.selectedAddress()).isEqualTo(client.address());
  }

  @Test
  void mediaFlowsBothWaysOverTcp() throws Exception {
    start(1, 0);
    connect();
    exchangeMedia();
    assertThat(server.drops.total()).isZero();
  }

  /**
   * Netty places new connections on the workers in turn; with two workers one of two connections
   * lands on the worker that does not own the transport. Both checks are delivered on the owner
   * (worker 1 counts both frames, worker 0 none), and media flows over the moved one as well.
   */
  @Test
  void aConnectionAcceptedOnAnotherWorkerMovesToTheTransportsOwner() throws Exception {
    start(2, 1);
    ClientPeer second = ClientPeer.overTcp(CLIENT_UFRAG, server.tcpAddress());
    for (ClientPeer c : List.of(client, second)) {
      StunMessage r =
          c.checkAndAwait(server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, false);
      assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
      assertThat(r.xorMappedAddress()).isEqualTo(c.address());
    }
    assertThat(server.port.worker(1).receivedCount()).isEqualTo(2);
    assertThat(server.port.worker(0).receivedCount()).isZero();

    client.close();
    client = second;
    connect();
    exchangeMedia();
  }

  @Test
  void badFirstFramesCloseTheConnectionAndAreCounted() {
    start(1, 0);
    client.close();
    client = null;
    ListAppender<ILoggingEvent> logs = captureLogs();
    try {
      record Case(String name, byte[] wire) {}
      List<Case> cases =
          List.of(
              // A length of 0x05dd (1501): one byte over the limit; refused on the length alone.
              new Case("oversized", HexFormat.of().parseHex("05dd")),
              // A framed SRTP-range packet before any check.
              new Case("not STUN first", framed(rtp(1))),
              // A framed STUN message with no USERNAME: no check.
              new Case(
                  "STUN without a USERNAME",
                  framed(
                      HexFormat.of()
                          .parseHex("0001" + "0000" + "2112a442" + "0102030405060708090a0b0c"))));
      long expected = 0;
      for (Case c : cases) {
        try (ClientPeer peer = new ClientPeer(CLIENT_UFRAG, server.tcpAddress(), 0, false)) {
          peer.sendRaw(c.wire());
          assertThat(peer.awaitServerClose()).as(c.name()).isTrue();
          expected++;
          server.awaitDrops(DropReason.TCP_BAD_FRAME, expected);
        }
      }
      assertThat(server.dropped(DropReason.TCP_BAD_FRAME)).isEqualTo(cases.size());
      assertThat(logs.list)
          .as("nothing reached the loop as an error")
          .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
      // The transport still takes a well-behaved connection.
      try (ClientPeer good = ClientPeer.overTcp(CLIENT_UFRAG, server.tcpAddress())) {
        good.checkAndAwait(server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
      }
    } finally {
      releaseLogs(logs);
    }
  }

  /**
   * When we offer, the browser checks as soon as it has our offer, before its answer reaches us and
   * makes the transport: such a check (its ufrag not registered yet) is dropped and counted, the
   * connection kept, and the next check on it answered. Closing it made Chromium give up on the
   * pair for good (seen through the TLS port, where signalling is a little slower). A connection
   * that never names a known ufrag closes at the stall limit.
   */
  @Test
  void aCheckBeforeItsTransportExistsIsDroppedAndTheConnectionWaitsForTheNext() {
    start(1, 0);
    byte[] early =
        client.check(
            client.newTransactionId(),
            "notyet",
            server.ice.pwd(),
            ClientPeer.Role.CONTROLLING,
            false);
    client.send(early);
    server.awaitDrops(DropReason.UNKNOWN_UFRAG, 1);

    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(server.transport.selectedAddress()).isEqualTo(client.address());
    assertThat(server.dropped(DropReason.TCP_BAD_FRAME)).isZero();

    try (ClientPeer never = new ClientPeer(CLIENT_UFRAG, server.tcpAddress(), 0, false)) {
      never.send(early);
      assertThat(never.awaitServerClose()).isTrue();
    }
    assertThat(server.dropped(DropReason.TCP_STALLED)).isEqualTo(1);
    assertThat(server.dropped(DropReason.UNKNOWN_UFRAG)).isEqualTo(2);
  }

  @Test
  void aConnectionWithoutAFirstFrameIsClosedAfterTheStallLimit() {
    start(1, 0);
    client.sendRaw(new byte[] {0x00}); // half a length, then nothing

    assertThat(client.awaitServerClose()).isTrue();
    assertThat(server.dropped(DropReason.TCP_STALLED)).isEqualTo(1);
  }

  @Test
  void aRoutedConnectionHoldingHalfAFrameIsClosedAfterTheStallLimit() throws Exception {
    start(1, 0);
    client.checkAndAwait(server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    client.sendRaw(HexFormat.of().parseHex("0064" + "8060")); // 100 bytes announced, 2 sent

    client.tcpClosedByServer.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(server.dropped(DropReason.TCP_STALLED)).isEqualTo(1);
  }

  /**
   * A peer that stops reading: packets for it are dropped once its outbound buffer is over the high
   * watermark, rather than queued without bound, and the worker keeps serving others.
   */
  @Test
  void aSlowReaderLosesItsOwnPacketsAndTheWorkerGoesOn() {
    start(1, 0);
    client.close();
    client = null;
    try (ClientPeer slow = new ClientPeer(CLIENT_UFRAG, server.tcpAddress(), 4096, false)) {
      byte[] nominate =
          slow.check(
              slow.newTransactionId(),
              server.ice.ufrag(),
              server.ice.pwd(),
              ClientPeer.Role.CONTROLLING,
              true);
      slow.send(nominate);
      Poll.until("nomination", () -> slow.address().equals(server.transport.selectedAddress()));

      byte[] packet = Arrays.copyOf(rtp(1), 1200 + UdpMediaPort.TAIL_ROOM);
      // 40 MB in batches of 1,000: far more than socket buffers and the watermark hold.
      for (int batch = 0; batch < 40 && server.dropped(DropReason.TCP_SEND_FULL) == 0; batch++) {
        long start = System.nanoTime();
        server.onTransportLoop(
            () -> {
              for (int i = 0; i < 1000; i++) {
                server.transport.worker().send(packet, 0, 1200, slow.address());
              }
              return null;
            });
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("a batch of sends never waits for the peer")
            .isLessThan(Poll.DEADLINE);
      }
      assertThat(server.dropped(DropReason.TCP_SEND_FULL)).isPositive();

      try (ClientPeer other = ClientPeer.overTcp(CLIENT_UFRAG, server.tcpAddress())) {
        // Same worker, another connection: answered while the slow one is still full.
        StunMessage r =
            other.checkAndAwait(
                server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, false);
        assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
      }
    }
  }

  @Test
  void closingTheTransportClosesItsConnections() throws Exception {
    start(1, 0);
    connect();

    server.transport.close("test closes");

    client.tcpClosedByServer.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
  }

  private void connect() throws Exception {
    StunMessage r =
        client.checkAndAwait(
            server.ice.ufrag(), server.ice.pwd(), ClientPeer.Role.CONTROLLING, true);
    assertThat(r.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(server.transport.selectedAddress()).isEqualTo(client.address());
    client.startDtls(ServerSide.CERT.sha256Fingerprint());
    client.dtlsConnected.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    server.events.connected.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    assertThat(server.onTransportLoop(server.transport::isConnected)).isTrue();
  }

  private void exchangeMedia() throws Exception {
    byte[] rtp = rtp(1);
    client.sendRtp(rtp);
    assertThat(server.events.rtp.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(rtp);
    byte[] pli = pli();
    client.sendRtcp(pli);
    assertThat(server.events.rtcp.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(pli);

    byte[] down = rtp(7);
    assertThat(server.sendRtp(down)).isTrue();
    byte[] srtp = client.awaitMedia();
    int n = client.srtp().unprotectRtp(srtp, 0, srtp.length);
    assertThat(Arrays.copyOf(srtp, n)).isEqualTo(down);

    assertThat(server.sendRtcp(pli)).isTrue();
    byte[] srtcp = client.awaitMedia();
    n = client.srtp().unprotectRtcp(srtcp, 0, srtcp.length);
    assertThat(Arrays.copyOf(srtcp, n)).isEqualTo(pli);
  }

  private static byte[] framed(byte[] packet) {
    byte[] b = new byte[packet.length + 2];
    b[0] = (byte) (packet.length >>> 8);
    b[1] = (byte) packet.length;
    System.arraycopy(packet, 0, b, 2, packet.length);
    return b;
  }

  private static ListAppender<ILoggingEvent> captureLogs() {
    ch.qos.logback.classic.Logger root =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    root.addAppender(logs);
    return logs;
  }

  private static void releaseLogs(ListAppender<ILoggingEvent> logs) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .detachAppender(logs);
  }
}
