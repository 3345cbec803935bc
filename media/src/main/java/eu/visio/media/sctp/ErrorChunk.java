package eu.visio.media.sctp;

import java.util.List;

/** ERROR (RFC 9260 §3.3.10): conditions the peer reports without ending the association. */
public record ErrorChunk(List<Param> causes) implements Chunk {
  /** Cause of an unrecognized chunk type whose high bits asked for a report (§3.3.10.6). */
  public static final int UNRECOGNIZED_CHUNK_TYPE = 6;

  public ErrorChunk {
    causes = List.copyOf(causes);
  }

  @Override
  public int type() {
    return ERROR;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return Param.totalLength(causes);
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Param.writeAll(causes, out, off);
  }

  static ErrorChunk parse(byte[] b, int off, int len) throws SctpParseException {
    return new ErrorChunk(Param.parseAll(b, off, len));
  }
}
