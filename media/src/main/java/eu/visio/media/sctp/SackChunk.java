package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.List;

/**
 * SACK (RFC 9260 §3.3.4): the cumulative TSN acknowledged, the receive window, the gap blocks of
 * what arrived beyond it, and TSNs received twice.
 *
 * @param cumulativeTsnAck the last TSN received in sequence
 * @param arwnd the receiver's window now, bytes
 * @param gaps received blocks beyond the cumulative ack, as offsets from it
 * @param duplicateTsns TSNs received more than once since the last SACK
 */
public record SackChunk(
    long cumulativeTsnAck, long arwnd, List<GapBlock> gaps, List<Long> duplicateTsns)
    implements Chunk {
  static final int FIXED = 12;

  /** TSNs {@code cumulativeTsnAck + start} to {@code cumulativeTsnAck + end} arrived. */
  public record GapBlock(int start, int end) {
    public GapBlock {
      if (start < 1 || end < start || end > 0xFFFF) {
        throw new IllegalArgumentException("bad gap block " + start + "-" + end);
      }
    }
  }

  public SackChunk {
    gaps = List.copyOf(gaps);
    duplicateTsns = List.copyOf(duplicateTsns);
  }

  @Override
  public int type() {
    return SACK;
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public int valueLength() {
    return FIXED + 4 * gaps.size() + 4 * duplicateTsns.size();
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Wire.put32(out, off, cumulativeTsnAck);
    Wire.put32(out, off + 4, arwnd);
    Wire.put16(out, off + 8, gaps.size());
    Wire.put16(out, off + 10, duplicateTsns.size());
    int p = off + FIXED;
    for (GapBlock g : gaps) {
      Wire.put16(out, p, g.start());
      Wire.put16(out, p + 2, g.end());
      p += 4;
    }
    for (long tsn : duplicateTsns) {
      Wire.put32(out, p, tsn);
      p += 4;
    }
  }

  static SackChunk parse(byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len >= FIXED, "SACK shorter than its fixed part");
    int gapCount = Wire.u16(b, off + 8);
    int dupCount = Wire.u16(b, off + 10);
    Wire.need(len == FIXED + 4 * gapCount + 4 * dupCount, "SACK length disagrees with its counts");
    List<GapBlock> gaps = new ArrayList<>(gapCount);
    int p = off + FIXED;
    for (int i = 0; i < gapCount; i++, p += 4) {
      int start = Wire.u16(b, p);
      int end = Wire.u16(b, p + 2);
      Wire.need(start >= 1 && end >= start, "bad SACK gap block");
      gaps.add(new GapBlock(start, end));
    }
    List<Long> dups = new ArrayList<>(dupCount);
    for (int i = 0; i < dupCount; i++, p += 4) {
      dups.add(Wire.u32(b, p));
    }
    return new SackChunk(Wire.u32(b, off), Wire.u32(b, off + 4), gaps, dups);
  }
}
