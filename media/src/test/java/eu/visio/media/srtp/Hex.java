package eu.visio.media.srtp;

import java.util.HexFormat;

final class Hex {
  private Hex() {}

  /** Parses hex, ignoring whitespace. */
  static byte[] bytes(String hex) {
    return HexFormat.of().parseHex(hex.replaceAll("\\s", "").toLowerCase(java.util.Locale.ROOT));
  }

  static String of(byte[] b, int off, int len) {
    return HexFormat.of().formatHex(b, off, off + len);
  }
}
