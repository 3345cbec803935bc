package eu.visio.media.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;

/**
 * A port of its own (its own event loop, as the server's TLS port has) that hands every connection
 * to a {@link TcpMediaPort} with its first bytes: the shape of the TLS port's ICE-TCP hand-off,
 * without the detection, so the ICE-TCP contract can run over adopted connections.
 */
public final class AdoptingFront implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel server;

  public AdoptingFront(TcpMediaPort media, InetSocketAddress bind) throws InterruptedException {
    boolean epoll = media.media().isNative();
    group =
        new MultiThreadIoEventLoopGroup(
            1, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    server =
        new ServerBootstrap()
            .group(group)
            .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline()
                        .addLast(
                            new ChannelInboundHandlerAdapter() {
                              @Override
                              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                ctx.pipeline().remove(this);
                                media.adopt(ctx.channel(), (ByteBuf) msg);
                              }
                            });
                  }
                })
            .bind(bind)
            .sync()
            .channel();
  }

  public InetSocketAddress localAddress() {
    return (InetSocketAddress) server.localAddress();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }
}
