package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.List;

/** I-FORWARD-TSN (RFC 8260 §2.3): FORWARD TSN for I-DATA, by message identifier. */
public record IForwardTsnChunk(long newCumulativeTsn, List<Skip> skips) implements Chunk {
  /** On {@code streamId}, messages up to {@code mid} of the given ordering are skipped. */
  public record Skip(int streamId, boolean unordered, long mid) {}

  public IForwardTsnChunk {
    skips = List.copyOf(skips);
  }

  @Override
  public int type() {
    return I_FORWARD_TSN;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 4 + 8 * skips.size();
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Wire.put32(out, off, newCumulativeTsn);
    int p = off + 4;
    for (Skip s : skips) {
      Wire.put16(out, p, s.streamId());
      Wire.put16(out, p + 2, s.unordered() ? 1 : 0);
      Wire.put32(out, p + 4, s.mid());
      p += 8;
    }
  }

  static IForwardTsnChunk parse(byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len >= 4 && (len - 4) % 8 == 0, "I-FORWARD-TSN of a bad length");
    List<Skip> skips = new ArrayList<>();
    for (int p = off + 4; p < off + len; p += 8) {
      skips.add(new Skip(Wire.u16(b, p), (Wire.u16(b, p + 2) & 1) != 0, Wire.u32(b, p + 4)));
    }
    return new IForwardTsnChunk(Wire.u32(b, off), skips);
  }
}
