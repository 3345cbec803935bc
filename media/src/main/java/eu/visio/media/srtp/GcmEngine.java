package eu.visio.media.srtp;

import java.util.Locale;

/**
 * AES-128-GCM (NIST SP 800-38D) for one key with 96-bit IVs and 128-bit tags, in place in a heap
 * buffer and allocation-free per call: the cipher core under {@link AesGcmTransform}, which owns
 * RFC 7714's IV and AAD layout. AAD is {@code buf[aad..+aadLen) || buf[aad2..+aad2Len)} (SRTCP's
 * AAD is split around the ciphertext); {@code aad2Len} may be 0, {@code ctLen} too.
 *
 * <p>Two implementations, chosen once per process by {@code -Dvisio.srtp.gcm}: {@code openssl}
 * ({@link OpenSslGcm}, OpenSSL's libcrypto through java.lang.foreign), {@code java} or {@code
 * ghash} ({@link JavaGcm}, JDK AES plus our GHASH), and by default ({@code auto}, or no property)
 * OpenSSL when libcrypto loads and passes its self-test, else Java. {@code jce} is handled one
 * level up as {@link JceGcm}. Not thread-safe.
 */
public sealed interface GcmEngine permits JavaGcm, OpenSslGcm, JceGcm {

  /** Encrypts {@code buf[ct..+ctLen)} in place and writes the 16-byte tag right after it. */
  void seal(byte[] iv, byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen);

  /**
   * Verifies the tag at {@code buf[ct + ctLen..+16)} and only then decrypts in place.
   *
   * @return false on a bad tag; {@code buf} is then untouched
   */
  boolean open(
      byte[] iv, byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen);

  /** The engine the property selects (see the class comment), for {@code key}. */
  static GcmEngine create(byte[] key) {
    String mode = System.getProperty("visio.srtp.gcm", "auto").toLowerCase(Locale.ROOT);
    return switch (mode) {
      case "java", "ghash" -> new JavaGcm(key);
      case "jce" -> new JceGcm(key);
      case "openssl" -> {
        if (!OpenSslGcm.isAvailable()) {
          throw new IllegalStateException(
              "visio.srtp.gcm=openssl but libcrypto is unusable: "
                  + OpenSslGcm.unavailableReason());
        }
        yield new OpenSslGcm(key);
      }
      default -> OpenSslGcm.isAvailable() ? new OpenSslGcm(key) : new JavaGcm(key);
    };
  }
}
