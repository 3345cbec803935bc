package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * FORWARD TSN (RFC 3758 §3.2): the sender abandoned messages (partial reliability); the receiver
 * moves its cumulative TSN to {@code newCumulativeTsn} and skips the listed stream sequences.
 */
public record ForwardTsnChunk(long newCumulativeTsn, List<StreamSequence> streams)
    implements Chunk {
  /** On {@code streamId}, ordered messages up to {@code ssn} are skipped. */
  public record StreamSequence(int streamId, int ssn) {}

  public ForwardTsnChunk {
    streams = List.copyOf(streams);
  }

  @Override
  public int type() {
    return FORWARD_TSN;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return 4 + 4 * streams.size();
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Wire.put32(out, off, newCumulativeTsn);
    int p = off + 4;
    for (StreamSequence s : streams) {
      Wire.put16(out, p, s.streamId());
      Wire.put16(out, p + 2, s.ssn());
      p += 4;
    }
  }

  static ForwardTsnChunk parse(byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len >= 4 && len % 4 == 0, "FORWARD TSN of a bad length");
    List<StreamSequence> streams = new ArrayList<>();
    for (int p = off + 4; p < off + len; p += 4) {
      streams.add(new StreamSequence(Wire.u16(b, p), Wire.u16(b, p + 2)));
    }
    return new ForwardTsnChunk(Wire.u32(b, off), streams);
  }
}
