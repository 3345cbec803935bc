package eu.visio.media.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
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
 * first frame that is not a check for a known ufrag ({@code TCP_BAD_FRAME}); no first frame, or an
 * incomplete frame held longer than the stall limit ({@code TCP_STALLED}). Outbound, each
 * connection has write-buffer watermarks; above the high one, packets for it are dropped ({@code
 * TCP_SEND_FULL}) rather than queued, so a slow reader never holds the worker's memory or time.
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

  private TcpMediaPort(UdpMediaPort media, InetSocketAddress bindAddress, Duration stallLimit)
      throws InterruptedException {
    this.media = media;
    this.stallNanos = stallLimit.toNanos();
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
    if (stallLimit.isNegative() || stallLimit.isZero()) {
      throw new IllegalArgumentException("stall limit must be positive: " + stallLimit);
    }
    return new TcpMediaPort(media, bindAddress, stallLimit);
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

  /** Stops accepting; open connections close with the media workers. */
  @Override
  public void close() {
    server.close().syncUninterruptibly();
  }
}
