package eu.visio.media.turn;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One TURN session over a byte stream (RFC 8656 §3.1: TCP, or TLS once decrypted): deframes STUN
 * and ChannelData ({@link TurnFrameReader}, §12.5), hands them to the server, and writes answers
 * and relayed data back through an {@link Output}. Transport-agnostic: the server's own TCP
 * listener uses it, and so can any other source of a stream (a TLS listener, Jetty on the HTTPS
 * port) via {@link TurnServer#openStream}.
 *
 * <p>Its allocation (if any) lives as long as the stream: closing it deletes the allocation. A
 * stream that holds a partial frame, or has no allocation, for longer than the configured stall
 * timeout is closed ({@link TurnReason#TCP_STALLED}).
 */
public final class TurnConnection {

  /** Where a connection's bytes go: the stream back to the client. */
  public interface Output {
    ByteBufAllocator alloc();

    /**
     * Queues {@code frame} (ownership passes); false if the stream is full or closed, and the frame
     * was released.
     */
    boolean write(ByteBuf frame);

    /** Sends what {@link #write} queued. */
    void flush();

    /** Closes the stream; the source then calls {@link TurnConnection#closed()}. */
    void close();
  }

  private final TurnServer server;
  private final Output output;
  private final Link link;
  private final TurnFrameReader reader;
  private final long stallNanos;
  private final ScheduledFuture<?> watchdog;
  private long partialSince;
  private long quietSince = System.nanoTime();
  private boolean closed;

  TurnConnection(TurnServer server, InetSocketAddress remote, Output output) {
    this.server = server;
    this.output = output;
    this.link = new Link(remote);
    this.reader = new TurnFrameReader(server.config().maxMessage());
    this.stallNanos = server.config().stallTimeout().toNanos();
    long period = Math.max(TimeUnit.MILLISECONDS.toNanos(50), stallNanos / 4);
    this.watchdog =
        server.loop().scheduleAtFixedRate(this::watch, period, period, TimeUnit.NANOSECONDS);
  }

  /**
   * Bytes read from the stream (released by the caller). On the server's loop they are handled at
   * once; from another thread they are copied and handed to the loop (one copy per read).
   */
  public void receive(ByteBuf in) {
    if (server.loop().inEventLoop()) {
      process(in);
      return;
    }
    ByteBuf copy = in.copy();
    server
        .loop()
        .execute(
            () -> {
              try {
                process(copy);
              } finally {
                copy.release();
              }
            });
  }

  /** The stream has ended: deletes the allocation. Safe from any thread. */
  public void closed() {
    if (!server.loop().inEventLoop()) {
      server.loop().execute(this::closed);
      return;
    }
    if (closed) {
      return;
    }
    closed = true;
    watchdog.cancel(false);
    Allocation a = link.allocation;
    if (a != null) {
      server.deleteAllocation(a);
    }
    server.releaseStream(link.remote.getAddress());
  }

  private void process(ByteBuf in) {
    if (closed) {
      return;
    }
    long before = reader.frames();
    try {
      reader.read(in, sink);
    } catch (TurnParseException e) {
      fail(TurnReason.MALFORMED);
      return;
    } catch (RuntimeException e) {
      server.handlerFailed("a stream", e);
      fail(TurnReason.HANDLER_ERROR);
      return;
    } finally {
      server.handler().flushAll();
    }
    if (!reader.midFrame()) {
      partialSince = 0;
    } else if (partialSince == 0 || reader.frames() != before) {
      partialSince = System.nanoTime();
    }
  }

  private final TurnFrameReader.Sink sink =
      new TurnFrameReader.Sink() {
        @Override
        public void onFrame(byte[] buf, int off, int len) {
          if (!closed) {
            server.handler().onClientMessage(link, buf, off, len);
          }
        }

        @Override
        public void onOversized() {
          server.counters().add(TurnReason.OVERSIZED);
        }
      };

  private void watch() {
    if (closed) {
      watchdog.cancel(false);
      return;
    }
    long now = System.nanoTime();
    if (link.allocation != null || link.pendingAllocate != null) {
      quietSince = now;
    }
    if ((partialSince != 0 && now - partialSince > stallNanos) || now - quietSince > stallNanos) {
      fail(TurnReason.TCP_STALLED);
    }
  }

  private void fail(TurnReason reason) {
    if (closed) {
      return;
    }
    if (reason != TurnReason.HANDLER_ERROR) {
      server.counters().add(reason);
    }
    output.close();
    closed();
  }

  /** The stream as a client 5-tuple. */
  private final class Link extends ClientLink {
    Link(InetSocketAddress remote) {
      super(remote);
    }

    @Override
    boolean stream() {
      return true;
    }

    @Override
    ByteBufAllocator alloc() {
      return output.alloc();
    }

    @Override
    boolean send(ByteBuf out) {
      if (closed || !output.write(out)) {
        if (closed) {
          out.release();
        }
        server.counters().add(TurnReason.SEND_FULL);
        return false;
      }
      server.handler().markDirty(TurnConnection.this);
      return true;
    }

    @Override
    boolean isGone() {
      return closed;
    }

    @Override
    void allocationGone() {
      quietSince = System.nanoTime();
    }
  }

  /** In the handler's list of streams to flush (loop only). */
  boolean unflushed;

  void flush() {
    output.flush();
  }
}
