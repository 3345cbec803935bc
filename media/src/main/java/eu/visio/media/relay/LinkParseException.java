package eu.visio.media.relay;

import eu.visio.media.MediaParseException;

/** A link datagram's inner header is malformed. */
public final class LinkParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public LinkParseException(String reason) {
    super(reason);
  }
}
