package eu.visio.media.srtp;

import java.util.Arrays;

/**
 * The SRTP key derivation function (RFC 3711 §4.3) with a key derivation rate of zero, the only
 * rate DTLS-SRTP uses (RFC 5764 §4.1.2): each session key is derived once.
 *
 * <p>The PRF is AES-CM keyed with the master key over {@code x * 2^16}, where {@code x} is the
 * master salt XOR the label at byte 7 (§4.3.1, §4.3.3). AEAD profiles have a 12-byte master salt;
 * it is zero-padded on the right to 14 bytes (RFC 7714 §11, as libsrtp does).
 */
final class SrtpKeyDerivation {
  static final int LABEL_RTP_ENCRYPTION = 0x00;
  static final int LABEL_RTP_AUTH = 0x01;
  static final int LABEL_RTP_SALT = 0x02;
  static final int LABEL_RTCP_ENCRYPTION = 0x03;
  static final int LABEL_RTCP_AUTH = 0x04;
  static final int LABEL_RTCP_SALT = 0x05;

  /** HMAC-SHA1 session authentication key length (RFC 3711 §8.2). */
  static final int AUTH_KEY_LENGTH = 20;

  private SrtpKeyDerivation() {}

  /** Derives {@code length} bytes for {@code label} from a master key and salt. */
  static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) {
    return derive(new AesKeystream(masterKey), masterSalt, label, length);
  }

  private static byte[] derive(AesKeystream prf, byte[] masterSalt, int label, int length) {
    if (masterSalt.length > 14) {
      throw new IllegalArgumentException("master salt longer than 112 bits");
    }
    byte[] x = new byte[16]; // bytes 14..15 stay zero: x * 2^16
    System.arraycopy(masterSalt, 0, x, 0, masterSalt.length);
    x[7] ^= (byte) label; // key_id = label || r with r = 0 (KDR = 0)
    byte[] stream = prf.generate(x, (length + 15) >>> 4);
    byte[] out = Arrays.copyOf(stream, length);
    Arrays.fill(stream, (byte) 0);
    return out;
  }

  /** Derives the session keys of one direction, for RTP ({@code rtcp = false}) or RTCP. */
  static SessionKeys sessionKeys(
      SrtpProfile profile, byte[] masterKey, byte[] masterSalt, boolean rtcp) {
    AesKeystream prf = new AesKeystream(masterKey);
    int base = rtcp ? LABEL_RTCP_ENCRYPTION : LABEL_RTP_ENCRYPTION;
    byte[] encryption = derive(prf, masterSalt, base, profile.keyLength);
    byte[] salt = derive(prf, masterSalt, base + 2, profile.saltLength);
    byte[] auth =
        profile == SrtpProfile.AEAD_AES_128_GCM
            ? new byte[0] // AEAD authenticates with the encryption key (RFC 7714 §11)
            : derive(prf, masterSalt, base + 1, AUTH_KEY_LENGTH);
    return new SessionKeys(encryption, auth, salt);
  }

  /**
   * One set of session keys. Holds secrets: never logged. A class rather than a record because its
   * components are arrays (records would compare them by identity).
   */
  static final class SessionKeys {
    private final byte[] encryptionKey;
    private final byte[] authKey;
    private final byte[] salt;

    SessionKeys(byte[] encryptionKey, byte[] authKey, byte[] salt) {
      this.encryptionKey = encryptionKey.clone();
      this.authKey = authKey.clone();
      this.salt = salt.clone();
    }

    byte[] encryptionKey() {
      return encryptionKey.clone();
    }

    byte[] authKey() {
      return authKey.clone();
    }

    byte[] salt() {
      return salt.clone();
    }

    @Override
    public String toString() {
      return "SessionKeys[redacted]";
    }
  }
}
