package eu.visio.sfu;

/**
 * A peer's outgoing transport as the SFU sees it. Both calls encrypt in place, so {@code buf} must
 * have room for the SRTP tag after the packet. Called on the media loop.
 */
public interface RtpSink {
  /** A sink that sends nothing (a participant that receives nothing, such as a pipe's relay). */
  RtpSink DISCARD =
      new RtpSink() {
        @Override
        public boolean sendRtp(byte[] buf, int off, int len) {
          return false;
        }

        @Override
        public boolean sendRtcp(byte[] buf, int off, int len) {
          return false;
        }
      };

  boolean sendRtp(byte[] buf, int off, int len);

  boolean sendRtcp(byte[] buf, int off, int len);
}
