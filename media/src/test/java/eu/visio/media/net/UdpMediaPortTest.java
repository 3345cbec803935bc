package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.ice.IceUfrags;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import io.netty.channel.epoll.Epoll;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Routing, drop accounting and sending of a real port on 127.0.0.1, on epoll and on NIO. */
@Timeout(30)
class UdpMediaPortTest {
  private static final String UFRAG = "srvA";

  private final DropCounters drops = new DropCounters();
  private final Recorder endpoint = new Recorder();
  private UdpMediaPort port;
  private DatagramSocket peer;

  /** Records what the port routes to it, with the sender. */
  private static final class Recorder implements UdpMediaPort.Endpoint {
    record Received(byte[] bytes, InetSocketAddress from) {}

    final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();

    @Override
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress remote) {
      received.add(new Received(Arrays.copyOfRange(buf, off, off + len), remote));
    }

    Received next() throws InterruptedException {
      Received r = received.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(r).as("a datagram routed to the endpoint").isNotNull();
      return r;
    }
  }

  private void open(UdpMediaPort.Io io) throws Exception {
    assumeTrue(io != UdpMediaPort.Io.EPOLL || Epoll.isAvailable(), "epoll unavailable");
    port =
        UdpMediaPort.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            IceUfrags::localUfrag,
            drops,
            io);
    port.registerUfrag(UFRAG, endpoint);
    peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    peer.setSoTimeout((int) Poll.DEADLINE.toMillis());
  }

  @AfterEach
  void close() {
    if (peer != null) {
      peer.close();
    }
    if (port != null) {
      port.close();
    }
  }

  private InetSocketAddress peerAddress() {
    return (InetSocketAddress) peer.getLocalSocketAddress();
  }

  private void send(byte[] b) throws IOException {
    peer.send(new DatagramPacket(b, b.length, port.localAddress()));
  }

  private byte[] receive() throws IOException {
    byte[] b = new byte[2048];
    DatagramPacket p = new DatagramPacket(b, b.length);
    peer.receive(p);
    return Arrays.copyOf(b, p.getLength());
  }

  /** A Binding request with USERNAME {@code username} (or none), integrity not needed here. */
  private static byte[] stun(String username) {
    byte[] b = new byte[256];
    StunWriter w =
        new StunWriter()
            .start(b, 0, b.length, StunClass.REQUEST, StunMethod.BINDING, new byte[12], 0);
    if (username != null) {
      w.addText(StunAttribute.USERNAME, username);
    }
    return Arrays.copyOf(b, w.addFingerprint().finish());
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void bindsWithTheRequestedIo(UdpMediaPort.Io io) throws Exception {
    open(io);
    assertThat(port.isNative()).isEqualTo(io == UdpMediaPort.Io.EPOLL);
    assertThat(port.localAddress().getPort()).isPositive();
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void stunNamingARegisteredUfragReachesItsEndpoint(UdpMediaPort.Io io) throws Exception {
    open(io);
    byte[] check = stun(UFRAG + ":brws");
    send(check);

    Recorder.Received r = endpoint.next();
    assertThat(r.bytes()).isEqualTo(check);
    assertThat(r.from()).isEqualTo(peerAddress());
    assertThat(drops.total()).isZero();
  }

  static Stream<Arguments> refusedFromAnUnknownAddress() {
    byte[] firstByte4 = new byte[24];
    firstByte4[0] = 4; // RFC 7983 gives 4..19 to nothing
    Object[][] cases = {
      {
        "RTP", new byte[] {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4}, DropReason.UNKNOWN_SOURCE
      },
      {
        "DTLS handshake", new byte[] {22, (byte) 0xFE, (byte) 0xFD, 0, 0}, DropReason.UNKNOWN_SOURCE
      },
      {"first byte 4", firstByte4, DropReason.UNKNOWN_SOURCE},
      {
        "STUN cut below its header",
        Arrays.copyOf(stun(UFRAG + ":x"), 19),
        DropReason.UNKNOWN_SOURCE
      },
      {"empty", new byte[0], DropReason.UNKNOWN_PROTOCOL},
      {"STUN without USERNAME", stun(null), DropReason.MALFORMED_STUN},
      {"STUN for another ufrag", stun("srvB:brws"), DropReason.UNKNOWN_UFRAG},
    };
    return Stream.of(UdpMediaPort.Io.values())
        .flatMap(io -> Stream.of(cases).map(c -> Arguments.of(io, c[0], c[1], c[2])));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource
  void refusedFromAnUnknownAddress(
      UdpMediaPort.Io io, String what, byte[] datagram, DropReason reason) throws Exception {
    open(io);
    send(datagram);
    Poll.until(reason.toString(), () -> drops.count(reason) == 1);
    assertThat(endpoint.received).isEmpty();
    assertThat(drops.total()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void boundAddressGetsAnythingUntilUnbound(UdpMediaPort.Io io) throws Exception {
    open(io);
    OnLoop.call(
        port,
        () -> {
          port.bindRemote(peerAddress(), endpoint);
          return null;
        });
    byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4};
    send(rtp);
    assertThat(endpoint.next().bytes()).isEqualTo(rtp);
    assertThat(OnLoop.boundAddressCount(port)).isEqualTo(1);

    port.unbindAll(endpoint);
    assertThat(OnLoop.boundAddressCount(port)).isZero();
    send(rtp);
    Poll.until("UNKNOWN_SOURCE", () -> drops.count(DropReason.UNKNOWN_SOURCE) == 1);
    assertThat(endpoint.received).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void anEndpointThatThrowsIsCountedAndTheLoopKeepsServing(UdpMediaPort.Io io) throws Exception {
    open(io);
    port.registerUfrag(
        "boom",
        (buf, off, len, remote) -> {
          throw new IllegalStateException("endpoint bug");
        });
    send(stun("boom:x"));
    Poll.until("ENDPOINT_ERROR", () -> drops.count(DropReason.ENDPOINT_ERROR) == 1);

    byte[] check = stun(UFRAG + ":x");
    send(check);
    assertThat(endpoint.next().bytes()).isEqualTo(check);
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void oversizedDatagramIsCountedNotRouted(UdpMediaPort.Io io) throws Exception {
    open(io);
    OnLoop.call(
        port,
        () -> {
          port.bindRemote(peerAddress(), endpoint);
          return null;
        });
    byte[] big = new byte[UdpMediaPort.MAX_DATAGRAM + 100];
    big[0] = (byte) 0x80;
    send(big);
    Poll.until("OVERSIZED", () -> drops.count(DropReason.OVERSIZED) == 1);
    assertThat(endpoint.received).isEmpty();

    byte[] largest = Arrays.copyOf(big, UdpMediaPort.MAX_DATAGRAM);
    send(largest);
    assertThat(endpoint.next().bytes()).isEqualTo(largest);
  }

  /** An endpoint's demultiplexer reads the first byte: an empty datagram must never reach it. */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void emptyDatagramIsCountedNotRouted(UdpMediaPort.Io io) throws Exception {
    open(io);
    OnLoop.call(
        port,
        () -> {
          port.bindRemote(peerAddress(), endpoint);
          return null;
        });
    byte[] rtp = {(byte) 0x80, 96, 0, 1, 0, 0, 0, 0, 1, 2, 3, 4};
    send(rtp);
    send(new byte[0]);
    send(rtp);
    assertThat(endpoint.next().bytes()).isEqualTo(rtp);
    assertThat(endpoint.next().bytes()).isEqualTo(rtp);
    Poll.until("UNKNOWN_PROTOCOL", () -> drops.count(DropReason.UNKNOWN_PROTOCOL) == 1);
    assertThat(endpoint.received).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void sendFromAnotherThreadLeavesAtOnce(UdpMediaPort.Io io) throws Exception {
    open(io);
    byte[] b = {1, 2, 3};
    port.send(b, 0, b.length, peerAddress());
    assertThat(receive()).isEqualTo(b);
  }

  /** A timer or posted task is not a receive batch; nothing else would flush its writes. */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void sendsFromALoopTaskLeaveWithoutAnyInboundTraffic(UdpMediaPort.Io io) throws Exception {
    open(io);
    port.execute(
        () -> {
          for (int i = 0; i < 3; i++) {
            byte[] b = {(byte) i};
            port.send(b, 0, 1, peerAddress());
          }
        });
    for (int i = 0; i < 3; i++) {
      assertThat(receive()).containsExactly((byte) i);
    }
    port.schedule(() -> port.send(new byte[] {9}, 0, 1, peerAddress()), 1, TimeUnit.MILLISECONDS);
    assertThat(receive()).containsExactly((byte) 9);
  }

  /** A reply sent while handling a datagram leaves with the batch (the STUN response path). */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void replyFromAnEndpointLeavesWithTheBatch(UdpMediaPort.Io io) throws Exception {
    open(io);
    port.registerUfrag("echo", (buf, off, len, remote) -> port.send(buf, off, len, remote));
    byte[] check = stun("echo:x");
    send(check);
    assertThat(receive()).isEqualTo(check);
  }
}
