package eu.visio.media.stun;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to the attribute, with the
 * header length field counting only up to the end of MESSAGE-INTEGRITY (so a FINGERPRINT that
 * follows is excluded). Holds one initialised MAC for one key so that checking and signing allocate
 * nothing. Not thread-safe; the key never appears in {@link #toString()}.
 */
public final class StunIntegrity {
  /** Length of the HMAC-SHA1 value. */
  public static final int LENGTH = 20;

  private final Mac mac;
  private final byte[] scratch = new byte[LENGTH];
  private final byte[] lengthField = new byte[2];

  /** A MAC for {@code key} (copied); the key must not be empty. */
  public StunIntegrity(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("empty MESSAGE-INTEGRITY key");
    }
    try {
      mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(key, "HmacSHA1"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 unavailable", e);
    }
  }

  /**
   * Short-term credential key (RFC 8489 §9.1.1): the password's UTF-8 bytes. ICE passwords are
   * ice-chars (RFC 8839 §5.4), which OpaqueString processing leaves unchanged.
   */
  public static StunIntegrity shortTerm(String password) {
    return new StunIntegrity(password.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether {@code message} carries MESSAGE-INTEGRITY and it matches this key. */
  public boolean verify(StunMessage message) {
    int value = message.integrityValueOffset();
    if (value < 0) {
      return false;
    }
    byte[] b = message.buffer();
    int start = message.offset();
    // Header length as if the message ended right after MESSAGE-INTEGRITY.
    compute(b, start, value - 4, value + LENGTH - start - StunMessage.HEADER_LENGTH);
    int diff = 0;
    for (int i = 0; i < LENGTH; i++) {
      diff |= scratch[i] ^ b[value + i]; // constant time: no early exit on a mismatch
    }
    return diff == 0;
  }

  /**
   * Writes the HMAC of {@code b[start, attributeStart)} to {@code b[attributeStart + 4...]} with
   * {@code headerLength} substituted for the length field. Used by {@link StunWriter}.
   */
  void sign(byte[] b, int start, int attributeStart, int headerLength) {
    compute(b, start, attributeStart, headerLength);
    System.arraycopy(scratch, 0, b, attributeStart + 4, LENGTH);
  }

  private void compute(byte[] b, int start, int end, int headerLength) {
    lengthField[0] = (byte) (headerLength >>> 8);
    lengthField[1] = (byte) headerLength;
    mac.update(b, start, 2);
    mac.update(lengthField, 0, 2);
    mac.update(b, start + 4, end - start - 4);
    try {
      mac.doFinal(scratch, 0);
    } catch (ShortBufferException e) {
      throw new IllegalStateException(e); // scratch is exactly the MAC length
    }
  }

  @Override
  public String toString() {
    return "StunIntegrity{HMAC-SHA1}";
  }
}
