package eu.visio.media.bench;

import eu.visio.media.DropCounters;
import eu.visio.media.net.MediaWorker;
import eu.visio.media.net.UdpMediaPort;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@link MediaWorker#send} on its own event loop, as the SFU calls it when it forwards: a burst of
 * {@value #BURST} 1,200-byte datagrams to one loopback peer from one task, which leaves in sendmmsg
 * batches at the task's end. The real epoll socket and syscalls are included; the peer's socket is
 * never read, so once its receive buffer is full the kernel drops on delivery, after our send.
 *
 * <p>The benchmark thread posts a pre-built task and spins until it has run, so the hand-over adds
 * (nearly) no allocation of its own: {@code gc.alloc.rate.norm} is the send path's.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class UdpSendBenchmark {
  static final int BURST = 100;

  private final byte[] packet = new byte[1200];
  private UdpMediaPort port;
  private MediaWorker worker;
  private DatagramChannel sink;
  private InetSocketAddress sinkAddress;
  private volatile boolean done;
  private final Runnable burst = this::burst;

  @Setup(Level.Trial)
  public void setUp() throws IOException, InterruptedException {
    sink = DatagramChannel.open();
    sink.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 16);
    sink.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    sinkAddress = (InetSocketAddress) sink.getLocalAddress();
    port =
        UdpMediaPort.bind(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            (buf, off, len) -> null,
            new DropCounters(),
            UdpMediaPort.Io.configured());
    worker = port.worker(0);
    for (int i = 0; i < packet.length; i++) {
      packet[i] = (byte) i;
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    port.close();
    sink.close();
  }

  private void burst() {
    for (int i = 0; i < BURST; i++) {
      worker.send(packet, 0, packet.length, sinkAddress);
    }
    done = true;
  }

  @Benchmark
  @OperationsPerInvocation(BURST)
  public void send() {
    done = false;
    worker.execute(burst);
    while (!done) {
      Thread.onSpinWait();
    }
  }
}
