package eu.visio.media.turn;

import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunIntegrity;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded TURN server (RFC 8656) for clients that cannot reach the media port directly: UDP and
 * TCP listeners, UDP relays only, long-term REST credentials ({@link TurnCredentials}), relays
 * restricted to a {@link RelayPolicy}.
 *
 * <p>Threading: one Netty event loop (epoll, or NIO as a fallback, as {@link UdpMediaPort}) runs
 * the listeners, every client connection, every relay socket and every timer, so allocation state
 * needs no lock. TURN carries the few clients whose networks block UDP to the media port; one loop
 * relays several hundred thousand packets a second. Streams from elsewhere (TLS terminated by
 * another server) enter through {@link #openStream} and are handed to this loop.
 *
 * <p>Usage: {@code TurnServer.start(config)}, {@link #credentials()}{@code .issue(identity, ttl)}
 * for each client, {@link #counters()} for metrics, {@link #close()}.
 */
public final class TurnServer implements AutoCloseable {
  /** Datagrams one recvmmsg call may read (epoll). */
  static final int RECEIVE_BATCH = 32;

  /**
   * Receive buffer of each relay socket. The kernel's default ({@code rmem_default}, 208 KiB on
   * Debian) overflowed in the load test while the single TURN loop was busy with other sockets: a
   * relay carries one participant's media, bursts of a keyframe included, and a few hundred
   * kilobytes cover about 100 ms of it at 30 Mbit/s. The kernel charges only what is queued, so an
   * idle relay costs nothing; {@code net.core.rmem_max} caps the value.
   */
  static final int RELAY_RECEIVE_BUFFER = 512 << 10;

  private static final Logger log = LoggerFactory.getLogger(TurnServer.class);

  private final TurnConfig config;
  private final TurnCounters counters = new TurnCounters();
  private final TurnCredentials credentials;
  private final TurnNonces nonces;
  private final SourceLimits requestLimits;
  private final SourceLimits allocationLimits;
  private final EventLoopGroup group;
  private final EventLoop loop;
  private final boolean epoll;
  private final TurnRequests requests;
  private final TurnHandler handler;
  private final Channel udp;
  private final Channel tcp;
  // Loop-only state: UDP clients with an allocation, allocations by identity, the relay port
  // cursor.
  private final Map<InetSocketAddress, UdpLink> udpLinks = new HashMap<>();
  private final Map<String, Integer> perIdentity = new HashMap<>();
  private final AtomicInteger allocations = new AtomicInteger();
  private int nextPort;
  // Any thread (streams may be opened from a TLS server's threads).
  private final Map<InetAddress, Integer> streamsBySource = new HashMap<>();

  private TurnServer(TurnConfig config, Clock clock) throws InterruptedException {
    this.config = config;
    this.credentials = new TurnCredentials(config.sharedSecret(), clock);
    this.nonces = new TurnNonces(clock);
    this.requestLimits = new SourceLimits(config.requestsPerSecond(), config.requestBurst());
    this.allocationLimits =
        new SourceLimits(config.allocationsPerSecond(), config.allocationBurst());
    this.epoll = config.io() == UdpMediaPort.Io.EPOLL;
    if (epoll && !Epoll.isAvailable()) {
      throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
    }
    var threads = Thread.ofPlatform().name("visio-turn-", 0).daemon(true).factory();
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.loop = group.next();
    this.nextPort = config.relayPortMin();
    this.requests = new TurnRequests(this);
    this.handler = new TurnHandler(this, requests);
    try {
      this.udp = config.udpListen() == null ? null : bindUdp(config.udpListen());
      this.tcp = config.tcpListen() == null ? null : bindTcp(config.tcpListen());
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
    ScheduledPurge.start(this);
    log.info(
        "TURN server on udp {} tcp {}, relaying from {} ({})",
        udpAddress(),
        tcpAddress(),
        config.relayAddress(),
        epoll ? "epoll" : "nio");
  }

  /** Binds the listeners and starts serving. */
  public static TurnServer start(TurnConfig config) throws InterruptedException {
    return start(config, Clock.systemUTC());
  }

  /** As {@link #start(TurnConfig)}, with a clock for credential expiry and nonces (tests). */
  public static TurnServer start(TurnConfig config, Clock clock) throws InterruptedException {
    return new TurnServer(config, clock);
  }

  /** Issues credentials that this server accepts; safe from any thread. */
  public TurnCredentials credentials() {
    return credentials;
  }

  public TurnCounters counters() {
    return counters;
  }

  public TurnConfig config() {
    return config;
  }

  /** The bound UDP listener address, or null if none. */
  public InetSocketAddress udpAddress() {
    return udp == null ? null : (InetSocketAddress) udp.localAddress();
  }

  /** The bound TCP listener address, or null if none. */
  public InetSocketAddress tcpAddress() {
    return tcp == null ? null : (InetSocketAddress) tcp.localAddress();
  }

  /** Allocations alive now (approximate from other threads). */
  public int allocationCount() {
    return allocations.get();
  }

  /**
   * A TURN session over a byte stream from another source, e.g. TLS on 5349 terminated elsewhere
   * (RFC 8656 §3.1: TURN over TLS is TURN over TCP inside TLS). Null if {@code remote}'s address
   * already holds its maximum of streams ({@link TurnReason#TCP_CONNECTION_LIMIT}).
   */
  public TurnConnection openStream(InetSocketAddress remote, TurnConnection.Output output) {
    if (!acquireStream(remote.getAddress())) {
      return null;
    }
    return new TurnConnection(this, remote, output);
  }

  boolean acquireStream(InetAddress source) {
    synchronized (streamsBySource) {
      int n = streamsBySource.getOrDefault(source, 0);
      if (n >= config.maxTcpPerSource()) {
        counters.add(TurnReason.TCP_CONNECTION_LIMIT);
        return false;
      }
      streamsBySource.put(source, n + 1);
      return true;
    }
  }

  void releaseStream(InetAddress source) {
    synchronized (streamsBySource) {
      int n = streamsBySource.getOrDefault(source, 0);
      if (n <= 1) {
        streamsBySource.remove(source);
      } else {
        streamsBySource.put(source, n - 1);
      }
    }
  }

  EventLoop loop() {
    return loop;
  }

  TurnHandler handler() {
    return handler;
  }

  TurnNonces nonces() {
    return nonces;
  }

  SourceLimits requestLimits() {
    return requestLimits;
  }

  SourceLimits allocationLimits() {
    return allocationLimits;
  }

  /** Counts an allocation for {@code identity}: 0, or the error code that refuses it. */
  int reserve(String identity) {
    if (allocations.get() >= config.maxAllocations()) {
      return StunErrorCode.INSUFFICIENT_CAPACITY;
    }
    int held = perIdentity.getOrDefault(identity, 0);
    if (held >= config.maxAllocationsPerUser()) {
      return StunErrorCode.ALLOCATION_QUOTA_REACHED;
    }
    perIdentity.put(identity, held + 1);
    allocations.incrementAndGet();
    return 0;
  }

  void release(String identity) {
    perIdentity.computeIfPresent(identity, (k, n) -> n <= 1 ? null : n - 1);
    allocations.decrementAndGet();
  }

  /**
   * Binds a relay socket for a new allocation, on this loop (never blocking it), trying the ports
   * of the configured range in turn from a rotating cursor (or an ephemeral port). With {@code
   * even} (EVEN-PORT, RFC 8656 §7.2 and §18.6) only an even port will do: odd ones in the range are
   * passed over, and an odd ephemeral port is closed and another drawn.
   */
  void bindRelay(
      ClientLink link,
      String username,
      StunIntegrity integrity,
      byte[] txId,
      long lifetimeSeconds,
      boolean even,
      Consumer<Allocation> created,
      Runnable failed) {
    int range = config.relayPortMax() - config.relayPortMin() + 1;
    int attempts = config.relayPortMin() == 0 ? (even ? 16 : 1) : Math.min(range, 64);
    tryBind(
        attempts,
        even,
        f -> {
          link.pendingAllocate = null;
          if (f == null) {
            failed.run();
          } else {
            InetSocketAddress relayed = (InetSocketAddress) f.localAddress();
            Allocation a = new Allocation(link, username, integrity, txId, f, relayed);
            f.pipeline().get(RelayReceiver.class).allocation = a;
            link.allocation = a;
            if (link instanceof UdpLink u) {
              udpLinks.put(u.remote, u);
            }
            counters.allocationCreated();
            extend(a, lifetimeSeconds);
            if (link.isGone()) {
              deleteAllocation(a); // the stream closed while the socket was being bound
            } else {
              created.accept(a);
            }
          }
          handler.flushAll();
        });
  }

  private void tryBind(int attemptsLeft, boolean even, Consumer<Channel> done) {
    int port = 0;
    if (config.relayPortMin() != 0) {
      port = nextPort;
      nextPort = port == config.relayPortMax() ? config.relayPortMin() : port + 1;
      if (even && (port & 1) == 1) {
        if (attemptsLeft > 1) {
          tryBind(attemptsLeft - 1, true, done);
        } else {
          done.accept(null);
        }
        return;
      }
    }
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, RELAY_RECEIVE_BUFFER)
            .handler(new RelayReceiver());
    // One byte more than the limit, so an oversized datagram is seen and counted.
    batchedReceive(b, config.maxPayload() + 1);
    ChannelFuture _ =
        b.bind(new InetSocketAddress(config.relayAddress(), port))
            .addListener(
                (ChannelFuture f) -> {
                  boolean odd =
                      f.isSuccess()
                          && (((InetSocketAddress) f.channel().localAddress()).getPort() & 1) == 1;
                  if (f.isSuccess() && !(even && odd)) {
                    done.accept(f.channel());
                  } else if (attemptsLeft > 1) {
                    if (f.isSuccess()) {
                      ChannelFuture _ = f.channel().close();
                    }
                    tryBind(attemptsLeft - 1, even, done);
                  } else {
                    if (f.isSuccess()) {
                      ChannelFuture _ = f.channel().close();
                    }
                    log.debug("TURN relay bind failed", f.cause());
                    done.accept(null);
                  }
                });
  }

  /** Sets {@code a} to expire {@code seconds} from now (RFC 8656 §7.2, §8.2). */
  void extend(Allocation a, long seconds) {
    a.expires = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    if (a.timer != null) {
      a.timer.cancel(false);
    }
    a.timer = loop.schedule(() -> deleteAllocation(a), seconds, TimeUnit.SECONDS);
  }

  /** Frees the relay socket and the quota (expiry, Refresh 0, closed stream, or shutdown). */
  @SuppressWarnings("ReferenceEquality")
  void deleteAllocation(Allocation a) {
    if (a.closed) {
      return;
    }
    a.closed = true;
    if (a.timer != null) {
      a.timer.cancel(false);
    }
    ChannelFuture _ = a.relay.close();
    if (a.link.allocation == a) {
      a.link.allocation = null;
    }
    a.link.allocationGone();
    release(a.identity);
  }

  private Channel bindUdp(InetSocketAddress address) throws InterruptedException {
    Bootstrap b =
        new Bootstrap()
            .group(loop)
            .channel(epoll ? EpollDatagramChannel.class : NioDatagramChannel.class)
            .option(ChannelOption.SO_RCVBUF, 1 << 20)
            .handler(new UdpReceiver());
    batchedReceive(b, config.maxMessage() + 1);
    return b.bind(address).sync().channel();
  }

  /**
   * Receive buffers of {@code slot} bytes a datagram (one more than the largest accepted, so an
   * oversized one arrives longer than the limit and is counted, not cut short). On epoll, up to
   * {@link #RECEIVE_BATCH} datagrams a recvmmsg call, as the media port reads: a relay at tens of
   * thousands of datagrams a second otherwise pays a syscall and a pipeline pass per datagram.
   */
  private void batchedReceive(Bootstrap b, int slot) {
    if (epoll) {
      b.option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
          .option(
              ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * RECEIVE_BATCH));
    } else {
      b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot));
    }
  }

  private Channel bindTcp(InetSocketAddress address) throws InterruptedException {
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group, group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 256)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, TcpTurnHandler.WATERMARK)
            .childHandler(new TcpTurnHandler.Initializer(this));
    return b.bind(address).sync().channel();
  }

  /** Stops listening, deletes every allocation, stops the loop. */
  @Override
  public void close() {
    if (udp != null) {
      udp.close().syncUninterruptibly();
    }
    if (tcp != null) {
      tcp.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    log.info("TURN server closed; {} allocations served", counters.allocationsCreated());
  }

  /**
   * Counts a throw from our own handler (a bug). Only the first is logged at warn: a bug that
   * throws on every packet must not log per packet.
   */
  void handlerFailed(String on, RuntimeException e) {
    counters.add(TurnReason.HANDLER_ERROR);
    if (counters.count(TurnReason.HANDLER_ERROR) == 1) {
      log.warn("TURN handler failed on {} (later failures are counted only)", on, e);
    } else {
      log.debug("TURN handler failed on {}", on, e);
    }
  }

  /** A UDP client 5-tuple on the listening socket. */
  private final class UdpLink extends ClientLink {
    UdpLink(InetSocketAddress remote) {
      super(remote);
    }

    @Override
    boolean stream() {
      return false;
    }

    @Override
    ByteBufAllocator alloc() {
      return udp.alloc();
    }

    @Override
    boolean send(ByteBuf out) {
      handler.write(udp, new DatagramPacket(out, remote));
      return true;
    }

    @Override
    void allocationGone() {
      udpLinks.remove(remote, this);
    }
  }

  /**
   * Datagrams from clients. A source without an allocation gets a fresh link object (requests only:
   * ChannelData and Send from it are dropped); one with an allocation is found by address.
   */
  private final class UdpReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
    private final byte[] in = new byte[config.maxMessage() + 1];

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ByteBuf content = packet.content();
      int len = content.readableBytes();
      if (len > config.maxMessage()) {
        counters.add(TurnReason.OVERSIZED);
        return;
      }
      content.getBytes(content.readerIndex(), in, 0, len);
      InetSocketAddress sender = packet.sender();
      ClientLink link = udpLinks.get(sender);
      try {
        handler.onClientMessage(link != null ? link : new UdpLink(sender), in, 0, len);
      } catch (RuntimeException e) {
        handlerFailed("a datagram", e);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      handler.flushAll();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("TURN UDP listener error", cause);
    }
  }

  /** Datagrams from peers on one relay socket. */
  private final class RelayReceiver extends SimpleChannelInboundHandler<DatagramPacket> {
    Allocation allocation;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      Allocation a = allocation;
      if (a == null) {
        counters.add(TurnReason.NO_PERMISSION_INBOUND);
        return;
      }
      try {
        handler.onPeerData(a, packet.sender(), packet.content());
      } catch (RuntimeException e) {
        handlerFailed("a relayed datagram", e);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      handler.flushAll();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("TURN relay socket error", cause);
    }
  }

  /** Forgets quiet sources in the rate limiters every 10 seconds. */
  private static final class ScheduledPurge {
    static void start(TurnServer s) {
      var _ =
          s.loop.scheduleAtFixedRate(
              () -> {
                long now = System.nanoTime();
                s.requestLimits.purge(now);
                s.allocationLimits.purge(now);
              },
              10,
              10,
              TimeUnit.SECONDS);
    }
  }
}
