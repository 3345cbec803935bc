package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TLV parameter (RFC 9260 §3.2.1) of INIT, INIT ACK, HEARTBEAT or RE-CONFIG, or an error cause
 * (§3.3.10, the same layout): type, length, value, padded to 4 bytes.
 */
public record Param(int type, byte[] value) {
  /** INIT: Heartbeat Info (HEARTBEAT), State Cookie (INIT ACK), Supported Extensions (RFC 5061). */
  public static final int HEARTBEAT_INFO = 1;

  public static final int STATE_COOKIE = 7;
  public static final int SUPPORTED_EXTENSIONS = 0x8008;

  /** RFC 3758 §3.1: the sender understands FORWARD-TSN. */
  public static final int FORWARD_TSN_SUPPORTED = 0xC000;

  public Param {
    if (type < 0 || type > 0xFFFF || value.length > 0xFFFF - 4) {
      throw new IllegalArgumentException("bad parameter");
    }
  }

  /** The parameter's length field: header and value, padding excluded. */
  public int length() {
    return 4 + value.length;
  }

  int write(byte[] out, int off) {
    Wire.put16(out, off, type);
    Wire.put16(out, off + 2, length());
    System.arraycopy(value, 0, out, off + 4, value.length);
    int end = off + Wire.padded(length());
    Arrays.fill(out, off + length(), end, (byte) 0);
    return end - off;
  }

  /** Parameters filling {@code len} bytes from {@code off}; the last may lack its padding. */
  static List<Param> parseAll(byte[] b, int off, int len) throws SctpParseException {
    List<Param> params = new ArrayList<>();
    int end = off + len;
    while (off < end) {
      Wire.need(end - off >= 4, "truncated parameter header");
      int type = Wire.u16(b, off);
      int length = Wire.u16(b, off + 2);
      Wire.need(length >= 4 && length <= end - off, "bad parameter length");
      params.add(new Param(type, Arrays.copyOfRange(b, off + 4, off + length)));
      off += Math.min(Wire.padded(length), end - off);
    }
    return params;
  }

  static int totalLength(List<Param> params) {
    int n = 0;
    for (int i = 0; i < params.size(); i++) {
      // Every parameter is padded except, in the length field of its chunk, the last (§3.2).
      n += i == params.size() - 1 ? params.get(i).length() : Wire.padded(params.get(i).length());
    }
    return n;
  }

  static void writeAll(List<Param> params, byte[] out, int off) {
    for (Param p : params) {
      off += p.write(out, off);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Param p && p.type == type && Arrays.equals(p.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * type + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    return "Param[type=" + type + ", length=" + value.length + "]";
  }
}
