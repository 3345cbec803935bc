package eu.visio.media.transport;

import eu.visio.media.net.UdpMediaPort;

/** The ICE-TCP loopback cases on plain NIO, the portable fallback. */
class WebRtcTransportTcpNioTest extends WebRtcTransportTcpContract {
  @Override
  UdpMediaPort.Io io() {
    return UdpMediaPort.Io.NIO;
  }
}
