package eu.visio.media.stun;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Address attribute value layout shared by MAPPED-ADDRESS and the XOR-*-ADDRESS family (RFC 8489
 * §14.1, §14.2): 1 reserved byte, family (1 = IPv4, 2 = IPv6), port, then 4 or 16 address bytes.
 * The XOR variants xor the port with the top 16 bits of the magic cookie and the address with the
 * cookie (IPv4) or the cookie followed by the transaction id (IPv6), so NATs that rewrite addresses
 * in payloads leave them alone.
 */
final class StunAddresses {
  static final int FAMILY_IPV4 = 0x01;
  static final int FAMILY_IPV6 = 0x02;

  private StunAddresses() {}

  /** Value length for an address of {@code addressLength} (4 or 16) bytes. */
  static int valueLength(int addressLength) {
    return 4 + addressLength;
  }

  /** Whether a received value is a complete IPv4 or IPv6 address value. */
  static boolean isValid(byte[] b, int value, int length) {
    if (length < 4) {
      return false;
    }
    int family = b[value + 1] & 0xFF;
    return (family == FAMILY_IPV4 && length == 8) || (family == FAMILY_IPV6 && length == 20);
  }

  /**
   * Decodes a value already checked by {@link #isValid}. {@code header} is the offset of the
   * message header, whose bytes 4..19 hold the cookie and transaction id used as the xor mask.
   */
  static InetSocketAddress decode(byte[] b, int value, int length, boolean xor, int header) {
    int addressLength = length - 4;
    int port = ((b[value + 2] & 0xFF) << 8) | (b[value + 3] & 0xFF);
    byte[] ip = new byte[addressLength];
    for (int i = 0; i < addressLength; i++) {
      byte mask = xor ? b[header + 4 + i] : 0;
      ip[i] = (byte) (b[value + 4 + i] ^ mask);
    }
    if (xor) {
      port ^= StunMessage.MAGIC_COOKIE >>> 16;
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(ip), port);
    } catch (UnknownHostException e) {
      // getByAddress only throws for lengths other than 4 and 16, which isValid excluded.
      throw new IllegalStateException("address length " + addressLength, e);
    }
  }

  /**
   * Encodes {@code ip} (4 or 16 bytes) and {@code port} at {@code value}; the transaction id must
   * already be written at {@code header + 8}.
   */
  static void encode(byte[] b, int value, byte[] ip, int port, boolean xor, int header) {
    b[value] = 0;
    b[value + 1] = (byte) (ip.length == 4 ? FAMILY_IPV4 : FAMILY_IPV6);
    int p = xor ? port ^ (StunMessage.MAGIC_COOKIE >>> 16) : port;
    b[value + 2] = (byte) (p >>> 8);
    b[value + 3] = (byte) p;
    for (int i = 0; i < ip.length; i++) {
      byte mask = xor ? b[header + 4 + i] : 0;
      b[value + 4 + i] = (byte) (ip[i] ^ mask);
    }
  }
}
