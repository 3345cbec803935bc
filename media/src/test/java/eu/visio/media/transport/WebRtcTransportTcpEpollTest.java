package eu.visio.media.transport;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import eu.visio.media.net.UdpMediaPort;
import io.netty.channel.epoll.Epoll;
import org.junit.jupiter.api.BeforeAll;

/** The ICE-TCP loopback cases on Netty's native epoll transport. */
class WebRtcTransportTcpEpollTest extends WebRtcTransportTcpContract {
  @BeforeAll
  static void needsEpoll() {
    assumeTrue(Epoll.isAvailable(), "epoll is not available here");
  }

  @Override
  UdpMediaPort.Io io() {
    return UdpMediaPort.Io.EPOLL;
  }
}
