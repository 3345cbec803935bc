package eu.visio.media.net;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one UDP port shared by every peer (ICE-lite single-port mode, like mediasoup's WebRtcServer
 * or pion's UDPMux).
 *
 * <p>Routing: a datagram from a remote address that ICE has validated goes to that address's {@link
 * Endpoint}. Anything else is only accepted if it is a STUN message whose USERNAME names a
 * registered local ufrag; the endpoint's ICE agent then decides whether to bind the address.
 * Everything else is dropped and counted as {@link DropReason#UNKNOWN_SOURCE}.
 *
 * <p>Threading: the port runs a fixed set of {@link MediaWorker}s (event loops). Each endpoint is
 * owned by the worker it was registered on, and is called, sends and runs its timers only there;
 * the routing tables are concurrent maps that every receiving worker reads without locking. On
 * Linux the port uses Netty's native epoll transport with batched receive (recvmmsg, via {@code
 * MAX_DATAGRAM_PAYLOAD_SIZE}) and batched send (sendmmsg on flush), and gives each worker its own
 * socket on the same port ({@code SO_REUSEPORT}); elsewhere plain NIO with one socket on worker 0.
 * A datagram received by another worker than its endpoint's owner is handed over through a bounded
 * lock-free ring. A whole receive batch is flushed once.
 *
 * <p>The methods of the port itself that take an endpoint or a task (registerUfrag, bindRemote,
 * execute, send...) act on worker 0: a one-worker port behaves as the single loop did.
 */
