package eu.visio.media.net;

/**
 * Where a transport writes its outgoing datagrams (already bound to one remote address). The bytes
 * are copied or sent before the call returns, so callers may reuse the buffer.
 */
@FunctionalInterface
public interface DatagramSender {
  void send(byte[] buf, int off, int len);
}
