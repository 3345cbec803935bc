package eu.visio.server.tls;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Serves a TLS connection on the TLS port whose first decrypted bytes are STUN rather than HTTP:
 * TURN over TLS (RFC 8656 §3.1: STUN messages and ChannelData back to back on the stream, told
 * apart by their first two bits, 00 and 01). Jetty terminates TLS and reads; the handler sees
 * plaintext bytes and answers through its {@link Peer}. Without a handler such connections are
 * closed and counted ({@code STUN_OVER_TLS_UNHANDLED}).
 *
 * <p>Calls come from Jetty's threads, one at a time per connection; none may block.
 */
@FunctionalInterface
public interface StunStreamHandler {
  /** A new connection from {@code remote}, already identified as STUN; its session. */
  Session open(InetSocketAddress remote, Peer peer);

  /** One connection's protocol state. */
  interface Session {
    /**
     * Bytes read, from the buffer's position to its limit. Consume what makes whole messages
     * (advance the position); the rest is kept and offered again with what follows. A session that
     * leaves a full buffer unconsumed is closed (no message we take is that long).
     */
    void onBytes(ByteBuffer bytes);

    /** The connection is gone (either side closed it). */
    default void onClosed() {}
  }

  /** The way back to the client. */
  interface Peer {
    /**
     * Sends {@code bytes} (copied; the caller keeps the buffer). False, and nothing sent, when
     * {@link StunStream#MAX_PENDING} bytes already wait for a slow client: drop it, as media over
     * ICE-TCP does, rather than queue without bound.
     */
    boolean send(ByteBuffer bytes);

    /** Closes the connection once what was sent is written. */
    void close();
  }
}
