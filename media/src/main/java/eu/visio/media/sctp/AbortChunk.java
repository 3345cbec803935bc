package eu.visio.media.sctp;

import java.util.List;

/**
 * ABORT (RFC 9260 §3.3.7): the association ends at once; error causes may say why.
 *
 * @param tagReflected T bit: the verification tag is the receiver's own (no TCB was found)
 */
public record AbortChunk(boolean tagReflected, List<Param> causes) implements Chunk {
  /** Error cause codes (§3.3.10) the association writes. */
  public static final int PROTOCOL_VIOLATION = 13;

  public static final int USER_INITIATED_ABORT = 12;

  public AbortChunk {
    causes = List.copyOf(causes);
  }

  @Override
  public int type() {
    return ABORT;
  }

  @Override
  public int flags() {
    return tagReflected ? 1 : 0;
  }

  @Override
  public int valueLength() {
    return Param.totalLength(causes);
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Param.writeAll(causes, out, off);
  }

  static AbortChunk parse(int flags, byte[] b, int off, int len) throws SctpParseException {
    return new AbortChunk((flags & 1) != 0, Param.parseAll(b, off, len));
  }
}
