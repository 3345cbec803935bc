package eu.visio.loadtest.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

/** The bare relay in this JVM, driven by plain sockets. */
class RelayTest {
  private static byte[] rtp(int ssrc) {
    byte[] b = new byte[40];
    b[0] = (byte) 0x80;
    b[1] = 96;
    b[8] = (byte) (ssrc >>> 24);
    b[9] = (byte) (ssrc >>> 16);
    b[10] = (byte) (ssrc >>> 8);
    b[11] = (byte) ssrc;
    return b;
  }

  private static void hello(DatagramSocket s, InetSocketAddress relay, byte[] hello)
      throws Exception {
    s.send(new DatagramPacket(hello, hello.length, relay));
    byte[] in = new byte[64];
    DatagramPacket p = new DatagramPacket(in, in.length);
    s.receive(p);
    assertThat(RelayHello.isAck(in, p.getLength())).isTrue();
  }

  private static int receiveSsrc(DatagramSocket s) throws Exception {
    byte[] in = new byte[1500];
    DatagramPacket p = new DatagramPacket(in, in.length);
    try {
      s.receive(p);
    } catch (SocketTimeoutException e) {
      return -1;
    }
    return (in[8] & 0xFF) << 24 | (in[9] & 0xFF) << 16 | (in[10] & 0xFF) << 8 | (in[11] & 0xFF);
  }

  @Test
  void audioToAllVideoByLayerNothingBackAndAReusedAddressStartsAfresh() throws Exception {
    try (Relay relay = Relay.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
        DatagramSocket pub = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        DatagramSocket sub = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      InetSocketAddress at = relay.localAddress();
      pub.setSoTimeout(300);
      sub.setSoTimeout(2000);
      // sub's address first says hello as a bot that wants nothing (a port's earlier owner).
      hello(sub, at, RelayHello.request(-1, false, 0));
      hello(sub, at, RelayHello.request(-1, true, 2));
      hello(pub, at, RelayHello.request(0, true, 2));
      for (int ssrc : new int[] {0x10000000, 0x10000002, 0x10000003}) {
        pub.send(new DatagramPacket(rtp(ssrc), 40, at));
      }
      assertThat(receiveSsrc(sub)).as("high layer").isEqualTo(0x10000002);
      assertThat(receiveSsrc(sub)).as("audio").isEqualTo(0x10000003);
      sub.setSoTimeout(300);
      assertThat(receiveSsrc(sub)).as("not the low layer").isEqualTo(-1);
      assertThat(receiveSsrc(pub)).as("nothing back to the sender").isEqualTo(-1);
    }
  }
}
