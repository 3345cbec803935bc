package eu.visio.media.sctp;

/** SHUTDOWN ACK (RFC 9260 §3.3.9): the receiver of a SHUTDOWN has no more data either. */
public record ShutdownAckChunk() implements Chunk {
  @Override
  public int type() {
    return SHUTDOWN_ACK;
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

  static ShutdownAckChunk parse(int len) throws SctpParseException {
    Wire.need(len == 0, "SHUTDOWN ACK with a value");
    return new ShutdownAckChunk();
  }
}
