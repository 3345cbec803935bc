package eu.visio.media.sctp;

/**
 * SHUTDOWN COMPLETE (RFC 9260 §3.3.13): the association is closed.
 *
 * @param tagReflected T bit: the verification tag is the receiver's own
 */
public record ShutdownCompleteChunk(boolean tagReflected) implements Chunk {
  @Override
  public int type() {
    return SHUTDOWN_COMPLETE;
  }

  @Override
  public int flags() {
    return tagReflected ? 1 : 0;
  }

  @Override
  public int valueLength() {
    return 0;
  }

  @Override
  public void writeValue(byte[] out, int off) {}

  static ShutdownCompleteChunk parse(int flags, int len) throws SctpParseException {
    Wire.need(len == 0, "SHUTDOWN COMPLETE with a value");
    return new ShutdownCompleteChunk((flags & 1) != 0);
  }
}
