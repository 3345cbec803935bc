package eu.visio.media.sctp;

import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * An SCTP packet (RFC 9260 §3): the common header (ports, verification tag, CRC32c checksum) and
 * its chunks. Over DTLS (RFC 8261) one packet is one DTLS record; WebRTC uses port 5000.
 *
 * <p>The checksum is CRC32c over the packet with the checksum field zeroed, and sits in the header
 * least significant byte first (RFC 9260 Appendix A; the algorithm is reflected).
 *
 * @param sourcePort sending port
 * @param destinationPort receiving port
 * @param verificationTag the receiver's initiate tag (0 only on a packet carrying INIT)
 * @param chunks the chunks, in order
 */
public record SctpPacket(
    int sourcePort, int destinationPort, long verificationTag, List<Chunk> chunks) {
  /** Common header length. */
  public static final int HEADER = 12;

  public SctpPacket {
    chunks = List.copyOf(chunks);
  }

  /** Bytes {@link #write} needs. */
  public int length() {
    int n = HEADER;
    for (Chunk c : chunks) {
      n += Wire.padded(c.length());
    }
    return n;
  }

  /** Writes the packet with its checksum at {@code off}; returns its length. */
  public int write(byte[] out, int off) {
    Wire.put16(out, off, sourcePort);
    Wire.put16(out, off + 2, destinationPort);
    Wire.put32(out, off + 4, verificationTag);
    Wire.put32(out, off + 8, 0);
    int p = off + HEADER;
    for (Chunk c : chunks) {
      p += c.write(out, p);
    }
    int len = p - off;
    int crc = checksum(out, off, len);
    out[off + 8] = (byte) crc;
    out[off + 9] = (byte) (crc >>> 8);
    out[off + 10] = (byte) (crc >>> 16);
    out[off + 11] = (byte) (crc >>> 24);
    return len;
  }

  public byte[] toBytes() {
    byte[] b = new byte[length()];
    write(b, 0);
    return b;
  }

  /** CRC32c of {@code len} bytes at {@code off}, with the checksum field counted as zero. */
  static int checksum(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, 8);
    crc.update(ZERO, 0, 4);
    crc.update(b, off + HEADER, len - HEADER);
    return (int) crc.getValue();
  }

  private static final byte[] ZERO = new byte[4];

  /**
   * Parses a packet: the checksum must match (§6.8: else it is discarded), and every chunk must fit
   * its length; a chunk of a type it does not know is kept as {@link UnknownChunk}.
   */
  public static SctpPacket parse(byte[] b, int off, int len) throws SctpParseException {
    Wire.need(len >= HEADER, "shorter than the SCTP common header");
    int stored =
        (b[off + 8] & 0xFF)
            | (b[off + 9] & 0xFF) << 8
            | (b[off + 10] & 0xFF) << 16
            | (b[off + 11] & 0xFF) << 24;
    Wire.need(stored == checksum(b, off, len), "bad CRC32c checksum");
    List<Chunk> chunks = new ArrayList<>();
    int p = off + HEADER;
    int end = off + len;
    while (p < end) {
      Wire.need(end - p >= 4, "truncated chunk header");
      int type = Wire.u8(b, p);
      int flags = Wire.u8(b, p + 1);
      int length = Wire.u16(b, p + 2);
      Wire.need(length >= 4 && length <= end - p, "bad chunk length");
      chunks.add(Chunk.parse(type, flags, b, p + 4, length - 4));
      p += Math.min(Wire.padded(length), end - p);
    }
    Wire.need(!chunks.isEmpty(), "a packet without chunks");
    return new SctpPacket(Wire.u16(b, off), Wire.u16(b, off + 2), Wire.u32(b, off + 4), chunks);
  }
}
