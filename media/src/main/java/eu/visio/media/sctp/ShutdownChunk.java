package eu.visio.media.sctp;

/** SHUTDOWN (RFC 9260 §3.3.8): the sender has no more data; it acknowledges up to this TSN. */
public record ShutdownChunk(long cumulativeTsnAck) implements Chunk {
  @Override
  public int type() {
    return SHUTDOWN;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 4;
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Wire.put32(out, off, cumulativeTsnAck);
  }

  static ShutdownChunk parse(byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len == 4, "SHUTDOWN of the wrong length");
    return new ShutdownChunk(Wire.u32(b, off));
  }
}
