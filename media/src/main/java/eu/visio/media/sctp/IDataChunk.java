package eu.visio.media.sctp;

import java.util.Arrays;

/**
 * I-DATA (RFC 8260 §2.1): DATA with a 32-bit message identifier, so that large messages on one
 * stream no longer block others. The first fragment carries the PPID, the others their fragment
 * sequence number in the same field.
 *
 * @param mid message identifier
 * @param ppidOrFsn PPID when {@code beginning}, else the fragment sequence number
 */
public record IDataChunk(
    boolean unordered,
    boolean beginning,
    boolean ending,
    boolean immediate,
    long tsn,
    int streamId,
    long mid,
    long ppidOrFsn,
    byte[] payload)
    implements Chunk {
  static final int HEADER = 16;

  @Override
  public int type() {
    return I_DATA;
  }

  @Override
  public int flags() {
    return Wire.dataFlags(unordered, beginning, ending, immediate);
  }

  @Override
  public int valueLength() {
    return HEADER + payload.length;
  }

  @Override
  public void writeValue(byte[] out, int off) {
    Wire.put32(out, off, tsn);
    Wire.put16(out, off + 4, streamId);
    Wire.put16(out, off + 6, 0); // reserved
    Wire.put32(out, off + 8, mid);
    Wire.put32(out, off + 12, ppidOrFsn);
    System.arraycopy(payload, 0, out, off + HEADER, payload.length);
  }

  static IDataChunk parse(int flags, byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len > HEADER, "I-DATA without user data");
    return new IDataChunk(
        (flags & Wire.UNORDERED) != 0,
        (flags & Wire.BEGINNING) != 0,
        (flags & Wire.ENDING) != 0,
        (flags & Wire.IMMEDIATE) != 0,
        Wire.u32(b, off),
        Wire.u16(b, off + 4),
        Wire.u32(b, off + 8),
        Wire.u32(b, off + 12),
        Arrays.copyOfRange(b, off + HEADER, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IDataChunk d
        && d.flags() == flags()
        && d.tsn == tsn
        && d.streamId == streamId
        && d.mid == mid
        && d.ppidOrFsn == ppidOrFsn
        && Arrays.equals(d.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(tsn) * 31 + Arrays.hashCode(payload);
  }
}
