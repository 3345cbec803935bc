package eu.visio.media.sctp;

import java.util.List;

/**
 * RE-CONFIG (RFC 6525 §3.1): stream reset requests and responses, one or two parameters. Data
 * channels close by resetting their stream (RFC 8831 §6.7).
 */
public record ReconfigChunk(List<Param> params) implements Chunk {
  /** RFC 6525 §4.1, §4.2, §4.4: outgoing and incoming SSN reset requests, and the response. */
  public static final int OUTGOING_RESET = 13;

  public static final int INCOMING_RESET = 14;
  public static final int RESPONSE = 16;

  public ReconfigChunk {
    params = List.copyOf(params);
  }

  @Override
  public int type() {
    return RE_CONFIG;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return Param.totalLength(params);
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Param.writeAll(params, out, off);
  }

  static ReconfigChunk parse(byte[] b, int off, int len) throws SctpParseException {
    List<Param> params = Param.parseAll(b, off, len);
    Wire.need(!params.isEmpty() && params.size() <= 2, "RE-CONFIG needs one or two parameters");
    return new ReconfigChunk(params);
  }
}
