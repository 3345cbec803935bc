package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.net.Poll;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every refusal and drop the server makes, each seen by a client and counted with its reason. */
class TurnRefusalTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<AutoCloseable> open = new ArrayList<>();
  private EchoPeer echo;
  private TurnServer server;

  @BeforeEach
  void peer() throws Exception {
    echo = new EchoPeer();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : open.reversed()) {
      c.close();
    }
    if (server != null) {
      server.close();
    }
    echo.close();
  }

  private void start(UnaryOperator<TurnConfig.Builder> settings) throws InterruptedException {
    TurnConfig.Builder b =
        TurnConfig.builder(
                "visio.test", "s3cret", LOOPBACK, RelayPolicy.peers(List.of(echo.address())))
            .listen(new InetSocketAddress(LOOPBACK, 0), new InetSocketAddress(LOOPBACK, 0));
    server = TurnServer.start(settings.apply(b).build(), clock);
  }

  private TurnTestClient client(String identity) throws IOException {
    TurnTestClient c = TurnTestClient.udp(server.udpAddress());
    open.add(c);
    var credential = server.credentials().issue(identity, Duration.ofHours(1));
    c.credentials(credential.username(), credential.password());
    return c;
  }

  /** A signed UDP Allocate from {@code identity} carrying {@code extra} attributes too. */
  private StunMessage allocateWith(String identity, Consumer<StunWriter> extra) throws IOException {
    return client(identity)
        .request(
            StunMethod.ALLOCATE,
            w -> {
              w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24);
              extra.accept(w);
            });
  }

  private long count(TurnReason reason) {
    return server.counters().count(reason);
  }

  @Test
  void unsignedRequestIsChallengedWithRealmAndNonce() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    StunMessage answer =
        c.requestOnce(
            StunMethod.ALLOCATE,
            w -> w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24),
            false);
    assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
    assertThat(answer.realm()).isEqualTo("visio.test");
    assertThat(answer.nonce()).hasSize(32);
    assertThat(answer.hasMessageIntegrity()).isFalse();
    assertThat(count(TurnReason.CHALLENGED)).isEqualTo(1);
  }

  @Test
  void wrongPasswordIs401() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    var good = server.credentials().issue("alice", Duration.ofMinutes(5));
    c.credentials(good.username(), good.password() + "x");
    StunMessage answer = c.allocate();
    assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
    assertThat(count(TurnReason.BAD_CREDENTIALS)).isEqualTo(1);
    assertThat(server.allocationCount()).isZero();
  }

  @Test
  void usernameForgedWithAnotherSecretIs401() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    var forged = new TurnCredentials("other", clock).issue("alice", Duration.ofMinutes(5));
    c.credentials(forged.username(), forged.password());
    assertThat(c.allocate().errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
    assertThat(count(TurnReason.BAD_CREDENTIALS)).isEqualTo(1);
  }

  @Test
  void expiredUsernameIs401() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    var credential = server.credentials().issue("alice", Duration.ofSeconds(30));
    c.credentials(credential.username(), credential.password());
    clock.advance(Duration.ofSeconds(31));
    assertThat(c.allocate().errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
    assertThat(count(TurnReason.EXPIRED_USERNAME)).isEqualTo(1);
    assertThat(count(TurnReason.BAD_CREDENTIALS)).isZero();
  }

  @Test
  void forgedNonceIs438WithAFreshOneThatWorks() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    StunMessage challenge = c.requestOnce(StunMethod.REFRESH, w -> {}, false); // the realm
    c.nonce("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    realmOf(c, challenge);
    StunMessage answer = c.allocate(); // 438, then the client retries with the fresh nonce
    assertThat(count(TurnReason.STALE_NONCE)).isEqualTo(1);
    assertThat(answer.messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
  }

  @Test
  void expiredNonceIs438() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    assertThat(c.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    String first = c.nonce();
    clock.advance(TurnNonces.VALIDITY.plusSeconds(1));
    StunMessage answer =
        c.requestOnce(StunMethod.REFRESH, w -> w.addUint32(StunAttribute.LIFETIME, 600), true);
    assertThat(answer.errorCode()).isEqualTo(StunErrorCode.STALE_NONCE);
    assertThat(answer.nonce()).isNotEqualTo(first);
    assertThat(c.signedByServer(answer)).isTrue();
    assertThat(count(TurnReason.STALE_NONCE)).isEqualTo(1);
  }

  @Test
  void peersOutsideThePolicyAre403AndDropped() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    assertThat(c.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    InetSocketAddress otherPort = new InetSocketAddress(LOOPBACK, echo.address().getPort() + 1);
    InetSocketAddress outside = new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 3480);

    StunMessage p = c.createPermission(otherPort);
    assertThat(p.errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
    assertThat(c.signedByServer(p)).isTrue();
    assertThat(c.createPermission(outside).errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
    assertThat(c.channelBind(0x4000, outside).errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
    // All or nothing: an allowed peer next to a forbidden one installs neither.
    StunMessage both =
        c.request(
            StunMethod.CREATE_PERMISSION,
            w ->
                w.addXorAddress(
                        StunAttribute.XOR_PEER_ADDRESS,
                        echo.address().getAddress(),
                        echo.address().getPort())
                    .addXorAddress(
                        StunAttribute.XOR_PEER_ADDRESS, outside.getAddress(), outside.getPort()));
    assertThat(both.errorCode()).isEqualTo(StunErrorCode.FORBIDDEN);
    assertThat(count(TurnReason.FORBIDDEN_PEER)).isEqualTo(4);

    c.send(outside, new byte[] {1});
    c.send(echo.address(), new byte[] {2}); // allowed by the policy, but no permission
    Poll.until("sends counted", () -> count(TurnReason.FORBIDDEN_PEER) == 5);
    Poll.until("no permission counted", () -> count(TurnReason.NO_PERMISSION_OUTBOUND) == 1);
    assertThat(echo.received.get()).isZero();
    assertThat(server.counters().packetsToPeers()).isZero();
  }

  @Test
  void inboundFromAPeerWithoutPermissionIsDropped() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    InetSocketAddress relayed = c.allocate().address(StunAttribute.XOR_RELAYED_ADDRESS);
    try (DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
      stranger.send(new DatagramPacket(new byte[] {9, 9}, 2, relayed));
      Poll.until("dropped", () -> count(TurnReason.NO_PERMISSION_INBOUND) == 1);
    }
    // The echo peer is allowed but has no permission yet either.
    assertThat(c.receive()).isNull();
    assertThat(server.counters().packetsToClients()).isZero();
  }

  @Test
  void identityQuotaIs486AndServerCapacityIs508() throws Exception {
    start(b -> b.allocationQuotas(2, 3));
    assertThat(client("alice").allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(client("alice").allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    StunMessage third = client("alice").allocate();
    assertThat(third.errorCode()).isEqualTo(StunErrorCode.ALLOCATION_QUOTA_REACHED);
    assertThat(count(TurnReason.USER_QUOTA)).isEqualTo(1);
    assertThat(client("bob").allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(client("carol").allocate().errorCode())
        .isEqualTo(StunErrorCode.INSUFFICIENT_CAPACITY);
    assertThat(count(TurnReason.CAPACITY)).isEqualTo(1);
    assertThat(server.allocationCount()).isEqualTo(3);
  }

  @Test
  void secondAllocateOnTheSameFiveTupleIs437() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    assertThat(c.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    assertThat(c.allocate().errorCode()).isEqualTo(StunErrorCode.ALLOCATION_MISMATCH);
    assertThat(client("bob").refresh(600).errorCode()).isEqualTo(StunErrorCode.ALLOCATION_MISMATCH);
    assertThat(count(TurnReason.ALLOCATION_MISMATCH)).isEqualTo(2);
  }

  @Test
  void tcpRelayTransportIs442() throws Exception {
    start(b -> b);
    StunMessage answer =
        client("alice")
            .request(
                StunMethod.ALLOCATE, w -> w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 6L << 24));
    assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNSUPPORTED_TRANSPORT_PROTOCOL);
    assertThat(count(TurnReason.UNSUPPORTED_TRANSPORT)).isEqualTo(1);
  }

  @Test
  void channelNumbersOutsideTheRangeAre400() throws Exception {
    start(b -> b);
    TurnTestClient c = client("alice");
    c.allocate();
    assertThat(c.channelBind(0x5000, echo.address()).errorCode())
        .isEqualTo(StunErrorCode.BAD_REQUEST);
    assertThat(c.channelBind(0x3FFF, echo.address()).errorCode())
        .isEqualTo(StunErrorCode.BAD_REQUEST);
    assertThat(c.channelBind(0x4000, echo.address()).messageClass())
        .isEqualTo(StunClass.SUCCESS_RESPONSE);
    // The peer is bound to 0x4000: another number for it is refused (RFC 8656 §12.2).
    assertThat(c.channelBind(0x4001, echo.address()).errorCode())
        .isEqualTo(StunErrorCode.BAD_REQUEST);
    assertThat(count(TurnReason.BAD_CHANNEL)).isEqualTo(3);
  }

  @Test
  void rfc5766RangeOnlyWhenAsked() throws Exception {
    start(b -> b.rfc5766Channels(true));
    TurnTestClient c = client("alice");
    c.allocate();
    assertThat(c.channelBind(0x7FFF, echo.address()).errorCode())
        .isEqualTo(StunErrorCode.BAD_REQUEST);
    assertThat(c.channelBind(0x7FFE, echo.address()).messageClass())
        .isEqualTo(StunClass.SUCCESS_RESPONSE);
    c.sendChannelData(0x7FFE, new byte[] {7});
    assertThat(c.receive()).containsExactly(0x7F, 0xFE, 0, 1, 7);
  }

  @Test
  void evenPortGivesAnEvenRelayPort() throws Exception {
    start(b -> b);
    for (int i = 0; i < 4; i++) {
      StunMessage answer =
          allocateWith(
              "u" + i, w -> w.addBytes(StunAttribute.EVEN_PORT, new byte[] {(byte) 0x80}, 0, 1));
      assertThat(answer.address(StunAttribute.XOR_RELAYED_ADDRESS).getPort() % 2).isZero();
      assertThat(answer.has(StunAttribute.RESERVATION_TOKEN)).isFalse();
    }
  }

  @Test
  void unknownComprehensionRequiredAttributeIs420() throws Exception {
    start(b -> b);
    StunMessage answer = allocateWith("alice", w -> w.addFlag(StunAttribute.DONT_FRAGMENT));
    assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNKNOWN_ATTRIBUTE);
    assertThat(answer.valueEquals(StunAttribute.UNKNOWN_ATTRIBUTES, new byte[] {0, 0x1A}, 0, 2))
        .isTrue();
    assertThat(count(TurnReason.UNKNOWN_ATTRIBUTE)).isEqualTo(1);
  }

  /** However many unknown attributes a request holds, the answer lists 16 and fits. */
  @Test
  void manyUnknownAttributesAreListedUpToSixteen() throws Exception {
    start(b -> b);
    StunMessage answer =
        allocateWith(
            "alice",
            w -> {
              for (int t = 0x7000; t < 0x7000 + 100; t++) {
                w.addFlag(t);
              }
            });
    assertThat(answer.errorCode()).isEqualTo(StunErrorCode.UNKNOWN_ATTRIBUTE);
    int i = answer.indexOf(StunAttribute.UNKNOWN_ATTRIBUTES);
    assertThat(answer.attributeValueLength(i)).isEqualTo(32);
    assertThat(count(TurnReason.HANDLER_ERROR)).isZero();
  }

  @Test
  void oversizedChannelDataIsDropped() throws Exception {
    start(b -> b.maxPayload(200));
    TurnTestClient c = client("alice");
    c.allocate();
    c.channelBind(0x4000, echo.address());
    c.sendChannelData(0x4000, new byte[201]); // within the datagram limit, over the payload one
    c.sendChannelData(0x4000, new byte[400]); // over the datagram limit
    c.sendChannelData(0x4000, new byte[200]);
    assertThat(c.receive()).hasSize(204);
    assertThat(count(TurnReason.OVERSIZED)).isEqualTo(2);
    assertThat(echo.received.get()).isEqualTo(1);
  }

  @Test
  void allocationFloodFromOneAddressIsCut() throws Exception {
    start(b -> b.allocationRate(0.001, 3));
    for (int i = 0; i < 3; i++) {
      assertThat(client("u" + i).allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }
    TurnTestClient late = client("u3");
    StunMessage challenge = late.requestOnce(StunMethod.REFRESH, w -> {}, false);
    realmOf(late, challenge);
    late.nonce(challenge.nonce());
    try {
      late.requestOnce(
          StunMethod.ALLOCATE,
          w -> w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24),
          true);
      throw new IllegalStateException("the flood was answered");
    } catch (AssertionError expected) {
      assertThat(expected).hasMessageContaining("no answer");
    }
    assertThat(count(TurnReason.ALLOCATION_RATE_LIMITED)).isEqualTo(1);
    assertThat(server.allocationCount()).isEqualTo(3);
  }

  @Test
  void requestFloodIsCut() throws Exception {
    start(b -> b.requestRate(0.001, 5));
    TurnTestClient c = client("alice");
    for (int i = 0; i < 5; i++) {
      c.requestOnce(StunMethod.BINDING, w -> {}, false);
    }
    for (int i = 0; i < 3; i++) {
      c.sendRaw(bindingRequest());
    }
    Poll.until("flood counted", () -> count(TurnReason.RATE_LIMITED) == 3);
    assertThat(c.receive()).isNull();
  }

  @Test
  void tcpConnectionsPerSourceAreCapped() throws Exception {
    start(b -> b.tcpLimits(2, Duration.ofSeconds(30)));
    TurnTestClient a = TurnTestClient.tcp(server.tcpAddress());
    TurnTestClient b = TurnTestClient.tcp(server.tcpAddress());
    open.add(a);
    open.add(b);
    try (Socket third =
        new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort())) {
      third.setSoTimeout(3000);
      assertThat(third.getInputStream().read()).isEqualTo(-1); // closed by the server
    }
    assertThat(count(TurnReason.TCP_CONNECTION_LIMIT)).isEqualTo(1);
  }

  @Test
  void stalledPartialFrameClosesTheConnection() throws Exception {
    start(b -> b.tcpLimits(4, Duration.ofMillis(300)));
    try (Socket s = new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(new byte[] {0, 1, 0}); // three bytes of a STUN header
      InputStream in = s.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    }
    assertThat(count(TurnReason.TCP_STALLED)).isEqualTo(1);
  }

  @Test
  void streamThatIsNotTurnIsClosed() throws Exception {
    // 0x80-0xFF starts neither STUN nor ChannelData (RFC 8656 §12.4): the stream cannot be
    // resynced.
    start(b -> b);
    try (Socket s = new Socket(server.tcpAddress().getAddress(), server.tcpAddress().getPort())) {
      s.setSoTimeout(5000);
      s.getOutputStream().write(new byte[] {(byte) 0x80, 0x60, 0, 1, 0, 0, 0, 0});
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(count(TurnReason.MALFORMED)).isEqualTo(1);
  }

  private static void realmOf(TurnTestClient c, StunMessage challenge) {
    c.realm(challenge.realm());
  }

  private static byte[] bindingRequest() {
    byte[] b = new byte[20];
    b[1] = 0x01;
    b[4] = 0x21;
    b[5] = 0x12;
    b[6] = (byte) 0xA4;
    b[7] = 0x42;
    b[19] = 7;
    return b;
  }
}
