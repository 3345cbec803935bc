package eu.visio.media.net;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.media.DropCounters;
import eu.visio.media.DropReason;
import eu.visio.media.ice.IceUfrags;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One address may hold only so many ICE-TCP connections that no check has routed yet: the next is
 * closed at once and counted, and a place comes back when one of them goes. The same holds for
 * connections handed over by another port ({@link TcpMediaPort#adopt}).
 */
@Timeout(60)
class TcpSourceCapTest {
  private static final int LIMIT = 3;
  // Long: the silent connections must outlive the test, not be closed as stalled.
  private static final Duration STALL = Duration.ofSeconds(60);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void theConnectionBeyondTheCapIsClosedAndCounted() throws Exception {
    run(false);
  }

  @Test
  void adoptedConnectionsShareTheCap() throws Exception {
    run(true);
  }

  private static void run(boolean adopted) throws Exception {
    DropCounters drops = new DropCounters();
    InetSocketAddress any = new InetSocketAddress(LOOPBACK, 0);
    try (UdpMediaPort media = UdpMediaPort.bind(any, IceUfrags::localUfrag, drops)) {
      TcpMediaPort tcp = TcpMediaPort.bind(media, any, STALL, LIMIT);
      AdoptingFront front = adopted ? new AdoptingFront(tcp, any) : null;
      InetSocketAddress target = front != null ? front.localAddress() : tcp.localAddress();
      List<Socket> silent = new ArrayList<>();
      try {
        for (int i = 0; i < LIMIT; i++) {
          silent.add(halfFrame(target));
        }
        Poll.until("all held", () -> tcp.unrouted().held(LOOPBACK) == LIMIT);

        try (Socket extra = halfFrame(target)) {
          assertThat(closedByServer(extra)).isTrue();
        }
        assertThat(drops.count(DropReason.TCP_SOURCE_CAP)).isEqualTo(1);
        assertThat(silent).noneMatch(TcpSourceCapTest::closedNow);

        silent.removeFirst().close();
        Poll.until("a place freed", () -> tcp.unrouted().held(LOOPBACK) == LIMIT - 1);
        silent.add(halfFrame(target));
        Poll.until("taken again", () -> tcp.unrouted().held(LOOPBACK) == LIMIT);
        assertThat(drops.count(DropReason.TCP_SOURCE_CAP)).isEqualTo(1);
      } finally {
        for (Socket s : silent) {
          s.close();
        }
        Poll.until("all released", () -> tcp.unrouted().sources() == 0);
        if (front != null) {
          front.close();
        }
        tcp.close();
      }
    }
  }

  /** A connection that sent half a length prefix and waits: not yet routed. */
  private static Socket halfFrame(InetSocketAddress target) throws IOException {
    Socket s = new Socket(target.getAddress(), target.getPort());
    s.getOutputStream().write(0);
    s.getOutputStream().flush();
    return s;
  }

  private static boolean closedByServer(Socket s) throws IOException {
    s.setSoTimeout((int) Poll.DEADLINE.toMillis());
    try {
      return s.getInputStream().read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  /** Whether the server has closed {@code s} already (reads nothing pending without waiting). */
  private static boolean closedNow(Socket s) {
    try {
      s.setSoTimeout(50);
      InputStream in = s.getInputStream();
      return in.read() == -1;
    } catch (SocketTimeoutException open) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
