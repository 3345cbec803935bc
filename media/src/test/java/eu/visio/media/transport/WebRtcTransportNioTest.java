package eu.visio.media.transport;

import eu.visio.media.net.UdpMediaPort;

/** The loopback cases on the NIO fallback (visio.udp.nio=true, or no epoll). */
class WebRtcTransportNioTest extends WebRtcTransportLoopbackContract {
  @Override
  UdpMediaPort.Io io() {
    return UdpMediaPort.Io.NIO;
  }
}
