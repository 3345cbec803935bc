package eu.visio.media.net;

import eu.visio.media.MediaParseException;

/** A TCP byte stream that does not carry valid RFC 4571 frames for us. */
public final class FramingException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public FramingException(String reason) {
    super(reason);
  }
}
