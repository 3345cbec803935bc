package eu.visio.server.tls;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * After TLS, the connection's first bytes decide between STUN (handed to the {@link
 * StunStreamHandler}, if any) and HTTP/1.1: the protocol Jetty's ALPN falls back to when a client
 * names none, which is what TURN clients do. (Clients that negotiate h2 or http/1.1 by ALPN go
 * straight there.)
 */
final class StunStream {
  /** Bytes a connection may have waiting to be written before sends are refused. */
  static final int MAX_PENDING = 256 << 10;

  /** Read buffer: a STUN message or ChannelData on a stream is at most 64 KiB + 4 bytes. */
  static final int READ_BUFFER = 65_540;

  private StunStream() {}

  /**
   * Detection after TLS: STUN ({@link Stun}) or else {@code http}.
   *
   * @param handler the STUN handler, or null (STUN is then closed and counted)
   */
  static DetectorConnectionFactory orHttp(
      StunStreamHandler handler, DropCounters drops, ConnectionFactory http) {
    return new DetectorConnectionFactory(new Stun(handler, drops)) {
      @Override
      protected void nextProtocol(Connector connector, EndPoint endPoint, java.nio.ByteBuffer b) {
        upgradeToConnectionFactory(http, connector, endPoint);
      }
    };
  }

  /**
   * Recognises a STUN message: first two bits 0 and the magic cookie at bytes 4 to 7 (plaintext
   * STUN is not framed over TLS). HTTP starts with a letter (a method, or h2's "PRI"), never 0x00
   * to 0x3f.
   */
  static final class Stun implements ConnectionFactory.Detecting {
    private static final byte[] COOKIE = {0x21, 0x12, (byte) 0xa4, 0x42};
    private final StunStreamHandler handler;
    private final DropCounters drops;

    Stun(StunStreamHandler handler, DropCounters drops) {
      this.handler = handler;
      this.drops = drops;
    }

    @Override
    public Detection detect(ByteBuffer buffer) {
      int n = buffer.remaining();
      int at = buffer.position();
      if (n > 0 && (buffer.get(at) & 0xc0) != 0) {
        return Detection.NOT_RECOGNIZED;
      }
      for (int i = 4; i < Math.min(n, 8); i++) {
        if (buffer.get(at + i) != COOKIE[i - 4]) {
          return Detection.NOT_RECOGNIZED;
        }
      }
      return n < 8 ? Detection.NEED_MORE_BYTES : Detection.RECOGNIZED;
    }

    @Override
    public String getProtocol() {
      return "stun";
    }

    @Override
    public java.util.List<String> getProtocols() {
      return java.util.List.of(getProtocol());
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      if (handler == null) {
        drops.drop(DropReason.STUN_OVER_TLS_UNHANDLED);
        return new Refused(endPoint, connector.getExecutor());
      }
      return new Link(endPoint, connector.getExecutor(), handler);
    }
  }

  /** No handler: closes as it opens. */
  private static final class Refused extends AbstractConnection implements Connection.UpgradeTo {
    Refused(EndPoint endPoint, Executor executor) {
      super(endPoint, executor);
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
      // The STUN bytes the detector read: dropped with the connection.
    }

    @Override
    public void onOpen() {
      super.onOpen();
      getEndPoint().close();
    }

    @Override
    public void onFillable() {
      getEndPoint().close();
    }
  }

  /** A connection served by a handler: reads into its session, writes what it sends in order. */
  static final class Link extends AbstractConnection
      implements Connection.UpgradeTo, StunStreamHandler.Peer {
    private final StunStreamHandler handler;
    private final ByteBuffer in = BufferUtil.allocate(READ_BUFFER);
    private StunStreamHandler.Session session;
    // Writes in order, one at a time (Jetty allows one pending write per end point).
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();
    private int pending;
    private boolean writing;
    private boolean closeAfterWrites;

    Link(EndPoint endPoint, Executor executor, StunStreamHandler handler) {
      super(endPoint, executor);
      this.handler = handler;
    }

    @Override
    public void onUpgradeTo(ByteBuffer buffer) {
      // The bytes the detector read: the first of the stream.
      BufferUtil.append(in, buffer);
    }

    @Override
    public void onOpen() {
      super.onOpen();
      session = handler.open((InetSocketAddress) getEndPoint().getRemoteSocketAddress(), this);
      if (deliver()) {
        fillInterested();
      }
    }

    @Override
    public void onFillable() {
      try {
        while (true) {
          int n = getEndPoint().fill(in);
          if (n < 0) {
            getEndPoint().close();
            return;
          }
          if (n == 0) {
            fillInterested();
            return;
          }
          if (!deliver()) {
            return;
          }
        }
      } catch (java.io.IOException e) {
        getEndPoint().close(e);
      }
    }

    /** Offers what is buffered; false (and closed) if the session took nothing of a full buffer. */
    private boolean deliver() {
      if (in.hasRemaining()) {
        session.onBytes(in);
      }
      BufferUtil.compact(in);
      if (BufferUtil.space(in) == 0) {
        getEndPoint().close();
        return false;
      }
      return true;
    }

    @Override
    public void onClose(Throwable cause) {
      super.onClose(cause);
      if (session != null) {
        session.onClosed();
      }
    }

    @Override
    public boolean send(ByteBuffer bytes) {
      ByteBuffer copy = BufferUtil.copy(bytes);
      synchronized (queue) {
        if (closeAfterWrites || pending + copy.remaining() > MAX_PENDING) {
          return false;
        }
        pending += copy.remaining();
        queue.add(copy);
        if (writing) {
          return true;
        }
        writing = true;
      }
      writeNext();
      return true;
    }

    private void writeNext() {
      ByteBuffer next;
      synchronized (queue) {
        next = queue.poll();
        if (next == null) {
          writing = false;
          if (closeAfterWrites) {
            getEndPoint().close();
          }
          return;
        }
        pending -= next.remaining();
      }
      getEndPoint().write(Callback.from(this::writeNext, getEndPoint()::close), next);
    }

    @Override
    public void close() {
      synchronized (queue) {
        closeAfterWrites = true;
        if (writing) {
          return;
        }
      }
      getEndPoint().close();
    }
  }
}
