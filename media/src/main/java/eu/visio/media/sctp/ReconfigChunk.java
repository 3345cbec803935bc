package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * RE-CONFIG (RFC 6525 §3.1): one or two stream reconfiguration requests or responses. Data channels
 * close by resetting their stream (RFC 8831 §6.7).
 */
public record ReconfigChunk(List<ReconfigParam> params) implements Chunk {
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

  private List<Param> raw() {
    List<Param> raw = new ArrayList<>(params.size());
    for (ReconfigParam p : params) {
      raw.add(p.toParam());
    }
    return raw;
  }

  @Override
  public int valueLength() {
    return Param.totalLength(raw());
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Param.writeAll(raw(), out, off);
  }

  static ReconfigChunk parse(byte[] b, int off, int len) throws SctpParseException {
    List<Param> raw = Param.parseAll(b, off, len);
    Wire.need(!raw.isEmpty() && raw.size() <= 2, "RE-CONFIG needs one or two parameters");
    List<ReconfigParam> params = new ArrayList<>(raw.size());
    for (Param p : raw) {
      params.add(ReconfigParam.of(p));
    }
    return new ReconfigChunk(params);
  }
}
