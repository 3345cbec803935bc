package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.visio.media.DropCounters;
import io.netty.channel.epoll.Epoll;
import io.netty.util.IllegalReferenceCountException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The recycled datagrams of a worker's own sends: reuse, bounds, and the bytes on the wire. */
@Timeout(30)
class SendEnvelopePoolTest {
  private static final InetSocketAddress A = new InetSocketAddress("192.0.2.1", 5000);
  private static final InetSocketAddress B = new InetSocketAddress("192.0.2.2", 6000);

  private static byte[] bytes(int len, int seed) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) (seed + i * 7);
    }
    return b;
  }

  private static byte[] contentOf(SendEnvelopePool.Envelope e) {
    byte[] out = new byte[e.content().readableBytes()];
    e.content().getBytes(e.content().readerIndex(), out);
    return out;
  }

  @Test
  void releasedEnvelopesComeBackInsteadOfNewOnes() {
    SendEnvelopePool pool = new SendEnvelopePool(8);
    List<SendEnvelopePool.Envelope> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(pool.take(bytes(100, i), 0, 100, A));
    }
    first.forEach(e -> assertThat(e.release()).isTrue());
    assertThat(pool.idle()).isEqualTo(3);

    Map<SendEnvelopePool.Envelope, Boolean> again = new IdentityHashMap<>();
    for (int i = 0; i < 3; i++) {
      again.put(pool.take(bytes(50, i), 0, 50, B), true);
    }
    assertThat(again.keySet()).containsExactlyInAnyOrderElementsOf(first);
    assertThat(pool.created()).isEqualTo(3);
    assertThat(pool.idle()).isZero();
  }

  @Test
  void aRefilledEnvelopeCarriesOnlyTheNewBytesAndAddress() {
    SendEnvelopePool pool = new SendEnvelopePool(1);
    byte[] big = bytes(1200, 1);
    SendEnvelopePool.Envelope e = pool.take(big, 0, 1200, A);
    assertThat(contentOf(e)).isEqualTo(big);
    assertThat(e.recipient()).isSameAs(A);
    e.release();

    // A shorter packet from the middle of a larger array, to another peer.
    byte[] src = bytes(300, 9);
    SendEnvelopePool.Envelope same = pool.take(src, 100, 60, B);
    assertThat(same).isSameAs(e);
    assertThat(contentOf(same)).isEqualTo(Arrays.copyOfRange(src, 100, 160));
    assertThat(same.recipient()).isSameAs(B);
    assertThat(same.content().isDirect()).isTrue();
  }

  @Test
  void aFullPoolSaysSoAndCountsIt() {
    SendEnvelopePool pool = new SendEnvelopePool(2);
    SendEnvelopePool.Envelope one = pool.take(bytes(10, 0), 0, 10, A);
    assertThat(pool.take(bytes(10, 1), 0, 10, A)).isNotNull();
    assertThat(pool.take(bytes(10, 2), 0, 10, A)).isNull();
    assertThat(pool.exhausted()).isEqualTo(1);
    one.release();
    assertThat(pool.take(bytes(10, 3), 0, 10, A)).isSameAs(one);
  }

  @Test
  void retainedEnvelopesReturnOnlyOnTheLastRelease() {
    SendEnvelopePool pool = new SendEnvelopePool(2);
    SendEnvelopePool.Envelope e = pool.take(bytes(10, 0), 0, 10, A);
    assertThat(e.retain()).isSameAs(e);
    assertThat(e.refCnt()).isEqualTo(2);
    assertThat(e.release()).isFalse();
    assertThat(pool.idle()).isZero();
    assertThat(e.release()).isTrue();
    assertThat(pool.idle()).isEqualTo(1);
    // A second return would hand one envelope to two sends.
    assertThatThrownBy(e::release).isInstanceOf(IllegalReferenceCountException.class);
    assertThat(pool.idle()).isEqualTo(1);
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void sendsFromTheLoopArriveIntactAndTheEnvelopesComeBack(UdpMediaPort.Io io) throws Exception {
    assumeTrue(io != UdpMediaPort.Io.EPOLL || Epoll.isAvailable(), "epoll unavailable");
    try (UdpMediaPort port =
            UdpMediaPort.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (buf, off, len) -> null,
                new DropCounters(),
                io);
        DatagramSocket peer1 = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket peer2 = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      peer1.setSoTimeout((int) Poll.DEADLINE.toMillis());
      peer2.setSoTimeout((int) Poll.DEADLINE.toMillis());
      InetSocketAddress to1 = (InetSocketAddress) peer1.getLocalSocketAddress();
      InetSocketAddress to2 = (InetSocketAddress) peer2.getLocalSocketAddress();
      MediaWorker worker = port.worker(0);
      SendEnvelopePool pool = worker.envelopes();
      // Three rounds of one task each: alternating peers and lengths (1 to 1,500 bytes), so a
      // reused envelope that kept an old length, address or byte would show on the wire.
      int[] lengths = {1, 1500, 37, 1200, 2, 900};
      for (int round = 0; round < 3; round++) {
        int r = round;
        OnLoop.call(
            worker,
            () -> {
              for (int i = 0; i < lengths.length; i++) {
                byte[] b = bytes(lengths[i], r * 16 + i);
                worker.send(b, 0, b.length, i % 2 == 0 ? to1 : to2);
              }
              return null;
            });
        for (int i = 0; i < lengths.length; i++) {
          DatagramSocket peer = i % 2 == 0 ? peer1 : peer2;
          byte[] got = new byte[2048];
          DatagramPacket p = new DatagramPacket(got, got.length);
          peer.receive(p);
          assertThat(Arrays.copyOf(got, p.getLength()))
              .as("round %d datagram %d", round, i)
              .isEqualTo(bytes(lengths[i], round * 16 + i));
          assertThat(p.getSocketAddress()).isEqualTo(port.localAddress());
        }
        // Netty released every written envelope back to the pool, on the loop.
        Poll.until(
            "the envelopes back in the pool",
            () -> OnLoop.call(worker, () -> pool.idle() == pool.created()));
      }
      int created = OnLoop.call(worker, pool::created);
      assertThat(created).isBetween(1, lengths.length);
      assertThat(OnLoop.call(worker, pool::exhausted)).isZero();
      assertThat(worker.sentCount()).isEqualTo(3L * lengths.length);
    }
  }
}
