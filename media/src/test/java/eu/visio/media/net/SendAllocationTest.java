package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.visio.media.DropCounters;
import io.netty.channel.epoll.Epoll;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a worker's own thread allocates per datagram it sends on epoll, flush included (as {@code
 * UdpSendBenchmark} measures). Before recycled datagrams it was ~100 bytes (a pooled buffer, a
 * DatagramPacket, an outbound-buffer entry); one object per send would be at least 16 more than
 * what is left, which is Netty's: {@code NativeDatagramPacket.init} copies the recipient's IPv4
 * address ({@code InetAddress.getAddress()} clones a 4-byte array, 24 bytes) for every datagram.
 */
@Timeout(60)
class SendAllocationTest {
  private static final int BURST = 100;
  private static final int ROUNDS = 200;
  // Netty's address copy (24 bytes per datagram) plus slack below one more object of 16 bytes:
  // any object allocated per send would make it 40 or more. The slack absorbs the worker's own
  // timer tasks, which allocate a little now and then (35 was seen on a loaded CI machine).
  private static final long ALLOWED_PER_SEND = 39;

  @Test
  void aSendOnTheWorkersLoopAllocatesOnlyNettysAddressCopy() throws Exception {
    assertAllocatesOnlyNettysAddressCopy(
        (worker, to) -> (b, off, len) -> worker.send(b, off, len, to));
  }

  /** The sender a transport keeps for its selected path: no more than a plain send. */
  @Test
  void aSenderToOneAddressAllocatesOnlyNettysAddressCopy() throws Exception {
    assertAllocatesOnlyNettysAddressCopy(
        (worker, to) -> OnLoop.call(worker, () -> worker.senderTo(to)));
  }

  /** How a burst sends: made once, before anything is measured. */
  private interface Sends {
    DatagramSender to(MediaWorker worker, InetSocketAddress to);
  }

  private static void assertAllocatesOnlyNettysAddressCopy(Sends how) throws Exception {
    assumeTrue(Epoll.isAvailable(), "epoll unavailable");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    try (UdpMediaPort port =
            UdpMediaPort.bind(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                (buf, off, len) -> null,
                new DropCounters(),
                UdpMediaPort.Io.EPOLL);
        DatagramChannel sink = DatagramChannel.open()) {
      // Never read: once its buffer is full the kernel drops on delivery, after our send.
      sink.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 16);
      sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      InetSocketAddress to = (InetSocketAddress) sink.getLocalAddress();
      MediaWorker worker = port.worker(0);
      long tid = OnLoop.call(worker, () -> Thread.currentThread().threadId());
      byte[] packet = new byte[1200];
      DatagramSender sender = how.to(worker, to);

      long best = Long.MAX_VALUE;
      // Warm-up rounds first; then the best of several measured stretches, since code the JIT has
      // not compiled yet (slow on a loaded machine) may allocate what compiled code does not.
      for (int stretch = 0; stretch < 10 && best > ALLOWED_PER_SEND * BURST * ROUNDS; stretch++) {
        long[] start = new long[1];
        for (int round = 0; round <= ROUNDS; round++) {
          CountDownLatch done = new CountDownLatch(1);
          boolean first = round == 0;
          worker.execute(
              () -> {
                // Each round's bytes run from its start to the next one's, so they include the
                // flush of its burst (a task posted behind it) and the release of the datagrams.
                if (first) {
                  start[0] = threads.getThreadAllocatedBytes(tid);
                }
                for (int i = 0; i < BURST; i++) {
                  sender.send(packet, 0, packet.length);
                }
                done.countDown();
              });
          assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        }
        long end = OnLoop.call(worker, () -> threads.getThreadAllocatedBytes(tid));
        if (stretch > 0) {
          best = Math.min(best, end - start[0]);
        }
      }
      long sends = (long) BURST * (ROUNDS + 1);
      assertThat(best / sends)
          .as(
              "bytes allocated per send (recycled datagrams exhausted %d times)",
              worker.envelopes().exhausted())
          .isLessThanOrEqualTo(ALLOWED_PER_SEND);
    }
  }
}
