package eu.visio.media.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes' shared link sockets on loopback: datagrams reach the link whose id they carry, from
 * its peer only; anything else is dropped and counted by reason.
 */
class LinkMuxTest {
  private static final InetSocketAddress ANY =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

  private LinkMux a;
  private LinkMux b;

  @BeforeEach
  void bind() throws Exception {
    a = LinkMux.bind(ANY);
    b = LinkMux.bind(ANY);
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  /** What one link received, as text. */
  private static LinkedBlockingQueue<String> inbox(LinkMux.Link link) {
    LinkedBlockingQueue<String> q = new LinkedBlockingQueue<>();
    link.start((buf, off, len) -> q.add(new String(buf, off, len, StandardCharsets.UTF_8)));
    return q;
  }

  private static boolean send(LinkMux.Link link, String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return link.send(b, 0, b.length);
  }

  private static void pair(LinkMux.Link x, LinkMux mx, LinkMux.Link y, LinkMux my) {
    x.setPeer(my.localAddress(), y.id());
    y.setPeer(mx.localAddress(), x.id());
  }

  static void await(BooleanSupplier condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!condition.getAsBoolean() && System.nanoTime() < end) {
      Thread.sleep(5);
    }
    assertThat(condition.getAsBoolean()).isTrue();
  }

  @Test
  void twoRoomsLinksShareOneSocketAndEachGetsItsOwn() throws Exception {
    LinkMux.Link room1a = a.open();
    LinkMux.Link room2a = a.open();
    LinkMux.Link room1b = b.open();
    LinkMux.Link room2b = b.open();
    assertThat(room1a.id()).isNotEqualTo(room2a.id());
    pair(room1a, a, room1b, b);
    pair(room2a, a, room2b, b);
    var in1b = inbox(room1b);
    var in2b = inbox(room2b);
    var in1a = inbox(room1a);

    assertThat(send(room1a, "room 1")).isTrue();
    assertThat(send(room2a, "room 2")).isTrue();
    assertThat(send(room1b, "back in room 1")).isTrue();
    assertThat(in1b.poll(5, TimeUnit.SECONDS)).isEqualTo("room 1");
    assertThat(in2b.poll(5, TimeUnit.SECONDS)).isEqualTo("room 2");
    assertThat(in1a.poll(5, TimeUnit.SECONDS)).isEqualTo("back in room 1");
    assertThat(in1b).isEmpty();
    assertThat(in2b).isEmpty();
    assertThat(a.size()).isEqualTo(2);
  }

  @Test
  void aLinkWithoutItsPeerSendsNothing() {
    LinkMux.Link l = a.open();
    assertThat(send(l, "nobody")).isFalse();
  }

  @Test
  void strangersClosedLinksAndRuntsAreDroppedAndCounted() throws Exception {
    LinkMux.Link la = a.open();
    LinkMux.Link lb = b.open();
    pair(la, a, lb, b);
    var inB = inbox(lb);

    try (DatagramSocket stranger = new DatagramSocket(ANY)) {
      // The right id, from an address that is not the link's peer.
      byte[] forged = new byte[] {0, 0, 0, 0, 'x'};
      forged[0] = (byte) (lb.id() >>> 24);
      forged[1] = (byte) (lb.id() >>> 16);
      forged[2] = (byte) (lb.id() >>> 8);
      forged[3] = (byte) lb.id();
      stranger.send(new DatagramPacket(forged, forged.length, b.localAddress()));
      await(() -> b.drops(LinkMux.Drop.WRONG_SOURCE) == 1);
      // Too short for an id and a type byte.
      stranger.send(new DatagramPacket(new byte[3], 3, b.localAddress()));
      await(() -> b.drops(LinkMux.Drop.SHORT) == 1);
    }

    // A link closed, its slot taken again: the old id reaches nobody.
    int oldId = lb.id();
    lb.close();
    LinkMux.Link again = b.open();
    assertThat(again.id() & 0xFFFF).isNotEqualTo(0);
    la.setPeer(b.localAddress(), oldId);
    assertThat(send(la, "to a closed link")).isTrue();
    await(() -> b.drops(LinkMux.Drop.UNKNOWN_LINK) == 1);
    assertThat(inB).isEmpty();
  }

  @Test
  void aReusedSlotGetsANewGeneration() {
    LinkMux.Link first = a.open();
    first.close();
    LinkMux.Link next = a.open();
    assertThat(next.id() & 0xFFFF).as("the same slot").isEqualTo(first.id() & 0xFFFF);
    assertThat(next.id()).as("another generation").isNotEqualTo(first.id());
  }

  @net.jqwik.api.Property(tries = 500)
  void randomDatagramsReachALinkOnlyWithItsIdFromItsPeer(
      @net.jqwik.api.ForAll byte[] datagram, @net.jqwik.api.ForAll boolean fromPeer)
      throws Exception {
    try (LinkMux mux = LinkMux.bind(ANY)) {
      LinkMux.Link l = mux.open();
      InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_000);
      l.setPeer(peer, 7);
      int[] got = new int[1];
      l.start((buf, off, len) -> got[0]++);
      InetSocketAddress from =
          fromPeer ? peer : new InetSocketAddress(InetAddress.getLoopbackAddress(), 40_001);
      byte[] buf = java.util.Arrays.copyOf(datagram, Math.max(datagram.length, 1));
      mux.deliver(from, buf, datagram.length);
      boolean addressed =
          datagram.length >= LinkMux.ID_LENGTH + 1
              && java.nio.ByteBuffer.wrap(datagram).getInt() == l.id();
      assertThat(got[0]).isEqualTo(addressed && fromPeer ? 1 : 0);
    }
  }
}
