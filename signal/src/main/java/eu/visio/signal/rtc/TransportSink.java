package eu.visio.signal.rtc;

import eu.visio.media.transport.WebRtcTransport;
import eu.visio.sfu.RtpSink;

/** Adapts a peer's transport to the SFU's sink: what the SFU sends goes out encrypted there. */
public record TransportSink(WebRtcTransport transport) implements RtpSink {
  @Override
  public boolean sendRtp(byte[] buf, int off, int len) {
    return transport.sendRtp(buf, off, len);
  }

  @Override
  public boolean sendRtcp(byte[] buf, int off, int len) {
    return transport.sendRtcp(buf, off, len);
  }
}
