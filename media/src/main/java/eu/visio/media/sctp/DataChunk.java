package eu.visio.media.sctp;

import java.util.Arrays;

/**
 * DATA (RFC 9260 §3.3.1): one fragment of a user message on a stream.
 *
 * @param unordered U bit: delivered as it arrives, outside the stream's order
 * @param beginning B bit: the message's first fragment
 * @param ending E bit: the message's last fragment
 * @param immediate I bit (RFC 7053): the receiver should SACK at once
 * @param tsn transmission sequence number, 32-bit
 * @param streamId stream identifier S
 * @param ssn stream sequence number n (ignored for unordered data)
 * @param ppid payload protocol identifier (WebRTC: 51 string, 53 binary, 50 DCEP...)
 * @param payload the fragment
 */
public record DataChunk(
    boolean unordered,
    boolean beginning,
    boolean ending,
    boolean immediate,
    long tsn,
    int streamId,
    int ssn,
    long ppid,
    byte[] payload)
    implements Chunk {
  static final int HEADER = 12;

  @Override
  public int type() {
    return DATA;
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
    Wire.put16(out, off + 6, ssn);
    Wire.put32(out, off + 8, ppid);
    System.arraycopy(payload, 0, out, off + HEADER, payload.length);
  }

  static DataChunk parse(int flags, byte[] b, int off, int len) throws SctpParseException {
    // §3.3.1: a DATA chunk without user data is a protocol violation.
    Wire.need(len > HEADER, "DATA without user data");
    return new DataChunk(
        (flags & Wire.UNORDERED) != 0,
        (flags & Wire.BEGINNING) != 0,
        (flags & Wire.ENDING) != 0,
        (flags & Wire.IMMEDIATE) != 0,
        Wire.u32(b, off),
        Wire.u16(b, off + 4),
        Wire.u16(b, off + 6),
        Wire.u32(b, off + 8),
        Arrays.copyOfRange(b, off + HEADER, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataChunk d
        && d.flags() == flags()
        && d.tsn == tsn
        && d.streamId == streamId
        && d.ssn == ssn
        && d.ppid == ppid
        && Arrays.equals(d.payload, payload);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(tsn) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "DATA[tsn=%d, stream=%d, ssn=%d, ppid=%d, flags=%d, %d bytes]"
        .formatted(tsn, streamId, ssn, ppid, flags(), payload.length);
  }
}
