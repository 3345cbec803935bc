package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A port with several media workers: datagrams reach their endpoint's owner whichever socket the
 * kernel picked, the owner answers from its own thread, and a stalled owner costs drops, not waits.
 */
@Timeout(60)
class UdpMediaPortWorkersTest {
  private static final String UFRAG = "own1";

  private final DropCounters drops = new DropCounters();
  private final List<DatagramSocket> peers = new ArrayList<>();
  private UdpMediaPort port;

  /** What an endpoint saw of one datagram, and whether it ran on its owner's thread. */
  @SuppressWarnings("ArrayRecordComponent") // a copy, compared by its fields
  record Seen(byte[] bytes, InetSocketAddress from, boolean onOwner) {}

  /** Records every datagram; optionally echoes it back through its owner. */
  private static final class OwnedEndpoint implements UdpMediaPort.Endpoint {
    final MediaWorker owner;
    final boolean echo;
    final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    OwnedEndpoint(MediaWorker owner, boolean echo) {
      this.owner = owner;
      this.echo = echo;
    }

    @Override
    public void onDatagram(byte[] buf, int off, int len, InetSocketAddress remote) {
      seen.add(new Seen(Arrays.copyOfRange(buf, off, off + len), remote, owner.inEventLoop()));
      if (echo) {
        owner.send(buf, off, len, remote);
      }
    }

    Seen next() throws InterruptedException {
      Seen s = seen.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
      assertThat(s).as("a datagram routed to the endpoint").isNotNull();
      return s;
    }
  }

