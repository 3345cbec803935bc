package eu.visio.media.net;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
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
 * <p>Threading: on Linux the port uses Netty's native epoll transport with batched receive
 * (recvmmsg, via {@code MAX_DATAGRAM_PAYLOAD_SIZE}) and batched send (sendmmsg on flush); elsewhere
 * plain NIO. One event loop owns the socket; endpoints are called on it, and a whole receive batch
 * is flushed once.
 */
public final class UdpMediaPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UdpMediaPort.class);

  /** Largest datagram we accept; bigger ones are truncated by the kernel and fail to parse. */
  public static final int MAX_DATAGRAM = 1500;

  /** Receives the datagrams routed to one peer, on the port's event loop. */
  public interface Endpoint {
    /**
     * Handles one datagram ({@code len >= 1}). {@code buf} is owned by the event loop and reused
     * after the call; the endpoint may modify it in place (SRTP decrypts in place) and has {@link
     * #TAIL_ROOM} spare bytes after {@code off + len}.
     */
    void onDatagram(byte[] buf, int off, int len, InetSocketAddress remote);
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

  private final DropCounters drops;
  private final UfragExtractor ufragExtractor;
  private final Map<String, Endpoint> byUfrag = new ConcurrentHashMap<>();
  // Touched only on the event loop.
  private final Map<InetSocketAddress, Endpoint> byAddress = new HashMap<>();
  private final EventLoopGroup group;
  private final Channel channel;
  private final boolean nativeTransport;
  private final byte[] receiveBuffer = new byte[MAX_DATAGRAM + TAIL_ROOM];
  private final Runnable flushTask = this::flushNow;
  // Event-loop state: inside a receive batch (flushed at its end), and a flush already posted.
  private boolean reading;
  private boolean flushPosted;
  private long received;
  private long sent;

  private UdpMediaPort(
      InetSocketAddress bindAddress, UfragExtractor ufragExtractor, DropCounters drops, Io io)
      throws InterruptedException {
    if (io == Io.EPOLL && !Epoll.isAvailable()) {
      throw new IllegalStateException("epoll unavailable", Epoll.unavailabilityCause());
    }
    this.drops = drops;
    this.ufragExtractor = ufragExtractor;
    this.nativeTransport = io == Io.EPOLL;
    ThreadFactory threads = Thread.ofPlatform().name("visio-udp-", 0).daemon(true).factory();
    Bootstrap b = new Bootstrap();
    if (nativeTransport) {
      group = new MultiThreadIoEventLoopGroup(1, threads, EpollIoHandler.newFactory());
      // recvmmsg silently truncates a datagram to its slot: one spare byte makes an oversized
      // datagram arrive longer than MAX_DATAGRAM, so it is counted instead of routed cut short.
      int slot = MAX_DATAGRAM + 1;
      b.channel(EpollDatagramChannel.class)
          .option(EpollChannelOption.MAX_DATAGRAM_PAYLOAD_SIZE, slot)
          // A receive buffer of 32 datagrams lets one recvmmsg call fill a whole batch.
          .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(slot * 32));
    } else {
      group = new MultiThreadIoEventLoopGroup(1, threads, NioIoHandler.newFactory());
      b.channel(NioDatagramChannel.class);
    }
    b.group(group)
        .option(ChannelOption.SO_RCVBUF, 4 << 20)
        .option(ChannelOption.SO_SNDBUF, 4 << 20)
        .handler(new Receiver());
    channel = b.bind(bindAddress).sync().channel();
    log.info(
        "media UDP port bound on {} ({})",
        channel.localAddress(),
        nativeTransport ? "epoll" : "nio");
  }

  /** Binds the port with the {@linkplain Io#configured() configured} I/O. Port 0: ephemeral. */
  public static UdpMediaPort bind(
      InetSocketAddress bindAddress, UfragExtractor ufragExtractor, DropCounters drops)
      throws InterruptedException {
    return bind(bindAddress, ufragExtractor, drops, Io.configured());
  }

  /**
   * Binds the port with the given I/O.
   *
   * @throws IllegalStateException if {@code io} is {@link Io#EPOLL} and epoll is unavailable
   */
  public static UdpMediaPort bind(
      InetSocketAddress bindAddress, UfragExtractor ufragExtractor, DropCounters drops, Io io)
      throws InterruptedException {
    return new UdpMediaPort(bindAddress, ufragExtractor, drops, io);
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) channel.localAddress();
  }

  public boolean isNative() {
    return nativeTransport;
  }

  public DropCounters drops() {
    return drops;
  }

  public void registerUfrag(String ufrag, Endpoint endpoint) {
    byUfrag.put(ufrag, endpoint);
  }

  public void unregisterUfrag(String ufrag, Endpoint endpoint) {
    byUfrag.remove(ufrag, endpoint);
  }

  /** Routes everything from {@code remote} to {@code endpoint}. Call on the event loop. */
  public void bindRemote(InetSocketAddress remote, Endpoint endpoint) {
    assertOnLoop();
    byAddress.put(remote, endpoint);
  }

  /** Stops routing {@code remote} to {@code endpoint}. Call on the event loop. */
  public void unbindRemote(InetSocketAddress remote, Endpoint endpoint) {
    assertOnLoop();
    byAddress.remove(remote, endpoint);
  }

  /** Number of remote addresses currently routed (for metrics and tests). */
  public int boundAddressCount() {
    return byAddress.size();
  }

  /** Runs {@code task} on the event loop after {@code delay}. */
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return channel.eventLoop().schedule(task, delay, unit);
  }

  /** Runs {@code task} on the event loop every {@code period}, first after {@code period}. */
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long period, TimeUnit unit) {
    return channel.eventLoop().scheduleAtFixedRate(task, period, period, unit);
  }

  /** Removes every address routed to {@code endpoint}. Safe from any thread. */
  public void unbindAll(Endpoint endpoint) {
    execute(() -> byAddress.values().removeIf(e -> e == endpoint));
  }

  /** Runs a task on the port's event loop (the media thread). */
  public void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  public boolean inEventLoop() {
    return channel.eventLoop().inEventLoop();
  }

  /**
   * Sends one datagram; the bytes are copied before return. On the event loop the write joins the
   * current batch: during a receive batch it is flushed after the batch, otherwise (a timer or a
   * posted task, e.g. close_notify on close) by a flush posted behind the running task, so sends
   * from one task still leave in one sendmmsg. From other threads it is flushed at once.
   */
  public void send(byte[] buf, int off, int len, InetSocketAddress remote) {
    ByteBuf out = channel.alloc().directBuffer(len, len);
    out.writeBytes(buf, off, len);
    DatagramPacket packet = new DatagramPacket(out, remote);
    if (channel.eventLoop().inEventLoop()) {
      sent++;
      channel.write(packet, channel.voidPromise());
      if (!reading && !flushPosted) {
        flushPosted = true;
        channel.eventLoop().execute(flushTask);
      }
    } else {
      channel.writeAndFlush(packet, channel.voidPromise());
    }
  }

  private void flushNow() {
    flushPosted = false;
    channel.flush();
  }

  /** A sender bound to one remote address. */
  public DatagramSender senderTo(InetSocketAddress remote) {
    return (buf, off, len) -> send(buf, off, len, remote);
  }

  public void flush() {
    channel.flush();
  }

  /** Datagrams received since start (approximate when read off the event loop). */
  public long receivedCount() {
    return received;
  }

  public long sentCount() {
    return sent;
  }

  private void assertOnLoop() {
    if (!channel.eventLoop().inEventLoop()) {
      throw new IllegalStateException("must be called on the media event loop");
    }
  }

  private void route(byte[] buf, int len, InetSocketAddress remote) {
    received++;
    if (len == 0) {
      // Endpoints demultiplex on the first byte, which would be left over from the last datagram.
      drops.drop(DropReason.UNKNOWN_PROTOCOL);
      return;
    }
    Endpoint endpoint = byAddress.get(remote);
    if (endpoint == null) {
      // RFC 7983: only STUN (first byte 0..3) may come from an address not yet validated.
      if (len < 20 || (buf[0] & 0xFF) > 3) {
        if (log.isTraceEnabled()) {
          log.trace("non-STUN datagram from unvalidated {}", remote);
        }
        drops.drop(DropReason.UNKNOWN_SOURCE);
        return;
      }
      String ufrag = ufragExtractor.localUfrag(buf, 0, len);
      endpoint = ufrag == null ? null : byUfrag.get(ufrag);
      if (endpoint == null) {
        if (log.isTraceEnabled()) {
          log.trace("STUN from {} for unknown ufrag {}", remote, ufrag);
        }
        drops.drop(ufrag == null ? DropReason.MALFORMED_STUN : DropReason.UNKNOWN_UFRAG);
        return;
      }
    }
    try {
      endpoint.onDatagram(buf, 0, len, remote);
    } catch (RuntimeException e) {
      // A bug in one endpoint must not stop the loop serving every other peer.
      drops.drop(DropReason.ENDPOINT_ERROR);
      log.warn("endpoint failed on a datagram from {}", remote, e);
    }
  }

  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private final class Receiver extends SimpleChannelInboundHandler<DatagramPacket> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
      ByteBuf content = packet.content();
      int len = content.readableBytes();
      if (len > MAX_DATAGRAM) {
        drops.drop(DropReason.OVERSIZED);
        return;
      }
      reading = true;
      content.getBytes(content.readerIndex(), receiveBuffer, 0, len);
      route(receiveBuffer, len, packet.sender());
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      reading = false;
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("udp channel error", cause);
    }
  }
}
