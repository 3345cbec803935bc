package eu.visio.media.stun;

import java.util.HexFormat;

/** Test helper: hex fixtures with {@code #} comments and free whitespace. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String annotated) {
    StringBuilder sb = new StringBuilder();
    for (String line : annotated.split("\n", -1)) {
      int hash = line.indexOf('#');
      sb.append(hash < 0 ? line : line.substring(0, hash));
    }
    return HexFormat.of().parseHex(sb.toString().replaceAll("\\s", ""));
  }
}