public final class UdpMediaPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpMediaPort.class);

  /** Largest datagram we accept; bigger ones are truncated by the kernel and fail to parse. */
  public static final int MAX_DATAGRAM = 1500;

  /** How long {@link #close} waits for the workers' threads to stop. */
  static final long CLOSE_WAIT_SECONDS = 5;

  /** Receives the datagrams routed to one peer, on its owner worker's thread. */
  public interface Endpoint {
    /**
     * Handles one datagram or ICE-TCP frame ({@code len >= 1}). {@code buf} is owned by the worker
     * and reused after the call; the endpoint may modify it in place (SRTP decrypts in place) and
     * has {@link #TAIL_ROOM} spare bytes after {@code off + len}.
     */
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress remote);

    /** Whether the endpoint is gone: its ICE-TCP connections are then closed. */
    default boolean isClosed() {
      return false;
    }
  }

  /** Finds the local ufrag in a STUN message, or returns null if it is not STUN with USERNAME. */
  @FunctionalInterface
  public interface UfragExtractor {
    String localUfrag(byte[] buf, int off, int len);
  }

  /** Bytes after each received datagram that an endpoint may use to grow it. */
  public static final int TAIL_ROOM = 64;

  /** The socket implementation behind the port. */
  public enum Io {
    /** Netty's native epoll transport (Linux only): recvmmsg and sendmmsg batches. */
    EPOLL,
    /** Plain Java NIO: the portable fallback. */
    NIO;

    /** Epoll where available, unless the system property {@code visio.udp.nio} is true. */
    public static Io configured() {
      return Epoll.isAvailable() && !Boolean.getBoolean("visio.udp.nio") ? EPOLL : NIO;
    }
  }

  /** A routing entry: the endpoint and the worker that owns it. */
  record Route(Endpoint endpoint, MediaWorker owner) {}

  private final DropCounters drops;
  final UfragExtractor ufragExtractor;
  // Read by every receiving worker without locks; written rarely (registration, ICE nomination).
  final Map<String, Route> byUfrag = new ConcurrentHashMap<>();
  final Map<InetSocketAddress, Route> byAddress = new ConcurrentHashMap<>();
  private final EventLoopGroup group;
  private final MediaWorker[] workers;
  private final List<MediaWorker> workerList;
  private final boolean nativeTransport;
  private final AtomicInteger placement = new AtomicInteger();

  private UdpMediaPort(
      InetSocketAddress bindAddress,
      UfragExtractor ufragExtractor,
      DropCounters drops,
      Io io,
      int workerCount)
      throws InterruptedException {
    if (io == Io.EPOLL && !Epoll.isAvailable()) {
      throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
    }
    if (workerCount < 1) {
      throw new IllegalArgumentException("at least one media worker: " + workerCount);
    }
    this.drops = drops;
    this.ufragExtractor = ufragExtractor;
    this.nativeTransport = io == Io.EPOLL;
    ThreadFactory threads = fastThreadLocalThreads("visio-udp-");
    Bootstrap b = new Bootstrap();
    if (nativeTransport) {
      group = new MultiThreadIoEventLoopGroup(workerCount, threads, EpollIoHandler.newFactory());
      // recvmmsg silently truncates a datagram to its slot: one spare byte makes an oversized
      // datagram arrive longer than MAX_DATAGRAM, so it is counted instead of routed cut short.
      int slot = MAX_DATAGRAM + 1;
      b.channel(EpollDatagramChannel.class)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
          // A receive buffer of 32 datagrams lets one recvmmsg call fill a whole batch.
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * 32));
      if (workerCount > 1) {
        // One socket per worker on the same port; the kernel spreads remotes over them.
        b.option(EpollChannelOption.SO_REUSEPORT, true);
      }
    } else {
      group = new MultiThreadIoEventLoopGroup(workerCount, threads, NioIoHandler.newFactory());
      b.channel(NioDatagramChannel.class);
    }
    b.option(ChannelOption.SO_RCVBUF, 4 << 20).option(ChannelOption.SO_SNDBUF, 4 << 20);
    int ringCapacity = handoffRingCapacity(workerCount);
    workers = new MediaWorker[workerCount];
    try {
      EventLoop[] loops = new EventLoop[workerCount];
      int n = 0;
      for (EventExecutor e : group) {
        loops[n] = (EventLoop) e;
        // Start the threads in order, so visio-udp-i is worker i's thread.
        loops[n].submit(() -> {}).sync();
        n++;
      }
      workers[0] =
          new MediaWorker(this, 0, workerCount, ringCapacity, loops[0], b, bindAddress, null);
      // Port 0 binds an ephemeral port once; the other sockets join that port.
      InetSocketAddress joined =
          new InetSocketAddress(
              bindAddress.getAddress(),
              ((InetSocketAddress) workers[0].channel().localAddress()).getPort());
      for (int i = 1; i < workerCount; i++) {
        workers[i] =
            nativeTransport
                ? new MediaWorker(this, i, workerCount, ringCapacity, loops[i], b, joined, null)
                : new MediaWorker(
                    this, i, workerCount, ringCapacity, loops[i], null, null, workers[0].channel());
      }
    } catch (RuntimeException | InterruptedException e) {
      closeWorkers();
      throw e;
    }
    workerList = List.of(workers);
    log.info(
        "media UDP port bound on {} ({}, {} worker{})",
        localAddress(),
        nativeTransport ? "epoll" : "nio",
        workerCount,
        workerCount == 1 ? "" : "s");
  }

  /**
   * Daemon threads named {@code prefix0}, {@code prefix1}... of Netty's own kind. Netty recycles
   * (the outbound buffer's per-write entries) and caches per thread (the allocator's magazines)
   * only on a {@link FastThreadLocalThread} that cleans up its thread locals; on a plain thread
   * every write allocated an entry and every buffer came from the shared magazines.
   */
  static ThreadFactory fastThreadLocalThreads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return task -> {
      Thread t = new FastThreadLocalThread(null, task, prefix + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Slots of each hand-off ring. Every worker has a ring from every other one, so the total grows
   * with the square of the worker count: keep about 2,048 slots (3 MiB) per receiving worker, but
   * never fewer than 32 per ring (one full recvmmsg batch) nor more than 1,024.
   */
  static int handoffRingCapacity(int workerCount) {
    if (workerCount < 2) {
      return 1;
    }
    int perRing = Integer.highestOneBit(2048 / (workerCount - 1));
    return Math.clamp(perRing, 32, 1024);
  }

  /** Binds the port with the {@linkplain Io#configured() configured} I/O and one worker. */
  public static UdpMediaPort bind(
      InetSocketAddress bindAddress, UfragExtractor ufragExtractor, DropCounters drops)
      throws InterruptedException {
    return bind(bindAddress, ufragExtractor, drops, Io.configured());
  }

  /**
   * Binds the port with the given I/O and one worker.
   *
   * @throws IllegalStateException if {@code io} is {@link Io#EPOLL} and epoll is unavailable
   */
  public static UdpMediaPort bind(
      InetSocketAddress bindAddress, UfragExtractor ufragExtractor, DropCounters drops, Io io)
      throws InterruptedException {
    return bind(bindAddress, ufragExtractor, drops, io, 1);
  }

  /**
   * Binds the port with the given I/O and {@code workers} media workers (on epoll, one socket each
   * on the same port).
   *
   * @throws IllegalStateException if {@code io} is {@link Io#EPOLL} and epoll is unavailable
   * @throws IllegalArgumentException if {@code workers < 1}
   */
  public static UdpMediaPort bind(
      InetSocketAddress bindAddress,
      UfragExtractor ufragExtractor,
      DropCounters drops,
      Io io,
      int workers)
      throws InterruptedException {
    return new UdpMediaPort(bindAddress, ufragExtractor, drops, io, workers);
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) workers[0].channel().localAddress();
  }

  public boolean isNative() {
    return nativeTransport;
  }

  public DropCounters drops() {
    return drops;
  }

  /** The media workers, by index. */
  public List<MediaWorker> workers() {
    return workerList;
  }

  public MediaWorker worker(int index) {
    return workers[index];
  }

  MediaWorker[] workerArray() {
    return workers;
  }

  /** The event loops of the workers, for a {@link TcpMediaPort} whose connections they serve. */
  EventLoopGroup group() {
    return group;
  }

  /** The worker running on {@code loop}, or null. */
  MediaWorker workerOn(EventLoop loop) {
    for (MediaWorker w : workers) {
      if (w.loop() == loop) {
        return w;
      }
    }
    return null;
  }

  /**
   * The worker with the fewest registered endpoints, for a new room; ties go round-robin so rooms
   * created together spread out.
   */
  public MediaWorker leastLoadedWorker() {
    int start = Math.floorMod(placement.getAndIncrement(), workers.length);
    MediaWorker best = workers[start];
    for (int k = 1; k < workers.length; k++) {
      MediaWorker w = workers[(start + k) % workers.length];
      if (w.load() < best.load()) {
        best = w;
      }
    }
    return best;
  }

  // The single-worker API: worker 0 stands for the port.

  /** Registers {@code endpoint} on worker 0. */
  public void registerUfrag(String ufrag, Endpoint endpoint) {
    workers[0].registerUfrag(ufrag, endpoint);
  }

  public void unregisterUfrag(String ufrag, Endpoint endpoint) {
    workers[0].unregisterUfrag(ufrag, endpoint);
  }

  /** Routes everything from {@code remote} to {@code endpoint}, owned by worker 0. Call there. */
  public void bindRemote(InetSocketAddress remote, Endpoint endpoint) {
    workers[0].bindRemote(remote, endpoint);
  }

  /** Stops routing {@code remote} to {@code endpoint}. Call on worker 0. */
  public void unbindRemote(InetSocketAddress remote, Endpoint endpoint) {
    workers[0].unbindRemote(remote, endpoint);
  }

  /** Number of remote addresses currently routed (for metrics and tests). Safe from any thread. */
  public int boundAddressCount() {
    return byAddress.size();
  }

  /** Runs {@code task} on worker 0 after {@code delay}. */
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return workers[0].schedule(task, delay, unit);
  }

  /** Runs {@code task} on worker 0 every {@code period}, first after {@code period}. */
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long period, TimeUnit unit) {
    return workers[0].scheduleAtFixedRate(task, period, unit);
  }

  /** Removes every address routed to {@code endpoint}. Safe from any thread. */
  public void unbindAll(Endpoint endpoint) {
    workers[0].unbindAll(endpoint);
  }

  /** Runs a task on worker 0. */
  public void execute(Runnable task) {
    workers[0].execute(task);
  }

  /** Whether the caller is worker 0's thread. */
  public boolean inEventLoop() {
    return workers[0].inEventLoop();
  }

  /** Sends on worker 0's socket; see {@link MediaWorker#send}. */
  public void send(byte[] buf, int off, int len, InetSocketAddress remote) {
    workers[0].send(buf, off, len, remote);
  }

  /** A sender bound to one remote address, on worker 0. */
  public DatagramSender senderTo(InetSocketAddress remote) {
    return workers[0].senderTo(remote);
  }

  public void flush() {
    workers[0].flush();
  }

  /** Datagrams received since start, over all workers (approximate while they run). */
  public long receivedCount() {
    long sum = 0;
    for (MediaWorker w : workers) {
      sum += w.receivedCount();
    }
    return sum;
  }

  /** Datagrams sent from the workers' threads since start (approximate while they run). */
  public long sentCount() {
    long sum = 0;
    for (MediaWorker w : workers) {
      sum += w.sentCount();
    }
    return sum;
  }

  /** Datagrams handed from the receiving worker to the owning one (approximate while they run). */
  public long handedOffCount() {
    long sum = 0;
    for (MediaWorker w : workers) {
      sum += w.handedOffCount();
    }
    return sum;
  }

  /**
   * Closes the channels and stops the workers' threads, waiting for them at most {@link
   * #CLOSE_WAIT_SECONDS}: a worker stuck in a task must not hold a server's shutdown for good (the
   * server stops anyway; its stuck thread goes with the process).
   */
  private void closeWorkers() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_WAIT_SECONDS);
    List<ChannelFuture> closing = new ArrayList<>();
    for (MediaWorker w : workers) {
      ChannelFuture f = w == null ? null : w.close();
      if (f != null) {
        closing.add(f);
      }
    }
    boolean closed = true;
    for (ChannelFuture f : closing) {
      closed &= f.awaitUninterruptibly(left(deadline), TimeUnit.NANOSECONDS);
    }
    boolean stopped =
        group
            .shutdownGracefully(0, 1, TimeUnit.SECONDS)
            .awaitUninterruptibly(left(deadline), TimeUnit.NANOSECONDS);
    if (!closed || !stopped) {
      log.warn(
          "media workers not stopped within {} s (one stuck in a task?): closed without them",
          CLOSE_WAIT_SECONDS);
    }
  }

  private static long left(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }

  @Override
  public void close() {
    if (log.isInfoEnabled()) {
      StringBuilder counts = new StringBuilder();
      for (MediaWorker w : workers) {
        counts
            .append(counts.isEmpty() ? "" : ", ")
            .append(w.index())
            .append(": in ")
            .append(w.receivedCount())
            .append(" out ")
            .append(w.sentCount())
            .append(" handed off ")
            .append(w.handedOffCount());
      }
      log.info("media UDP port closing; datagrams by worker {}", counts);
    }
    closeWorkers();
  }
}
