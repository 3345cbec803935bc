package eu.visio.media.turn;

import eu.visio.media.MediaParseException;

/** Bytes on a TURN stream that are neither STUN nor ChannelData (RFC 8656 §12.4, §12.5). */
public final class TurnParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public TurnParseException(String reason) {
    super(reason);
  }
}
