package eu.visio.media.rtcp;

/**
 * Picture Loss Indication, PSFB (PT=206) FMT=1 (RFC 4585 §6.3.1): a 12-byte packet with no FCI
 * asking the sender of {@code mediaSsrc} for a key frame. Valid alone per RFC 5506.
 */
public record PictureLossIndication(int senderSsrc, int mediaSsrc) implements RtcpPacket {
  public static final int LENGTH = 12;

  static PictureLossIndication parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    RtcpHeader.require(off, end, LENGTH, "PLI too short");
    return new PictureLossIndication(ByteIo.u32(b, off + 4), ByteIo.u32(b, off + 8));
  }

  @Override
  public int length() {
    return LENGTH;
  }

  @Override
  public int write(byte[] b, int off) {
    RtcpHeader.write(b, off, false, RtcpHeader.FMT_PLI, RtcpHeader.PSFB, LENGTH);
    ByteIo.put32(b, off + 4, senderSsrc);
    ByteIo.put32(b, off + 8, mediaSsrc);
    return LENGTH;
  }
}
