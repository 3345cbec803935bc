package eu.visio.media.rtcp;

import eu.visio.media.MediaParseException;

/** An RTCP packet or compound that does not follow its RFC layout. Stackless; reason is stable. */
public final class RtcpParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public RtcpParseException(String reason) {
    super(reason);
  }
}
