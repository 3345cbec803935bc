package eu.visio.media.srtp;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AEAD_AES_128_GCM (RFC 7714) on the JDK's {@code AES/GCM/NoPadding}: same wire format as {@link
 * AesGcmTransform}, opt-in with {@code -Dvisio.srtp.gcm=jce}.
 *
 * <p>Trade-off (see {@code SrtpBenchmark}): the JDK runs AES-GCM on AES-NI + carry-less-multiply
 * intrinsics and is several times faster than our table GHASH, but every packet needs a {@code
 * Cipher.init} (new IV), which allocates about 1.1 KB (GCMParameterSpec, IV and key clones, a GCM
 * engine with its GHASH key table), and a forged packet costs an {@link AEADBadTagException}.
 */
final class JceGcmTransform implements SrtpTransform {
  private static final int TAG_LENGTH = 16;
  private static final int TRAILER_LENGTH = 4;
  private static final int RTCP_HEADER = 8;

  private final Cipher gcm;
  private final SecretKeySpec key;
  private final byte[] salt;
  private final byte[] iv = new byte[12];

  /** Decryption target: the JDK leaves unverified plaintext in its output when a tag fails. */
  private byte[] plain = new byte[1536];

  JceGcmTransform(byte[] key, byte[] salt) {
    if (salt.length != 12) {
      throw new IllegalArgumentException("GCM session salt must be 12 bytes");
    }
    try {
      this.gcm = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
    this.key = new SecretKeySpec(key, "AES");
    this.salt = salt.clone();
  }

  @Override
  public int rtpOverhead() {
    return TAG_LENGTH;
  }

  @Override
  public int rtcpOverhead() {
    return TAG_LENGTH + TRAILER_LENGTH;
  }

  @Override
  public int protectRtp(byte[] buf, int off, int len, int headerLen, int ssrc, long index) {
    setIv(ssrc, index);
    return headerLen + seal(buf, off, headerLen, 0, 0, off + headerLen, len - headerLen);
  }

  @Override
  public boolean unprotectRtp(byte[] buf, int off, int len, int headerLen, int ssrc, long index) {
    setIv(ssrc, index);
    return open(buf, off, headerLen, 0, 0, off + headerLen, len - headerLen - TAG_LENGTH);
  }

  @Override
  public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
    int trailer = off + len + TAG_LENGTH;
    int e = 0x80000000 | index;
    buf[trailer] = (byte) (e >>> 24);
    buf[trailer + 1] = (byte) (e >>> 16);
    buf[trailer + 2] = (byte) (e >>> 8);
    buf[trailer + 3] = (byte) e;
    setIv(ssrc, index & 0xFFFFFFFFL);
    seal(buf, off, RTCP_HEADER, trailer, TRAILER_LENGTH, off + RTCP_HEADER, len - RTCP_HEADER);
    return len + TAG_LENGTH + TRAILER_LENGTH;
  }

  @Override
  public int rtcpTrailerOffset(int len) {
    return len - TRAILER_LENGTH;
  }

  @Override
  public boolean unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
    int trailer = off + len - TRAILER_LENGTH;
    int end = trailer - TAG_LENGTH;
    setIv(ssrc, eAndIndex & 0x7FFFFFFFL);
    if (eAndIndex < 0) {
      return open(buf, off, RTCP_HEADER, trailer, TRAILER_LENGTH, off + RTCP_HEADER, end - off - 8);
    }
    return open(buf, off, end - off, trailer, TRAILER_LENGTH, end, 0);
  }

  /** IV = (0x0000 || SSRC || 48-bit field) XOR salt; the field is ROC||SEQ or 0x0000||index. */
  private void setIv(int ssrc, long field) {
    iv[0] = salt[0];
    iv[1] = salt[1];
    iv[2] = (byte) (salt[2] ^ (ssrc >>> 24));
    iv[3] = (byte) (salt[3] ^ (ssrc >>> 16));
    iv[4] = (byte) (salt[4] ^ (ssrc >>> 8));
    iv[5] = (byte) (salt[5] ^ ssrc);
    for (int i = 0; i < 6; i++) {
      iv[6 + i] = (byte) (salt[6 + i] ^ (field >>> (40 - 8 * i)));
    }
  }

  /** Encrypts in place and appends the tag; returns ciphertext + tag length. */
  private int seal(byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen) {
    try {
      gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_LENGTH * 8, iv));
      gcm.updateAAD(buf, aad, aadLen);
      if (aad2Len > 0) {
        gcm.updateAAD(buf, aad2, aad2Len);
      }
      return gcm.doFinal(buf, ct, ctLen, buf, ct);
    } catch (GeneralSecurityException e) {
      // Only on IV reuse, which SrtpContext prevents by refusing already-sent indices.
      throw new IllegalStateException("AES-GCM seal failed", e);
    }
  }

  private boolean open(byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen) {
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
    return "JceGcmTransform[keys redacted]";
  }
}
