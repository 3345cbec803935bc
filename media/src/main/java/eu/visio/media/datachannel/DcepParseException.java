package eu.visio.media.datachannel;

import eu.visio.media.MediaParseException;

/** A DCEP message that does not follow RFC 8832. Stackless; stable reason. */
public final class DcepParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public DcepParseException(String reason) {
    super(reason);
  }
}
