package eu.visio.media.ice;

import eu.visio.media.MediaParseException;

/** An SDP candidate attribute that does not follow RFC 8839 §5.1. */
public final class IceParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public IceParseException(String reason) {
    super(reason);
  }
}
