package eu.visio.media.turn;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;

/** A UDP peer on loopback that sends every datagram back to where it came from. */
final class EchoPeer implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  final AtomicInteger received = new AtomicInteger();

  EchoPeer() throws IOException {
    socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    thread = Thread.ofVirtual().start(this::run);
  }

  InetSocketAddress address() {
    return (InetSocketAddress) socket.getLocalSocketAddress();
  }

  private void run() {
    byte[] buf = new byte[70_000];
    while (!socket.isClosed()) {
      DatagramPacket p = new DatagramPacket(buf, buf.length);
      try {
        socket.receive(p);
        received.incrementAndGet();
        socket.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join();
  }
}
