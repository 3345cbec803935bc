package eu.visio.media.stun;

import eu.visio.media.MediaParseException;

/** Bytes that are not a well-formed STUN message (RFC 8489 §5, §14). */
public final class StunParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public StunParseException(String reason) {
    super(reason);
  }
}
