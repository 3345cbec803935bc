package eu.visio.media.sctp;

import eu.visio.media.MediaParseException;

/** An SCTP packet or chunk that does not follow RFC 9260's layout. Stackless; stable reason. */
public final class SctpParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public SctpParseException(String reason) {
    super(reason);
  }
}
