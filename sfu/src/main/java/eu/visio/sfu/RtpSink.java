package eu.visio.sfu;

/**
 * A peer's outgoing transport as the SFU sees it. Both calls encrypt in place, so {@code buf} must
 * have room for the SRTP tag after the packet. Called on the media loop.
 */
public interface RtpSink {
  boolean sendRtp(byte[] buf, int off, int len);

  boolean sendRtcp(byte[] buf, int off, int len);
}
