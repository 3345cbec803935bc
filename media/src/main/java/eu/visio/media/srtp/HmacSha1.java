package eu.visio.media.srtp;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * HMAC-SHA1 (RFC 2104) over a reused {@link MessageDigest}, for SRTP's default authentication
 * transform (RFC 3711 §4.2.1).
 *
 * <p>Why not {@code javax.crypto.Mac}: the JDK's HmacCore allocates the inner digest on every
 * {@code doFinal}; {@code MessageDigest.digest(byte[], int, int)} writes into our buffer, so this
 * path allocates nothing. Not thread-safe.
 */
final class HmacSha1 {
  static final int LENGTH = 20;
  private static final int BLOCK = 64;

  private final MessageDigest sha1;
  private final byte[] innerPad = new byte[BLOCK];
  private final byte[] outerPad = new byte[BLOCK];
  private final byte[] inner = new byte[LENGTH];

  HmacSha1(byte[] key) {
    if (key.length > BLOCK) {
      throw new IllegalArgumentException("HMAC key longer than a block");
    }
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 unavailable", e);
    }
    for (int i = 0; i < BLOCK; i++) {
      byte k = i < key.length ? key[i] : 0;
      innerPad[i] = (byte) (k ^ 0x36);
      outerPad[i] = (byte) (k ^ 0x5c);
    }
  }

  void start() {
    sha1.reset();
    sha1.update(innerPad);
  }

  void update(byte[] b, int off, int len) {
    sha1.update(b, off, len);
  }

  /** Writes the full 20-byte MAC at {@code out[outOff]}. */
  void finish(byte[] out, int outOff) {
    try {
      sha1.digest(inner, 0, LENGTH);
      sha1.update(outerPad);
      sha1.update(inner);
      sha1.digest(out, outOff, LENGTH);
    } catch (DigestException e) {
      throw new IllegalStateException(e); // unreachable: buffers are sized LENGTH
    }
  }
}
