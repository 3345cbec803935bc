package eu.visio.media.sctp;

/** COOKIE ACK (RFC 9260 §3.3.12): the echoed cookie was good; the association is up. */
public record CookieAckChunk() implements Chunk {
  @Override
  public int type() {
    return COOKIE_ACK;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 0;
  }

  @Override
  public void writeValue(byte[] out, int off) {}

  static CookieAckChunk parse(int len) throws SctpParseException {
    Wire.need(len == 0, "COOKIE ACK with a value");
    return new CookieAckChunk();
  }
}
