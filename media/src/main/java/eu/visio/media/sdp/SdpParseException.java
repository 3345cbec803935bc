package eu.visio.media.sdp;

import eu.visio.media.MediaParseException;

/**
 * A session description that could not be parsed, or an offer that cannot be answered. The reason
 * is one short line (for example {@code "line 12: bad m= line"}) meant for an HTTP 400 body; it
 * never echoes the input text.
 */
public final class SdpParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public SdpParseException(String reason) {
    super(reason);
  }

  static SdpParseException atLine(int line, String reason) {
    return new SdpParseException("line " + line + ": " + reason);
  }
}
