package eu.visio.media.net;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.net.UdpMediaPort.Endpoint;
import eu.visio.media.net.UdpMediaPort.Route;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ICE-TCP connection accepted by a {@link TcpMediaPort}: deframes what it reads, routes the
 * connection by its first frame, and frames what its endpoint sends. Runs on the event loop of its
 * current {@link MediaWorker} (the owner of its endpoint once routed); only {@link #write} is
 * called from other threads (the DTLS handshake's).
 */
final class TcpConnection extends ChannelInboundHandlerAdapter implements FrameReader.Sink {
  private static final Logger log = LoggerFactory.getLogger(TcpConnection.class);

  /** Bytes read while the connection moves to its owner; a peer sending more is not a browser. */
  private static final int MAX_HELD = 64 << 10;

  private final TcpMediaPort port;
  private final Channel channel;
  private final DropCounters drops;
  private final FrameReader reader = new FrameReader(TcpMediaPort.MAX_FRAME);
  private final long openedNanos = System.nanoTime();
  private InetSocketAddress remote;

  // Event-loop state (of the loop the channel is registered on).
  private MediaWorker worker;
  private Endpoint endpoint;
  private ScheduledFuture<?> watchdog;
  private long partialSinceNanos;
  private boolean closed;
  private boolean started;
  // Holds one of its source's places in the port's cap of unrouted connections.
  private boolean capped;
  // The worker whose batch this read began (its sends wait for the read's end).
  private MediaWorker readingOn;
  // While moving to the owner: the first frame (with tail room) and bytes read after it.
  private Route moving;
  private byte[] firstFrame;
  private int firstFrameLength;
  private ByteBuf held;

  /** In its worker's list of connections to flush (that worker's thread only). */
  boolean unflushed;

  TcpConnection(TcpMediaPort port, Channel channel) {
    this.port = port;
    this.channel = channel;
    this.drops = port.media().drops();
  }

  /**
   * Added to a connection already open: one accepted elsewhere and adopted ({@link
   * TcpMediaPort#adopt}) gets no channelActive, so it starts here.
   */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (channel.isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start();
    ctx.fireChannelActive();
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    remote = (InetSocketAddress) channel.remoteAddress();
    worker = port.media().workerOn(channel.eventLoop());
    if (worker == null || remote == null) {
      closed = true;
      channel.close();
      return;
    }
    if (!port.unrouted().tryAcquire(remote.getAddress())) {
      fail(DropReason.TCP_SOURCE_CAP, "too many unrouted connections from this address");
      return;
    }
    capped = true;
    startWatchdog();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ByteBuf in = (ByteBuf) msg;
    try {
      if (closed) {
        return;
      }
      if (moving != null) {
        hold(in);
        return;
      }
      if (readingOn == null) {
        readingOn = worker;
        worker.beginTcpRead();
      }
      readFrames(in);
    } finally {
      in.release();
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (readingOn != null) {
      MediaWorker w = readingOn;
      readingOn = null;
      w.endTcpRead();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closed = true;
    if (watchdog != null) {
      watchdog.cancel(false);
    }
    if (worker != null && remote != null) {
      worker.removeTcpPath(remote, this);
    }
    releaseCap();
    releaseHeld();
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets and broken pipes are how TCP peers leave; nothing here is worth more than debug.
    log.debug("ICE-TCP connection from {} failed", remote, cause);
    closed = true;
    channel.close();
  }

  /** Deframes {@code in}, delivering or routing each frame, and notes a frame left incomplete. */
  private void readFrames(ByteBuf in) {
    long before = reader.frames();
    try {
      if (!reader.read(in, this)) {
        if (moving != null && in.isReadable()) {
          hold(in);
        }
        return;
      }
    } catch (FramingException e) {
      fail(DropReason.TCP_BAD_FRAME, e.getMessage());
      return;
    }
    if (!reader.midFrame()) {
      partialSinceNanos = 0;
    } else if (partialSinceNanos == 0 || reader.frames() != before) {
      partialSinceNanos = System.nanoTime();
    }
  }

  @Override
  public boolean onFrame(byte[] buf, int off, int len) {
    if (closed) {
      return false;
    }
    if (len == 0) {
      drops.drop(DropReason.UNKNOWN_PROTOCOL);
      return true;
    }
    if (endpoint == null) {
      return route(buf, off, len);
    }
    worker.deliverFrame(buf, off, len, remote, endpoint);
    return !closed;
  }

  /**
   * The first frame: a passive candidate's connection carries the peer's connectivity check first
   * (RFC 6544 §7.2), and its USERNAME's local ufrag names the endpoint.
   *
   * <p>A check for a ufrag not registered (yet) is dropped and counted ({@code UNKNOWN_UFRAG}) and
   * the connection waits for the next one, within the stall limit: when we offer, the browser
   * checks as soon as it has our offer, before its answer has reached us and made the transport;
   * over UDP such a check is simply lost and repeated, and closing the connection instead made the
   * browser give up on the pair for good.
   */
  private boolean route(byte[] buf, int off, int len) {
    UdpMediaPort media = port.media();
    boolean stun = len >= 20 && (buf[off] & 0xFF) < 4;
    String ufrag = stun ? media.ufragExtractor.localUfrag(buf, off, len) : null;
    if (ufrag == null) {
      fail(DropReason.TCP_BAD_FRAME, stun ? "first frame is no check" : "not STUN first");
      return false;
    }
    Route route = media.byUfrag.get(ufrag);
    if (route == null) {
      drops.drop(DropReason.UNKNOWN_UFRAG);
      return true;
    }
    if (route.owner() == worker) {
      attach(route.endpoint());
      worker.deliverFrame(buf, off, len, remote, endpoint);
      return !closed;
    }
    // Move to the owner's loop; the frame waits (with the tail room an endpoint may use).
    moving = route;
    firstFrame =
        Arrays.copyOf(Arrays.copyOfRange(buf, off, off + len), len + UdpMediaPort.TAIL_ROOM);
    firstFrameLength = len;
    watchdog.cancel(false);
    channel.config().setAutoRead(false);
    ChannelFuture _ = channel.deregister().addListener(this::onDeregistered);
    return false;
  }

  private void onDeregistered(Future<? super Void> f) {
    if (!f.isSuccess()) {
      channel.close();
      return;
    }
    ChannelFuture _ = moving.owner().loop().register(channel).addListener(this::onMoved);
  }

  /** On the owner's loop: deliver the first frame and what came after it, then read on. */
  private void onMoved(Future<? super Void> f) {
    if (!f.isSuccess()) {
      log.debug("ICE-TCP connection from {} could not move to its owner", remote, f.cause());
      closed = true;
      channel.close();
      return;
    }
    worker = moving.owner();
    Endpoint target = moving.endpoint();
    moving = null;
    startWatchdog();
    if (closed) {
      channel.close();
      return;
    }
    attach(target);
    worker.beginTcpRead();
    try {
      worker.deliverFrame(firstFrame, 0, firstFrameLength, remote, endpoint);
      firstFrame = null;
      ByteBuf rest = held;
      held = null;
      if (rest != null) {
        try {
          if (!closed) {
            readFrames(rest);
          }
        } finally {
          rest.release();
        }
      }
    } finally {
      worker.endTcpRead();
    }
    channel.config().setAutoRead(true);
  }

  private void attach(Endpoint e) {
    endpoint = e;
    worker.addTcpPath(remote, this);
    releaseCap();
  }

  private void releaseCap() {
    if (capped) {
      capped = false;
      port.unrouted().release(remote.getAddress());
    }
  }

  private void hold(ByteBuf in) {
    if (held == null) {
      held = channel.alloc().heapBuffer(in.readableBytes());
    }
    if (held.readableBytes() + in.readableBytes() > MAX_HELD) {
      fail(DropReason.TCP_BAD_FRAME, "too much data before the first check was answered");
      return;
    }
    held.writeBytes(in);
  }

  private void releaseHeld() {
    if (held != null) {
      held.release();
      held = null;
    }
  }

  private void startWatchdog() {
    long period =
        Math.max(
            TimeUnit.MILLISECONDS.toNanos(50), Math.min(1_000_000_000L, port.stallNanos() / 4));
    watchdog = worker.scheduleAtFixedRate(this::watch, period, TimeUnit.NANOSECONDS);
  }

  /** Closes a connection that stalls, or whose endpoint is gone. */
  private void watch() {
    if (closed) {
      watchdog.cancel(false);
      return;
    }
    long now = System.nanoTime();
    long stall = port.stallNanos();
    if (endpoint == null) {
      if (now - openedNanos > stall) {
        fail(DropReason.TCP_STALLED, "no first frame in time");
      }
    } else if (partialSinceNanos != 0 && now - partialSinceNanos > stall) {
      fail(DropReason.TCP_STALLED, "incomplete frame held too long");
    } else if (endpoint.isClosed()) {
      closed = true;
      channel.close();
    }
  }

  private void fail(DropReason reason, String why) {
    if (closed) {
      return;
    }
    closed = true;
    drops.drop(reason);
    if (log.isDebugEnabled()) {
      log.debug("ICE-TCP connection from {} closed: {}", remote, why);
    }
    channel.close();
  }

  /**
   * Frames one packet onto the connection; false when its outbound buffer is above the high
   * watermark or it is closed. On its loop the write waits for {@link #flush}; elsewhere it is
   * flushed at once (Netty runs it on the loop).
   */
  boolean write(byte[] buf, int off, int len, boolean onLoop) {
    if (!channel.isWritable()) {
      return false;
    }
    ByteBuf out = channel.alloc().directBuffer(len + FrameReader.HEADER);
    out.writeShort(len).writeBytes(buf, off, len);
    ChannelFuture _ =
        onLoop
            ? channel.write(out, channel.voidPromise())
            : channel.writeAndFlush(out, channel.voidPromise());
    return true;
  }

  void flush() {
    channel.flush();
  }
}
