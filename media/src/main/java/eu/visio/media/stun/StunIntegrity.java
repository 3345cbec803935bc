package eu.visio.media.stun;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over the message up to the attribute, with the
 * header length field counting only up to the end of MESSAGE-INTEGRITY (so a FINGERPRINT that
 * follows is excluded). Holds one digest and the padded key so that checking and signing allocate
 * nothing. Not thread-safe; the key never appears in {@link #toString()}.
 *
 * <p>HMAC (RFC 2104) is spelled out over {@link MessageDigest} rather than {@code javax.crypto.Mac}
 * because the JDK's HMAC allocates its inner digest on every {@code doFinal} (40 bytes per MAC, two
 * per ICE check), while {@code MessageDigest.digest(byte[], int, int)} writes into our buffer.
 */
public final class StunIntegrity {
  /** Length of the HMAC-SHA1 value. */
  public static final int LENGTH = 20;

  private static final int BLOCK = 64;

  private final MessageDigest sha1;
  private final byte[] innerPad = new byte[BLOCK];
  private final byte[] outerPad = new byte[BLOCK];
  private final byte[] inner = new byte[LENGTH];
  private final byte[] scratch = new byte[LENGTH];
  private final byte[] lengthField = new byte[2];

  /** A MAC for {@code key} (copied); the key must not be empty. */
  public StunIntegrity(byte[] key) {
    if (key.length == 0) {
      throw new IllegalArgumentException("empty MESSAGE-INTEGRITY key");
    }
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 unavailable", e);
    }
    // RFC 2104 §2: a key longer than the block is replaced by its hash (ice-pwd may be 256 chars).
    byte[] k = key.length > BLOCK ? sha1.digest(key) : key;
    for (int i = 0; i < BLOCK; i++) {
      byte b = i < k.length ? k[i] : 0;
      innerPad[i] = (byte) (b ^ 0x36);
      outerPad[i] = (byte) (b ^ 0x5c);
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
    MessageDigest md = sha1;
    md.reset();
    md.update(innerPad);
    md.update(b, start, 2);
    md.update(lengthField, 0, 2);
    md.update(b, start + 4, end - start - 4);
    try {
      md.digest(inner, 0, LENGTH);
      md.update(outerPad);
      md.update(inner);
      md.digest(scratch, 0, LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException(e); // unreachable: both buffers are exactly LENGTH
    }
  }

  @Override
  public String toString() {
    return "StunIntegrity{HMAC-SHA1}";
  }
}
