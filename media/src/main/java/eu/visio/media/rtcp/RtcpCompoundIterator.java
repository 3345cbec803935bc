package eu.visio.media.rtcp;

import java.util.Objects;

/**
 * Walks the packets of an RTCP compound (RFC 3550 §6.1) in place. Reusable, allocation-free:
 *
 * <pre>{@code
 * it.wrap(buf, off, len);
 * while (it.hasNext()) {
 *   switch (it.next()) {
 *     case RtcpHeader.PSFB -> ... it.count(), it.packetOffset(), it.packetLength() ...
 *     default -> {}
 *   }
 * }
 * }</pre>
 *
 * <p>{@link #next()} validates the common header of each packet: version 2 and a length that fits
 * in what remains. It does not enforce that a compound starts with SR/RR, since RFC 5506
 * reduced-size RTCP (a lone PLI, NACK or TWCC feedback) is negotiated by every browser. Typed
 * decoding is {@link #parse()}.
 */
public final class RtcpCompoundIterator {
  private byte[] buf;
  private int pos;
  private int end;
  private int current = -1;
  private int currentLength;

  /** Starts iterating {@code buf[off, off+len)}. Bad bounds are a caller bug (IndexOutOfBounds). */
  public void wrap(byte[] buf, int off, int len) {
    Objects.checkFromIndexSize(off, len, buf.length);
    this.buf = buf;
    this.pos = off;
    this.end = off + len;
    this.current = -1;
    this.currentLength = 0;
  }

  public boolean hasNext() {
    return pos < end;
  }

  /** Moves to the next packet and returns its packet type (PT). */
  public int next() throws RtcpParseException {
    if (end - pos < RtcpHeader.LENGTH) {
      throw new RtcpParseException("truncated RTCP header");
    }
    if ((buf[pos] & 0xC0) != 0x80) {
      throw new RtcpParseException("RTCP version is not 2");
    }
    int length = (ByteIo.u16(buf, pos + 2) + 1) * 4;
    if (length > end - pos) {
      throw new RtcpParseException("RTCP length exceeds compound");
    }
    current = pos;
    currentLength = length;
    pos += length;
    return RtcpHeader.packetType(buf, current);
  }

  public byte[] buffer() {
    return buf;
  }

  /** Absolute offset of the current packet's header. */
  public int packetOffset() {
    return current;
  }

  /** Length of the current packet in bytes, header and padding included. */
  public int packetLength() {
    return currentLength;
  }

  public int packetType() {
    return RtcpHeader.packetType(buf, current);
  }

  /** RC, SC or FMT of the current packet. */
  public int count() {
    return RtcpHeader.count(buf, current);
  }

  public boolean hasPadding() {
    return RtcpHeader.hasPadding(buf, current);
  }

  /**
   * The first SSRC word after the header (sender SSRC for SR/RR/APP and feedback, first chunk or
   * source for SDES/BYE), or 0 when the packet is only a header.
   */
  public int ssrc() {
    return currentLength >= 8 ? ByteIo.u32(buf, current + 4) : 0;
  }

  /**
   * A feedback packet's media source SSRC (RFC 4585 §6.1: the word after the sender SSRC), or 0
   * when the packet is too short to hold one.
   */
  public int mediaSsrc() {
    return currentLength >= 12 ? ByteIo.u32(buf, current + 8) : 0;
  }

  /** Decodes the current packet into its record; unknown types become {@link UnknownRtcpPacket}. */
  public RtcpPacket parse() throws RtcpParseException {
    return RtcpPacket.parse(buf, current, currentLength);
  }
}
