package eu.visio.server.tls;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.net.SourceCap;
import eu.visio.media.net.TcpMediaPort;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS port (443): one port for everything a locked-down network lets out. It reads the first
 * bytes of each connection ({@link FirstBytes}) and then steps aside:
 *
 * <ul>
 *   <li>TLS: relayed, bytes untouched, to Jetty's HTTPS connector on loopback, behind a PROXY
 *       protocol line that gives Jetty the client's address. Jetty terminates TLS and serves HTTP/2
 *       or HTTP/1.1 by ALPN, or STUN inside TLS ({@link StunStreamHandler});
 *   <li>RFC 4571-framed STUN: ICE-TCP, handed with those bytes to the {@link TcpMediaPort} ({@code
 *       adopt}), which serves it on the media workers exactly as on its own port;
 *   <li>anything else: closed and counted ({@code PORT_UNKNOWN_PROTOCOL}).
 * </ul>
 *
 * Its own event loop does the accepting, the detection and the relaying, so HTTPS bytes never touch
 * a media worker, and media never crosses a relay. Until a connection is identified it holds one of
 * its source address's {@link SourceCap} places (more are refused, {@code TCP_SOURCE_CAP}) and has
 * the stall limit to send enough bytes ({@code TCP_STALLED}).
 */
public final class TlsPort implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TlsPort.class);

  private final EventLoopGroup group;
  private final Channel server;
  private volatile InetSocketAddress https;
  private final TcpMediaPort iceTcp;
  private final DropCounters drops;
  private final SourceCap unidentified;
  private final long stallNanos;
  private final boolean epoll;

  /**
   * Listens on {@code bind}.
   *
   * @param iceTcp where ICE-TCP connections go, or null (then they are refused as unknown)
   * @param epoll whether to use epoll (as the media port does: adopted channels must match)
   */
  public TlsPort(
      InetSocketAddress bind,
      TcpMediaPort iceTcp,
      DropCounters drops,
      boolean epoll,
      Duration stallLimit,
      int perSource)
      throws InterruptedException {
    this.iceTcp = iceTcp;
    this.drops = drops;
    this.epoll = epoll;
    this.stallNanos = stallLimit.toNanos();
    this.unidentified = new SourceCap(perSource);
    group =
        new MultiThreadIoEventLoopGroup(
            1,
            Thread.ofPlatform().name("visio-tls-", 0).daemon(true).factory(),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    try {
      server =
          new ServerBootstrap()
              .group(group)
              .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
              .option(ChannelOption.SO_REUSEADDR, true)
              .option(ChannelOption.SO_BACKLOG, 1024)
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline().addLast(new Detector());
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
    } catch (RuntimeException | InterruptedException e) {
      group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      throw e;
    }
    log.info("TLS port bound on {} (HTTPS and ICE-TCP)", localAddress());
  }

  /**
   * Where TLS connections go: Jetty's HTTPS connector (loopback, PROXY protocol first). Until it is
   * set (Jetty starting), TLS connections are closed.
   */
  public void relayTo(InetSocketAddress connector) {
    https = connector;
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Connections not yet identified, per source address. */
  public SourceCap unidentified() {
    return unidentified;
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Waits for the first bytes, then hands the connection on. One per connection, on its loop. */
  private final class Detector extends ChannelInboundHandlerAdapter {
    private ByteBuf first;
    private ScheduledFuture<?> stall;
    private InetSocketAddress remote;
    private boolean capped;
    private boolean decided;

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      remote = (InetSocketAddress) ctx.channel().remoteAddress();
      if (remote == null || !unidentified.tryAcquire(remote.getAddress())) {
        drops.drop(DropReason.TCP_SOURCE_CAP);
        decided = true;
        ctx.close();
        return;
      }
      capped = true;
      stall = ctx.executor().schedule(() -> stalled(ctx), stallNanos, TimeUnit.NANOSECONDS);
      ctx.fireChannelActive();
    }

    private void stalled(ChannelHandlerContext ctx) {
      if (!decided) {
        decided = true;
        drops.drop(DropReason.TCP_STALLED);
        ctx.close();
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      if (decided) {
        in.release();
        return;
      }
      if (first == null) {
        first = in;
      } else {
        first = ctx.alloc().compositeBuffer(2).addComponents(true, first, in);
      }
      switch (FirstBytes.classify(first)) {
        case NEED_MORE -> {}
        case TLS -> relay(ctx, take());
        case ICE_TCP -> {
          ByteBuf bytes = take();
          if (iceTcp == null) {
            bytes.release();
            drops.drop(DropReason.PORT_UNKNOWN_PROTOCOL);
            ctx.close();
            return;
          }
          ctx.pipeline().remove(this);
          iceTcp.adopt(ctx.channel(), bytes);
        }
        case UNKNOWN -> {
          take().release();
          drops.drop(DropReason.PORT_UNKNOWN_PROTOCOL);
          ctx.close();
        }
      }
    }

    /** Decided: the bytes read so far, the place given back, the timer stopped. */
    private ByteBuf take() {
      decided = true;
      stall.cancel(false);
      release();
      ByteBuf b = first;
      first = null;
      return b;
    }

    private void release() {
      if (capped) {
        capped = false;
        unidentified.release(remote.getAddress());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (!decided && first != null) {
        // Gone before saying enough: neither TLS nor ICE-TCP as far as we can tell.
        drops.drop(DropReason.PORT_UNKNOWN_PROTOCOL);
      }
      decided = true;
      if (stall != null) {
        stall.cancel(false);
      }
      release();
      if (first != null) {
        first.release();
        first = null;
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("TLS port connection from {} failed", remote, cause);
      ctx.close();
    }

    /** TLS: connect to Jetty, announce the client, then copy both ways. */
    private void relay(ChannelHandlerContext ctx, ByteBuf hello) {
      Channel client = ctx.channel();
      InetSocketAddress target = https;
      if (target == null) {
        hello.release();
        ctx.close();
        return;
      }
      client.config().setAutoRead(false);
      ctx.pipeline().remove(this);
      ChannelFuture connecting =
          new Bootstrap()
              .group(client.eventLoop())
              .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
              .option(ChannelOption.TCP_NODELAY, true)
              .option(ChannelOption.AUTO_READ, false)
              .handler(new Relay(client))
              .connect(target);
      ChannelFuture _ =
          connecting.addListener(
              (ChannelFutureListener)
                  f -> {
                    if (!f.isSuccess()) {
                      log.warn("TLS port: HTTPS connector unreachable", f.cause());
                      hello.release();
                      client.close();
                      return;
                    }
                    Channel jetty = f.channel();
                    if (!client.isActive()) {
                      hello.release();
                      jetty.close();
                      return;
                    }
                    client.pipeline().addLast(new Relay(jetty));
                    ChannelFuture __ = jetty.write(proxyLine(client));
                    ChannelFuture ___ = jetty.writeAndFlush(hello);
                    client.config().setAutoRead(true);
                    jetty.config().setAutoRead(true);
                  });
    }
  }

  /**
   * The PROXY protocol (v1) line: the client's address and the one it reached, so Jetty sees the
   * real peer (rate limits, logs) rather than this relay.
   */
  static ByteBuf proxyLine(Channel client) {
    InetSocketAddress src = (InetSocketAddress) client.remoteAddress();
    InetSocketAddress dst = (InetSocketAddress) client.localAddress();
    String line;
    boolean v4 = src.getAddress() instanceof Inet4Address;
    if (v4 != dst.getAddress() instanceof Inet4Address) {
      line = "PROXY UNKNOWN\r\n";
    } else {
      line =
          "PROXY "
              + (v4 ? "TCP4 " : "TCP6 ")
              + host(src)
              + " "
              + host(dst)
              + " "
              + src.getPort()
              + " "
              + dst.getPort()
              + "\r\n";
    }
    return Unpooled.copiedBuffer(line, StandardCharsets.US_ASCII);
  }

  private static String host(InetSocketAddress a) {
    String s = a.getAddress().getHostAddress();
    int scope = s.indexOf('%');
    return scope < 0 ? s : s.substring(0, scope);
  }

  /**
   * Copies what one side reads to the other; when the other cannot take more (its outbound buffer
   * above the high watermark), stops reading this side until it drains. A close on either side
   * closes both, after what was already written.
   */
  private static final class Relay extends ChannelInboundHandlerAdapter {
    private final Channel peer;

    Relay(Channel peer) {
      this.peer = peer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ChannelFuture _ = peer.writeAndFlush(msg, peer.voidPromise());
      if (!peer.isWritable()) {
        ctx.channel().config().setAutoRead(false);
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      // This side drained (or filled): let the peer's reads follow.
      peer.config().setAutoRead(ctx.channel().isWritable());
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (peer.isActive()) {
        ChannelFuture _ =
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
