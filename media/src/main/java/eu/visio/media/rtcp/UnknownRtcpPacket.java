package eu.visio.media.rtcp;

import java.util.Arrays;

/**
 * A packet type or feedback format this package does not decode (XR, unknown FMT, non-REMB
 * application feedback). Kept verbatim so it can be counted or forwarded unchanged.
 */
public final class UnknownRtcpPacket implements RtcpPacket {
  private final byte[] bytes;

  private UnknownRtcpPacket(byte[] bytes) {
    this.bytes = bytes;
  }

  static UnknownRtcpPacket parse(byte[] b, int off, int len) {
    return new UnknownRtcpPacket(Arrays.copyOfRange(b, off, off + len));
  }

  public int packetType() {
    return RtcpHeader.packetType(bytes, 0);
  }

  /** The RC/SC/FMT field. */
  public int count() {
    return RtcpHeader.count(bytes, 0);
  }

  /** The whole packet, header included. */
  public byte[] bytes() {
    return bytes.clone();
  }

  @Override
  public int length() {
    return bytes.length;
  }

  @Override
  public int write(byte[] b, int off) {
    System.arraycopy(bytes, 0, b, off, bytes.length);
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof UnknownRtcpPacket u && Arrays.equals(u.bytes, bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "UnknownRtcpPacket[pt="
        + packetType()
        + ", fmt="
        + count()
        + ", "
        + bytes.length
        + " bytes]";
  }
}
