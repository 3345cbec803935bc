package eu.visio.media.dtls;

import eu.visio.media.MediaParseException;

/** An SDP DTLS attribute ({@code a=fingerprint}, {@code a=setup}) that cannot be used. */
public final class DtlsParseException extends MediaParseException {
  private static final long serialVersionUID = 1L;

  public DtlsParseException(String reason) {
    super(reason);
  }
}
