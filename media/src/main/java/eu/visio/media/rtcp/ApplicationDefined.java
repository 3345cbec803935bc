package eu.visio.media.rtcp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * APP, PT=204 (RFC 3550 §6.7): subtype in the count field, SSRC, a 4-character ASCII name and
 * application data whose length is a multiple of 32 bits. A final class rather than a record so the
 * data array is copied in and out and compared by content.
 */
public final class ApplicationDefined implements RtcpPacket {
  private final int subtype;
  private final int ssrc;
  private final String name;
  private final byte[] data;

  public ApplicationDefined(int subtype, int ssrc, String name, byte[] data) {
    if (subtype < 0 || subtype > RtcpHeader.MAX_COUNT) {
      throw new IllegalArgumentException("APP subtype must be 0..31: " + subtype);
    }
    if (name.length() != 4 || !StandardCharsets.US_ASCII.newEncoder().canEncode(name)) {
      throw new IllegalArgumentException("APP name must be 4 ASCII characters");
    }
    if ((data.length & 3) != 0) {
      throw new IllegalArgumentException("APP data must be a multiple of 4 bytes");
    }
    this.subtype = subtype;
    this.ssrc = ssrc;
    this.name = name;
    this.data = data.clone();
  }

  static ApplicationDefined parse(byte[] b, int off, int len) throws RtcpParseException {
    int end = RtcpHeader.contentEnd(b, off, len);
    RtcpHeader.require(off, end, 12, "APP too short");
    int dataLength = (end - off - 12) & ~3; // padding may leave a ragged tail; keep whole words
    // ISO-8859-1 maps every byte to one char, so a non-ASCII name is kept lossless in 4 chars...
    String name = new String(b, off + 8, 4, StandardCharsets.ISO_8859_1);
    for (int i = 0; i < 4; i++) {
      if (name.charAt(i) > 0x7F) {
        throw new RtcpParseException("APP name is not ASCII"); // ...but RFC 3550 says ASCII
      }
    }
    return new ApplicationDefined(
        RtcpHeader.count(b, off),
        ByteIo.u32(b, off + 4),
        name,
        Arrays.copyOfRange(b, off + 12, off + 12 + dataLength));
  }

  public int subtype() {
    return subtype;
  }

  public int ssrc() {
    return ssrc;
  }

  public String name() {
    return name;
  }

  public byte[] data() {
    return data.clone();
  }

  @Override
  public int length() {
    return 12 + data.length;
  }

  @Override
  public int write(byte[] b, int off) {
    int length = length();
    RtcpHeader.write(b, off, false, subtype, RtcpHeader.APP, length);
    ByteIo.put32(b, off + 4, ssrc);
    for (int i = 0; i < 4; i++) {
      b[off + 8 + i] = (byte) name.charAt(i);
    }
    System.arraycopy(data, 0, b, off + 12, data.length);
    return length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApplicationDefined a
        && a.subtype == subtype
        && a.ssrc == ssrc
        && a.name.equals(name)
        && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return ((subtype * 31 + ssrc) * 31 + name.hashCode()) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ApplicationDefined[subtype="
        + subtype
        + ", ssrc="
        + Integer.toUnsignedString(ssrc)
        + ", name="
        + name
        + ", data="
        + data.length
        + " bytes]";
  }
}
