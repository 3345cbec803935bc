package eu.visio.media.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TCP media port (ICE-TCP, RFC 6544): we offer passive TCP host candidates on it, browsers
 * connect and speak RFC 4571 frames, each carrying what a UDP datagram would (STUN, DTLS, SRTP).
 *
 * <p>The connections are served by the {@link UdpMediaPort}'s media workers: Netty places each new
 * one on some worker; its first frame must be a STUN Binding request whose USERNAME names a
 * registered local ufrag, which finds the endpoint and the worker that owns it. A connection on the
 * wrong worker is moved to the owner's event loop (deregistered, then registered there) before its
 * first frame is delivered, so from then on it lives with its endpoint like a UDP path: frames are
 * delivered on the owner without a hand-off, and the endpoint's sends to the connection's address
 * are framed onto it (see {@link MediaWorker#send}).
 *
 * <p>Bad input closes the connection and counts it: a frame longer than {@link #MAX_FRAME} or a
 * first frame that is not a check ({@code TCP_BAD_FRAME}); no check for a known ufrag, or an
 * incomplete frame held, for longer than the stall limit ({@code TCP_STALLED}). Checks for a ufrag
 * not registered yet are dropped ({@code UNKNOWN_UFRAG}) and the connection waits for the next.
 * Outbound, each connection has write-buffer watermarks; above the high one, packets for it are
 * dropped ({@code TCP_SEND_FULL}) rather than queued, so a slow reader never holds the worker's
 * memory or time. One source address may hold at most {@link SourceCap#DEFAULT_LIMIT} connections
 * not yet routed; more are closed at once ({@code TCP_SOURCE_CAP}).
 *
 * <p>Another port may hand over connections it identified as ICE-TCP ({@link #adopt}): the TLS
 * port, so that a browser that can reach nothing but 443 still has a media path.
 */
public final class TcpMediaPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TcpMediaPort.class);

  /** Largest frame we accept: the same as a UDP datagram. */
  public static final int MAX_FRAME = UdpMediaPort.MAX_DATAGRAM;

  /** How long a connection may go without a first frame, or sit on a partial one. */
  public static final Duration DEFAULT_STALL_LIMIT = Duration.ofSeconds(5);

  /**
   * Outbound buffer per connection: above 256 KiB (about a second of a 2 Mb/s camera) the
   * connection stops taking packets until it drains below 64 KiB. Media that late is worth less
   * than the loss it causes, and congestion control sees the loss.
   */
  static final WriteBufferWaterMark WATERMARK = new WriteBufferWaterMark(64 << 10, 256 << 10);

  private final UdpMediaPort media;
  private final Channel server;
  private final long stallNanos;
  private final SourceCap unrouted;

  private TcpMediaPort(
      UdpMediaPort media, InetSocketAddress bindAddress, Duration stallLimit, SourceCap unrouted)
      throws InterruptedException {
    this.media = media;
    this.stallNanos = stallLimit.toNanos();
    this.unrouted = unrouted;
    ServerBootstrap b =
        new ServerBootstrap()
            .group(media.group(), media.group())
            .channel(
                media.isNative() ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .option(ChannelOption.SO_BACKLOG, 1024)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATERMARK)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new TcpConnection(TcpMediaPort.this, ch));
                  }
                });
    server = b.bind(bindAddress).sync().channel();
    log.info("media TCP port bound on {}", localAddress());
  }

  /**
   * Listens on {@code bindAddress} (port 0: an ephemeral one) for ICE-TCP connections to the
   * endpoints of {@code media}, with the same I/O (epoll or NIO) and workers.
   */
  public static TcpMediaPort bind(UdpMediaPort media, InetSocketAddress bindAddress)
      throws InterruptedException {
    return bind(media, bindAddress, DEFAULT_STALL_LIMIT);
  }

  /** As {@link #bind(UdpMediaPort, InetSocketAddress)}, with another stall limit (for tests). */
  public static TcpMediaPort bind(
      UdpMediaPort media, InetSocketAddress bindAddress, Duration stallLimit)
      throws InterruptedException {
    return bind(media, bindAddress, stallLimit, SourceCap.DEFAULT_LIMIT);
  }

  /**
   * As {@link #bind(UdpMediaPort, InetSocketAddress, Duration)}, with at most {@code
   * unroutedPerSource} connections per source address not yet routed by a first check (more are
   * closed at once and counted as {@code TCP_SOURCE_CAP}); the cap covers adopted connections too.
   */
  public static TcpMediaPort bind(
      UdpMediaPort media, InetSocketAddress bindAddress, Duration stallLimit, int unroutedPerSource)
      throws InterruptedException {
    if (stallLimit.isNegative() || stallLimit.isZero()) {
      throw new IllegalArgumentException("stall limit must be positive: " + stallLimit);
    }
    return new TcpMediaPort(media, bindAddress, stallLimit, new SourceCap(unroutedPerSource));
  }

  /**
   * Takes over an ICE-TCP connection that another port accepted and identified (the TLS port, whose
   * first bytes were an RFC 4571-framed STUN Binding request): the channel leaves its event loop
   * for a media worker's and is served from then on exactly like one accepted here (the same
   * routing, stall limit, watermarks, counters and cap), {@code firstBytes} (released here) being
   * its first read. The channel must use this port's I/O ({@link UdpMediaPort#isNative() epoll or
   * NIO}) and must have no handler left that reads; nothing here blocks the calling loop.
   */
  public void adopt(Channel channel, ByteBuf firstBytes) {
    channel.config().setAutoRead(false);
    channel.config().setWriteBufferWaterMark(WATERMARK);
    channel.config().setOption(ChannelOption.TCP_NODELAY, true);
    EventLoop target = media.group().next();
    ChannelFuture _ =
        channel
            .deregister()
            .addListener(
                left -> {
                  if (!left.isSuccess()) {
                    firstBytes.release();
                    channel.close();
                    return;
                  }
                  ChannelFuture __ =
                      target
                          .register(channel)
                          .addListener(
                              joined -> {
                                if (!joined.isSuccess()) {
                                  firstBytes.release();
                                  channel.close();
                                  return;
                                }
                                // On the worker's loop: the connection starts as it is added.
                                channel.pipeline().addLast(new TcpConnection(this, channel));
                                channel.config().setAutoRead(true);
                                channel.pipeline().fireChannelRead(firstBytes);
                                channel.pipeline().fireChannelReadComplete();
                              });
                });
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  UdpMediaPort media() {
    return media;
  }

  long stallNanos() {
    return stallNanos;
  }

  /** Connections not yet routed, per source address (this port's and adopted ones). */
  public SourceCap unrouted() {
    return unrouted;
  }

  /**
   * Stops accepting; open connections close with the media workers. Waits for the listening
   * socket's worker at most {@link UdpMediaPort#CLOSE_WAIT_SECONDS}: one stuck in a task must not
   * hold a server's shutdown for good.
   */
  @Override
  public void close() {
    if (!server.close().awaitUninterruptibly(UdpMediaPort.CLOSE_WAIT_SECONDS, TimeUnit.SECONDS)) {
      log.warn(
          "ICE-TCP port not closed within {} s (its media worker stuck in a task?): closed"
              + " without it",
          UdpMediaPort.CLOSE_WAIT_SECONDS);
    }
  }
}
