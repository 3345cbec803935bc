package eu.visio.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-GCM on the JDK's own {@code AES/GCM/NoPadding}: fast (HotSpot intrinsics) but it allocates
 * about 1 KB per packet, because every packet needs {@code Cipher.init} with a new IV. Opt-in only
 * ({@code -Dvisio.srtp.gcm=jce}), as a reference and for machines where neither other engine suits.
 */
final class JceGcm implements GcmEngine {
  private static final int TAG_LENGTH = 16;

  private final Cipher gcm;
  private final SecretKeySpec key;

  /** Decryption target: the JDK leaves unverified plaintext in its output when a tag fails. */
  private byte[] plain = new byte[1536];

  JceGcm(byte[] key) {
    try {
      this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  @Override
  public void seal(
      byte[] iv, byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen) {
    try {
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
      gcm.updateAAD(buf, aad, aadLen);
      if (aad2Len > 0) {
        gcm.updateAAD(buf, aad2, aad2Len);
      }
      gcm.doFinal(buf, ct, ctLen, buf, ct);
    } catch (GeneralSecurityException e) {
      // Only on IV reuse, which SrtpContext prevents by refusing already-sent indices.
      throw new IllegalStateException("AES-GCM seal failed", e);
    }
  }

  @Override
  public boolean open(
      byte[] iv, byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen) {
    try {
      gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
      gcm.updateAAD(buf, aad, aadLen);
      if (aad2Len > 0) {
        gcm.updateAAD(buf, aad2, aad2Len);
      }
      if (plain.length < ctLen) {
        plain = new byte[ctLen]; // only for a packet larger than any before
      }
      // Decrypting in place would leave unauthenticated plaintext in buf on a bad tag (JDK 25
      // writes it before checking); decrypt aside and copy back only once verified.
      gcm.doFinal(buf, ct, ctLen + TAG_LENGTH, plain, 0);
      System.arraycopy(plain, 0, buf, ct, ctLen);
      return true;
    } catch (AEADBadTagException e) {
      return false;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM open failed", e);
    }
  }

  @Override
  public String toString() {
    return "JceGcm[key redacted]";
  }
}
