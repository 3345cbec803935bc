package eu.visio.media.relay;

/**
 * Where a link's datagrams go and come from: a UDP socket to the peer node ({@link UdpLinkSocket}),
 * or a test's stand-in. Sends may come from several threads (the room's worker, the receive thread
 * answering a hello); implementations must allow that without allocating per datagram.
 */
public interface LinkTransport extends AutoCloseable {

  /** What receives the peer's datagrams, on the transport's receive thread. */
  @FunctionalInterface
  interface Receiver {
    /** {@code buf} is the transport's and reused after the call returns. */
    void onDatagram(byte[] buf, int off, int len);
  }

  /** Starts delivering datagrams to {@code receiver}. Called once. */
  void start(Receiver receiver);

  /** Sends one datagram; false when it could not (counted by the caller). */
  boolean send(byte[] buf, int off, int len);

  /** Stops receiving and releases the socket. */
  @Override
  void close();
}
