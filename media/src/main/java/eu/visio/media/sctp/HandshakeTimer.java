package eu.visio.media.sctp;

/**
 * The chunk of the handshake we wait an answer for (INIT, then COOKIE ECHO) and its retransmission
 * timer (RFC 9260 §5.1: T1-init and T1-cookie), doubling from the initial RTO up to {@value
 * #MAX_SENDS} sends, after which the association gives up.
 */
final class HandshakeTimer {
  static final int MAX_SENDS = 9; // the first send and 8 retransmissions (Max.Init.Retransmits)

  private Chunk chunk;
  private long deadline = -1;
  private long rto = SendBuffer.RTO_INITIAL_NANOS;
  private int sends;

  /** {@code c} is sent now (a new handshake step: its own count of retransmissions). */
  void start(Chunk c, long nowNanos) {
    chunk = c;
    sends = 0;
    sent(nowNanos);
  }

  /** The chunk went out (again) now. */
  void sent(long nowNanos) {
    sends++;
    deadline = nowNanos + rto;
  }

  /** The handshake step is answered, or abandoned. */
  void stop() {
    chunk = null;
    deadline = -1;
  }

  /** The chunk to send again now, or null; {@link #exhausted} tells when to give up instead. */
  Chunk due(long nowNanos) {
    if (deadline < 0 || nowNanos < deadline) {
      return null;
    }
    rto = Math.min(rto * 2, SendBuffer.RTO_MAX_NANOS);
    return chunk;
  }

  boolean exhausted() {
    return sends >= MAX_SENDS;
  }

  boolean running() {
    return chunk != null;
  }

  long deadline() {
    return deadline;
  }
}
