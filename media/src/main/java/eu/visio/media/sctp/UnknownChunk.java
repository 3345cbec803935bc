package eu.visio.media.sctp;

import java.util.Arrays;

/**
 * A chunk type this codec does not know. RFC 9260 §3.2: its two high bits tell the receiver to stop
 * or skip processing the packet, and whether to report it in an ERROR chunk.
 */
public record UnknownChunk(int type, int flags, byte[] value) implements Chunk {
  /** 00 and 01: stop processing the packet; 10 and 11: skip this chunk and go on. */
  public boolean skip() {
    return (type & 0x80) != 0;
  }

  /** 01 and 11: report it in an ERROR (Unrecognized Chunk Type). */
  public boolean report() {
    return (type & 0x40) != 0;
  }

  @Override
  public int valueLength() {
    return value.length;
  }

  @Override
  public void writeValue(byte[] out, int off) {
    System.arraycopy(value, 0, out, off, value.length);
  }

  static UnknownChunk parse(int type, int flags, byte[] b, int off, int len) {
    return new UnknownChunk(type, flags, Arrays.copyOfRange(b, off, off + len));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownChunk u
        && u.type == type
        && u.flags == flags
        && Arrays.equals(u.value, value);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "UnknownChunk[type=" + type + ", " + value.length + " bytes]";
  }
}
