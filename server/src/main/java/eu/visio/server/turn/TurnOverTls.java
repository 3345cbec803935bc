package eu.visio.server.turn;

import eu.visio.media.turn.TurnConnection;
import eu.visio.media.turn.TurnServer;
import eu.visio.server.tls.StunStreamHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * TURN over TLS on the TLS port (RFC 8656 §3.1): Jetty terminates TLS and detects STUN, and each
 * such connection becomes a {@link TurnConnection} of the embedded server. The connection cap per
 * source address is the TURN server's own ({@link TurnServer#openStream} refuses beyond it, counted
 * as {@code TCP_CONNECTION_LIMIT}), shared with TURN over TCP: the TLS port's own cap covers only
 * connections not yet identified.
 */
public final class TurnOverTls implements StunStreamHandler {
  private final TurnServer turn;

  public TurnOverTls(TurnServer turn) {
    this.turn = turn;
  }

  @Override
  public Session open(InetSocketAddress remote, Peer peer) {
    TurnConnection connection = turn.openStream(remote, new Output(peer));
    if (connection == null) {
      peer.close(); // over the source's cap: counted by the TURN server
      return bytes -> bytes.position(bytes.limit());
    }
    return new Session() {
      @Override
      public void onBytes(ByteBuffer bytes) {
        // The connection keeps partial frames itself (and copies when off its loop): take all.
        connection.receive(Unpooled.wrappedBuffer(bytes));
        bytes.position(bytes.limit());
      }

      @Override
      public void onClosed() {
        connection.closed();
      }
    };
  }

  /** Frames back to the client through Jetty; the peer copies, so each frame is released here. */
  private record Output(Peer peer) implements TurnConnection.Output {
    @Override
    public ByteBufAllocator alloc() {
      return ByteBufAllocator.DEFAULT;
    }

    @Override
    public boolean write(ByteBuf frame) {
      try {
        return peer.send(frame.nioBuffer());
      } finally {
        frame.release();
      }
    }

    @Override
    public void flush() {
      // Each send is written as it comes (Jetty queues in order).
    }

    @Override
    public void close() {
      peer.close();
    }
  }
}
