package eu.visio.media.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts one accepted TCP connection to a {@link TurnConnection}: bytes in, frames out. A source
 * address over its connection cap is closed at once. Above the high write watermark (the client
 * reads slower than its peers send) relayed data is dropped, never queued without bound.
 */
final class TcpTurnHandler extends ChannelInboundHandlerAdapter implements TurnConnection.Output {
  private static final Logger log = LoggerFactory.getLogger(TcpTurnHandler.class);

  static final WriteBufferWaterMark WATERMARK = new WriteBufferWaterMark(64 << 10, 256 << 10);

  /** Installs a handler on each accepted connection. */
  static final class Initializer extends ChannelInitializer<Channel> {
    private final TurnServer server;

    Initializer(TurnServer server) {
      this.server = server;
    }

    @Override
    protected void initChannel(Channel ch) {
      ch.pipeline().addLast(new TcpTurnHandler(server, ch));
    }
  }

  private final TurnServer server;
  private final Channel channel;
  private TurnConnection connection;

  private TcpTurnHandler(TurnServer server, Channel channel) {
    this.server = server;
    this.channel = channel;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
    connection = remote == null ? null : server.openStream(remote, this);
    if (connection == null) {
      ChannelFuture _ = channel.close();
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      if (connection != null) {
        connection.receive(in);
      }
    } finally {
      in.release();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (connection != null) {
      connection.closed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets are how TCP clients leave.
    log.debug("TURN TCP connection failed", cause);
    ChannelFuture _ = channel.close();
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public boolean write(ByteBuf frame) {
    if (!channel.isWritable()) {
      frame.release();
      return false;
    }
    channel.write(frame, channel.voidPromise());
    return true;
  }

  @Override
  public void flush() {
    channel.flush();
  }

  @Override
  public void close() {
    ChannelFuture _ = channel.close();
  }
}
