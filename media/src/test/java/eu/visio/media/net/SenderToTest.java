package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link MediaWorker#senderTo} keeps whether its address is an ICE-TCP path between sends, and must
 * still answer as {@link MediaWorker#send} looking it up each time would: a peer whose TCP
 * connection is routed after the sender was made gets frames on it, and datagrams again once the
 * connection is gone. The peer holds the same port number on UDP and TCP, so one address is both.
 */
@Timeout(60)
class SenderToTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void aSenderFollowsTheTcpPathToItsAddressAsItComesAndGoes() throws Exception {
    LinkedBlockingQueue<byte[]> delivered = new LinkedBlockingQueue<>();
    // Every frame at least 20 bytes long with a first byte below 4 names the one endpoint.
    UdpMediaPort.UfragExtractor anyCheck = (buf, off, len) -> "peer";
    InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
    try (UdpMediaPort media = UdpMediaPort.bind(any, anyCheck, new DropCounters());
        SamePort ports = SamePort.bind()) {
      Socket tcp = ports.tcp();
      DatagramSocket udp = ports.udp();
      TcpMediaPort tcpPort = TcpMediaPort.bind(media, any);
      try {
        MediaWorker worker = media.worker(0);
        worker.registerUfrag(
            "peer",
            (buf, off, len, remote) -> delivered.add(Arrays.copyOfRange(buf, off, off + len)));
        InetSocketAddress peer = new InetSocketAddress(LOOPBACK, tcp.getLocalPort());
        DatagramSender sender = OnLoop.call(worker, () -> worker.senderTo(peer));
        udp.setSoTimeout((int) Poll.DEADLINE.toMillis());
        tcp.setSoTimeout((int) Poll.DEADLINE.toMillis());

        sendOnLoop(worker, sender, 1);
        assertThat(datagram(udp)).as("before any TCP path").containsExactly(1);

        tcp.connect(tcpPort.localAddress());
        byte[] check = new byte[20]; // the endpoint's first frame, as a connectivity check
        tcp.getOutputStream().write(frame(check));
        assertThat(delivered.poll(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(check);

        sendOnLoop(worker, sender, 2);
        DataInputStream in = new DataInputStream(tcp.getInputStream());
        assertThat(in.readUnsignedShort()).as("frame length").isEqualTo(1);
        assertThat(in.readByte()).as("framed on the routed connection").isEqualTo((byte) 2);

        tcp.close();
        Poll.until(
            "the path forgotten",
            () -> {
              sendOnLoop(worker, sender, 3);
              return receivedWithin(udp, 50) != null;
            });
      } finally {
        tcpPort.close();
      }
    }
  }

  private static void sendOnLoop(MediaWorker worker, DatagramSender sender, int b) {
    OnLoop.call(
        worker,
        () -> {
          sender.send(new byte[] {(byte) b}, 0, 1);
          return null;
        });
  }

  /** A TCP socket (bound, not connected) and a UDP one on the same loopback port number. */
  private record SamePort(Socket tcp, DatagramSocket udp) implements AutoCloseable {
    static SamePort bind() throws IOException {
      for (int attempt = 1; ; attempt++) {
        Socket tcp = new Socket();
        tcp.bind(new InetSocketAddress(LOOPBACK, 0));
        try {
          return new SamePort(
              tcp, new DatagramSocket(new InetSocketAddress(LOOPBACK, tcp.getLocalPort())));
        } catch (BindException e) { // that number is taken on UDP: another one
          tcp.close();
          if (attempt == 10) {
            throw e;
          }
        }
      }
    }

    @Override
    public void close() throws IOException {
      tcp.close();
      udp.close();
    }
  }

  private static byte[] frame(byte[] payload) {
    byte[] f = new byte[payload.length + 2];
    f[0] = (byte) (payload.length >> 8);
    f[1] = (byte) payload.length;
    System.arraycopy(payload, 0, f, 2, payload.length);
    return f;
  }

  private static byte[] datagram(DatagramSocket udp) throws IOException {
    DatagramPacket p = new DatagramPacket(new byte[64], 64);
    udp.receive(p);
    return Arrays.copyOf(p.getData(), p.getLength());
  }

  private static byte[] receivedWithin(DatagramSocket udp, int millis) {
    try {
      udp.setSoTimeout(millis);
      return datagram(udp);
    } catch (SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
