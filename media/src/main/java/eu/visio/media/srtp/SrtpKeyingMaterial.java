package eu.visio.media.srtp;

import java.util.Arrays;

/**
 * Master keys and salts exported from a DTLS handshake (RFC 5764 §4.2): the exporter output is
 * client key | server key | client salt | server salt.
 */
public record SrtpKeyingMaterial(
    SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt) {

  /** Length of the exporter output to request for this profile. */
  public static int exportLength(SrtpProfile profile) {
    return 2 * (profile.keyLength + profile.saltLength);
  }

  /** Splits the RFC 5764 exporter output. */
  public static SrtpKeyingMaterial fromExported(SrtpProfile profile, byte[] material) {
    int k = profile.keyLength;
    int s = profile.saltLength;
    if (material.length != 2 * (k + s)) {
      throw new IllegalArgumentException("keying material length " + material.length);
    }
    return new SrtpKeyingMaterial(
        profile,
        Arrays.copyOfRange(material, 0, k),
        Arrays.copyOfRange(material, 2 * k, 2 * k + s),
        Arrays.copyOfRange(material, k, 2 * k),
        Arrays.copyOfRange(material, 2 * k + s, 2 * k + 2 * s));
  }

  @Override
  public String toString() {
    return "SrtpKeyingMaterial[" + profile + ", keys redacted]";
  }
}