  private void open(UdpMediaPort.Io io, int workers) throws Exception {
    assumeTrue(io != UdpMediaPort.Io.EPOLL || Epoll.isAvailable(), "epoll unavailable");
    port =
        UdpMediaPort.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            IceUfrags::localUfrag,
            drops,
            io,
            workers);
  }

  @AfterEach
  void close() {
    peers.forEach(DatagramSocket::close);
    if (port != null) {
      port.close();
    }
  }

  /** A new peer socket on its own ephemeral port: a new 4-tuple for the kernel's hash. */
  private DatagramSocket newPeer() throws IOException {
    DatagramSocket s =
        new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    s.setSoTimeout((int) Poll.DEADLINE.toMillis());
    peers.add(s);
    return s;
  }

  private void send(DatagramSocket from, byte[] b) throws IOException {
    from.send(new DatagramPacket(b, b.length, port.localAddress()));
  }

  /** Runs {@code task} on {@code worker} and waits for its result. */
  private static <T> T on(MediaWorker worker, Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    worker.execute(
        () -> {
          try {
            result.complete(task.get());
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("worker task failed", e);
    }
  }

  /** Exact: read on the worker that counts. */
  private static long received(MediaWorker w) {
    return on(w, w::receivedCount);
  }

  /** A Binding request for {@code UFRAG} whose transaction id carries {@code n}. */
  private static byte[] stun(int n) {
    byte[] b = new byte[256];
    byte[] txId = ByteBuffer.allocate(12).putInt(8, n).array();
    StunWriter w =
        new StunWriter().start(b, 0, b.length, StunClass.REQUEST, StunMethod.BINDING, txId, 0);
    w.addText(StunAttribute.USERNAME, UFRAG + ":peer");
    return Arrays.copyOf(b, w.addFingerprint().finish());
  }

  private static int stunNumber(byte[] stun) {
    return ByteBuffer.wrap(stun).getInt(16);
  }

  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void everyWorkerHasAThreadAndEpollASocketOnTheSamePort(UdpMediaPort.Io io) throws Exception {
    open(io, 3);
    assertThat(port.workers()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      MediaWorker w = port.worker(i);
      assertThat(w.index()).isEqualTo(i);
      assertThat(w.port()).isSameAs(port);
      assertThat(on(w, () -> Thread.currentThread().getName())).isEqualTo("visio-udp-" + i);
      assertThat(on(w, w::inEventLoop)).isTrue();
      assertThat(w.inEventLoop()).isFalse();
      boolean ownSocket = io == UdpMediaPort.Io.EPOLL || i == 0;
      assertThat(w.ownsChannel()).isEqualTo(ownSocket);
      assertThat(((InetSocketAddress) w.channel().localAddress()).getPort())
          .isEqualTo(port.localAddress().getPort());
    }
  }

  /**
   * Peers on many source ports until both sockets have received (epoll; NIO has only worker 0's):
   * worker 1's endpoint gets every check on its own thread, and its echo leaves from the port.
   */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void datagramsFromAnySocketReachTheOwnerWhichAnswersFromItsThread(UdpMediaPort.Io io)
      throws Exception {
    open(io, 2);
    MediaWorker owner = port.worker(1);
    OwnedEndpoint endpoint = new OwnedEndpoint(owner, true);
    owner.registerUfrag(UFRAG, endpoint);

    int n = 0;
    while (n < 8
        || received(port.worker(0)) == 0
        || (io == UdpMediaPort.Io.EPOLL && received(owner) == 0)) {
      assertThat(n).as("peers tried before both sockets received").isLessThan(64);
      DatagramSocket peer = newPeer();
      byte[] check = stun(n);
      send(peer, check);

      Seen seen = endpoint.next();
      assertThat(seen.bytes()).isEqualTo(check);
      assertThat(seen.from()).isEqualTo(peer.getLocalSocketAddress());
      assertThat(seen.onOwner()).as("called on the owner's thread").isTrue();

      byte[] reply = new byte[512];
      DatagramPacket p = new DatagramPacket(reply, reply.length);
      peer.receive(p);
      assertThat(Arrays.copyOf(reply, p.getLength())).isEqualTo(check);
      assertThat(p.getPort()).as("reply source port").isEqualTo(port.localAddress().getPort());
      n++;
    }
    MediaWorker other = port.worker(0);
    assertThat(on(other, other::handedOffCount))
        .as("datagrams worker 0 received for worker 1")
        .isEqualTo(received(other));
    assertThat(on(owner, owner::handedOffCount)).isZero();
    assertThat(on(owner, owner::sentCount)).as("echoes sent from the owner").isEqualTo(n);
    assertThat(received(other) + received(owner)).isEqualTo(n);
    assertThat(drops.total()).isZero();
  }

  /** After ICE binds addresses to an endpoint, plain media from them reaches the owner too. */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void boundAddressesRouteToTheirOwner(UdpMediaPort.Io io) throws Exception {
    open(io, 2);
    MediaWorker owner = port.worker(1);
    OwnedEndpoint endpoint = new OwnedEndpoint(owner, false);
    List<DatagramSocket> sources = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      DatagramSocket peer = newPeer();
      sources.add(peer);
      InetSocketAddress a = (InetSocketAddress) peer.getLocalSocketAddress();
      on(
          owner,
          () -> {
            owner.bindRemote(a, endpoint);
            return null;
          });
    }
    assertThat(port.boundAddressCount()).isEqualTo(16);
    for (int i = 0; i < sources.size(); i++) {
      byte[] rtp = {(byte) 0x80, 96, 0, (byte) i, 0, 0, 0, 0, 1, 2, 3, 4};
      send(sources.get(i), rtp);
      Seen seen = endpoint.next();
      assertThat(seen.bytes()).isEqualTo(rtp);
      assertThat(seen.onOwner()).isTrue();
    }
    MediaWorker other = port.worker(0);
    assertThat(on(other, other::handedOffCount)).isEqualTo(received(other));

    owner.unbindAll(endpoint);
    assertThat(port.boundAddressCount()).isZero();
  }

  @Test
  void onlyTheOwnerMayBindAnAddressToItsEndpoint() throws Exception {
    open(UdpMediaPort.Io.configured(), 2);
    OwnedEndpoint endpoint = new OwnedEndpoint(port.worker(1), false);
    InetSocketAddress a = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
    assertThatThrownBy(() -> port.worker(1).bindRemote(a, endpoint))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(
            () ->
                on(
                    port.worker(0),
                    () -> {
                      port.worker(1).bindRemote(a, endpoint);
                      return null;
                    }))
        .hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(port.boundAddressCount()).isZero();
  }

  /**
   * While worker 1 is stuck, datagrams for it that worker 0 receives fill the ring: exactly its
   * capacity is kept, in order, and each one beyond is counted as HANDOFF_FULL. Worker 0 goes on
   * receiving throughout; once worker 1 runs again it gets what was kept.
   */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void aStalledOwnerCostsCountedDropsNotWaits(UdpMediaPort.Io io) throws Exception {
    open(io, 2);
    MediaWorker receiver = port.worker(0);
    MediaWorker owner = port.worker(1);
    OwnedEndpoint endpoint = new OwnedEndpoint(owner, false);
    owner.registerUfrag(UFRAG, endpoint);

    // A peer whose 4-tuple the kernel hashes to worker 0's socket.
    DatagramSocket peer = null;
    for (int i = 0; peer == null; i++) {
      assertThat(i).as("peers tried to find one for worker 0").isLessThan(64);
      DatagramSocket candidate = newPeer();
      long before = received(receiver);
      send(candidate, stun(-1));
      assertThat(stunNumber(endpoint.next().bytes())).isEqualTo(-1);
      if (received(receiver) > before) {
        peer = candidate;
      }
    }

    CountDownLatch stuck = new CountDownLatch(1);
    owner.execute(
        () -> {
          try {
            stuck.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    int capacity = UdpMediaPort.handoffRingCapacity(2);
    int extra = 20;
    long base = received(receiver);
    int sent = 0;
    try {
      while (sent < capacity + extra) {
        // Paced so the socket buffer never overflows: the test counts every datagram.
        int chunk = Math.min(64, capacity + extra - sent);
        for (int k = 0; k < chunk; k++) {
          send(peer, stun(sent++));
        }
        long expected = base + sent;
        Poll.until(expected + " received by worker 0", () -> received(receiver) == expected);
      }
      assertThat(drops.count(DropReason.HANDOFF_FULL)).isEqualTo(extra);
      assertThat(endpoint.seen).as("nothing delivered while the owner is stuck").isEmpty();
    } finally {
      stuck.countDown();
    }
    for (int k = 0; k < capacity; k++) {
      Seen seen = endpoint.next();
      assertThat(stunNumber(seen.bytes())).isEqualTo(k);
      assertThat(seen.onOwner()).isTrue();
    }
    // Nothing more: a barrier task on the owner runs after any drain already posted.
    on(owner, () -> null);
    assertThat(endpoint.seen).isEmpty();
    assertThat(drops.total()).isEqualTo(extra);
  }

  /**
   * A worker stuck in a task (a bug, a blocking call) holds the port's close, and so a server's
   * shutdown, a bounded time only: close gives it {@link UdpMediaPort#CLOSE_WAIT_SECONDS}, then
   * returns without it.
   */
  @ParameterizedTest
  @EnumSource(UdpMediaPort.Io.class)
  void aStuckWorkerHoldsCloseABoundedTimeOnly(UdpMediaPort.Io io) throws Exception {
    open(io, 2);
    CountDownLatch release = stick(1);
    try {
      assertClosesAfterTheWaitOnly(port::close);
    } finally {
      release.countDown();
      port = null; // closed
    }
  }

  /** The same for the ICE-TCP port, whose listening socket lives on a media worker. */
  @Test
  void aStuckWorkerHoldsTheIceTcpPortsCloseABoundedTimeOnly() throws Exception {
    open(UdpMediaPort.Io.configured(), 1);
    TcpMediaPort tcp =
        TcpMediaPort.bind(port, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    CountDownLatch release = stick(0);
    try {
      assertClosesAfterTheWaitOnly(tcp::close);
    } finally {
      release.countDown();
    }
  }

  /** Sticks worker {@code w} in a task until the returned latch is counted down (60 s at most). */
  private CountDownLatch stick(int w) throws InterruptedException {
    CountDownLatch stuck = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    port.worker(w)
        .execute(
            () -> {
              stuck.countDown();
              try {
                release.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    assertThat(stuck.await(5, TimeUnit.SECONDS)).as("worker %d stuck", w).isTrue();
    return release;
  }

  /** {@code close} waits {@link UdpMediaPort#CLOSE_WAIT_SECONDS} for a stuck worker, not more. */
  private static void assertClosesAfterTheWaitOnly(Runnable close) {
    long t0 = System.nanoTime();
    close.run();
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(ms)
        .as("waited for the stuck worker, then closed without it")
        .isGreaterThanOrEqualTo(TimeUnit.SECONDS.toMillis(UdpMediaPort.CLOSE_WAIT_SECONDS))
        .isLessThan(TimeUnit.SECONDS.toMillis(UdpMediaPort.CLOSE_WAIT_SECONDS) + 3000);
  }

  @Test
  void newRoomsGoToTheLeastLoadedWorker() throws Exception {
    open(UdpMediaPort.Io.configured(), 3);
    UdpMediaPort.Endpoint e = (buf, off, len, remote) -> {};
    port.worker(0).registerUfrag("a", e);
    port.worker(0).registerUfrag("b", e);
    port.worker(1).registerUfrag("c", e);
    assertThat(port.leastLoadedWorker()).isSameAs(port.worker(2));

    port.worker(2).registerUfrag("d", e);
    port.worker(2).registerUfrag("f", e);
    assertThat(port.leastLoadedWorker()).isSameAs(port.worker(1));

    // Re-registering a ufrag moves its load; unregistering frees it.
    port.worker(1).registerUfrag("a", e);
    port.worker(0).unregisterUfrag("b", e);
    assertThat(port.workers()).extracting(MediaWorker::load).containsExactly(0, 2, 2);
    assertThat(port.leastLoadedWorker()).isSameAs(port.worker(0));
    port.worker(0).unregisterUfrag("a", (buf, off, len, remote) -> {});
    assertThat(port.worker(1).load()).as("another endpoint cannot unregister it").isEqualTo(2);
  }

  @Test
  void tiedWorkersTakeNewRoomsInTurn() throws Exception {
    open(UdpMediaPort.Io.configured(), 2);
    MediaWorker first = port.leastLoadedWorker();
    MediaWorker second = port.leastLoadedWorker();
    assertThat(first).isNotSameAs(second);
  }

  @Test
  void ringsAreSizedForTheWorkerCount() {
    // about 2,048 slots per receiving worker, never fewer than a recvmmsg batch nor over 1,024
    int[][] table = {
      {2, 1024}, {3, 1024}, {4, 512}, {9, 256}, {17, 128}, {33, 64}, {65, 32}, {200, 32}
    };
    for (int[] row : table) {
      assertThat(UdpMediaPort.handoffRingCapacity(row[0]))
          .as("%d workers", row[0])
          .isEqualTo(row[1]);
    }
  }

  @Test
  void aPortNeedsAWorker() {
    assertThatThrownBy(
            () ->
                UdpMediaPort.bind(
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    IceUfrags::localUfrag,
                    drops,
                    UdpMediaPort.Io.NIO,
                    0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
