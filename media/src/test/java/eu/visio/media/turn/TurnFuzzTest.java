package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.net.Poll;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunCredentials;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Untrusted input never makes the server throw: random and mutated bytes go to the stream framer
 * (which may only raise {@link TurnParseException}) and to the message handler, both for a client
 * without an allocation and for one with an allocation, a permission and a channel; random peer
 * datagrams go to the relay path. A throw would be counted as {@link TurnReason#HANDLER_ERROR}.
 */
class TurnFuzzTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final InetSocketAddress PEER = new InetSocketAddress(LOOPBACK, 40000);
  private static TurnServer server;
  private static FakeLink fresh;
  private static FakeLink allocated;
  private static byte[] signedRefresh;

  /** A client link that keeps what the server sends it. */
  static final class FakeLink extends ClientLink {
    final boolean stream;
    byte[] last;

    FakeLink(int port, boolean stream) {
      super(new InetSocketAddress(LOOPBACK, port));
      this.stream = stream;
    }

    @Override
    boolean stream() {
      return stream;
    }

    @Override
    ByteBufAllocator alloc() {
      return ByteBufAllocator.DEFAULT;
    }

    @Override
    boolean send(ByteBuf out) {
      last = new byte[out.readableBytes()];
      out.readBytes(last);
      out.release();
      return true;
    }

    @Override
    void allocationGone() {}
  }

  @BeforeContainer
  static void start() throws Exception {
    server =
        TurnServer.start(
            TurnConfig.builder("visio.test", "s3cret", LOOPBACK, RelayPolicy.peers(List.of(PEER)))
                .listen(null, null)
                .maxPayload(300)
                .build());
    fresh = new FakeLink(50001, false);
    allocated = new FakeLink(50002, true);
    var c = server.credentials().issue("fuzz", Duration.ofHours(1));
    StunIntegrity key =
        new StunIntegrity(StunCredentials.longTermKey(c.username(), "visio.test", c.password()));
    onLoop(() -> feed(allocated, request(StunMethod.ALLOCATE, null, null, null)));
    StunMessage challenge = StunMessage.parse(allocated.last, 0, allocated.last.length);
    String nonce = challenge.nonce();
    byte[] allocate = request(StunMethod.ALLOCATE, c.username(), nonce, key);
    onLoop(() -> feed(allocated, allocate));
    Poll.until("allocated", () -> onLoop(() -> allocated.allocation != null));
    onLoop(() -> feed(allocated, request(StunMethod.CREATE_PERMISSION, c.username(), nonce, key)));
    onLoop(() -> feed(allocated, request(StunMethod.CHANNEL_BIND, c.username(), nonce, key)));
    assertThat(StunMessage.parse(allocated.last, 0, allocated.last.length).messageClass())
        .isEqualTo(StunClass.SUCCESS_RESPONSE);
    signedRefresh = request(StunMethod.REFRESH, c.username(), nonce, key);
  }

  @AfterContainer
  static void stop() {
    server.close();
  }

  private static byte[] request(int method, String username, String nonce, StunIntegrity key) {
    byte[] b = new byte[512];
    StunWriter w = new StunWriter();
    w.start(b, 0, b.length, StunClass.REQUEST, method, new byte[12], 0);
    switch (method) {
      case StunMethod.ALLOCATE -> w.addUint32(StunAttribute.REQUESTED_TRANSPORT, 17L << 24);
      case StunMethod.CHANNEL_BIND ->
          w.addUint32(StunAttribute.CHANNEL_NUMBER, 0x4000L << 16)
              .addXorAddress(StunAttribute.XOR_PEER_ADDRESS, LOOPBACK, PEER.getPort());
      case StunMethod.CREATE_PERMISSION ->
          w.addXorAddress(StunAttribute.XOR_PEER_ADDRESS, LOOPBACK, PEER.getPort());
      default -> w.addUint32(StunAttribute.LIFETIME, 700);
    }
    if (key != null) {
      w.addText(StunAttribute.USERNAME, username)
          .addText(StunAttribute.REALM, "visio.test")
          .addText(StunAttribute.NONCE, nonce)
          .addMessageIntegrity(key);
    }
    return Arrays.copyOf(b, w.finish());
  }

  private static Void feed(ClientLink link, byte[] b) {
    server.handler().onClientMessage(link, b, 0, b.length);
    server.handler().flushAll();
    return null;
  }

  private static <T> T onLoop(Callable<T> task) {
    try {
      return server.loop().submit(task).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("handler threw", e);
    }
  }

  @Property(tries = 2000)
  void randomMessages(@ForAll @Size(max = 400) byte[] bytes) {
    handle(bytes, bytes.length);
  }

  @Property(tries = 4000)
  void mutatedMessages(
      @ForAll("fixture") byte[] original,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 200) Integer> positions,
      @ForAll byte value,
      @ForAll @IntRange(min = -8, max = 8) int lengthDelta) {
    byte[] b = original.clone();
    for (int p : positions) {
      b[p % b.length] ^= value == 0 ? 1 : value;
    }
    handle(b, Math.clamp(b.length + lengthDelta, 0, b.length));
  }

  @Property(tries = 500)
  void randomPeerDatagrams(@ForAll @Size(max = 400) byte[] bytes, @ForAll boolean permitted) {
    InetSocketAddress from = permitted ? PEER : new InetSocketAddress(LOOPBACK, 40001);
    onLoop(
        () -> {
          Allocation a = allocated.allocation;
          if (a != null) {
            server.handler().onPeerData(a, from, Unpooled.wrappedBuffer(bytes));
          }
          return null;
        });
    assertThat(server.counters().count(TurnReason.HANDLER_ERROR)).isZero();
  }

  /** Split anywhere, random streams only ever raise our parse exception. */
  @Property(tries = 2000)
  void randomStreams(@ForAll @Size(max = 600) byte[] bytes, @ForAll @IntRange(max = 600) int cut) {
    TurnFrameReader reader = new TurnFrameReader(300);
    int at = Math.min(cut, bytes.length);
    TurnFrameReader.Sink sink =
        new TurnFrameReader.Sink() {
          @Override
          public void onFrame(byte[] buf, int off, int len) {
            assertThat(len).isBetween(4, 300);
          }

          @Override
          public void onOversized() {}
        };
    try {
      reader.read(Unpooled.wrappedBuffer(bytes, 0, at), sink);
      reader.read(Unpooled.wrappedBuffer(bytes, at, bytes.length - at), sink);
    } catch (TurnParseException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> fixture() {
    return Arbitraries.of(
        TurnMessagesTest.ALLOCATE_REQUEST,
        TurnMessagesTest.REFRESH_DELETE,
        TurnMessagesTest.CREATE_PERMISSION,
        TurnMessagesTest.CHANNEL_BIND,
        TurnMessagesTest.SEND_INDICATION,
        TurnMessagesTest.CHANNEL_DATA_STREAM,
        signedRefresh);
  }

  private static void handle(byte[] b, int len) {
    for (FakeLink link : new FakeLink[] {fresh, allocated}) {
      onLoop(
          () -> {
            server.handler().onClientMessage(link, b, 0, len);
            server.handler().flushAll();
            return null;
          });
    }
    assertThat(server.counters().count(TurnReason.HANDLER_ERROR)).isZero();
  }
}
