package eu.visio.media.transport;

import eu.visio.media.net.UdpMediaPort;

/**
 * The whole ICE-TCP contract over connections accepted by another port and handed over with their
 * first bytes ({@code TcpMediaPort.adopt}), as the server's TLS port does: routing, moving to the
 * owner, DTLS and SRTP, bad input, stalls and a slow reader behave the same.
 */
class WebRtcTransportTcpAdoptedTest extends WebRtcTransportTcpContract {
  @Override
  UdpMediaPort.Io io() {
    return UdpMediaPort.Io.configured();
  }

  @Override
  boolean adopted() {
    return true;
  }
}
