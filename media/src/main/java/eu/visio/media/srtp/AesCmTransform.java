package eu.visio.media.srtp;

import java.security.MessageDigest;

/**
 * AES_CM_128_HMAC_SHA1_80 (RFC 3711 §4.1.1, §4.2.1): AES counter mode for confidentiality and
 * HMAC-SHA1 truncated to 80 bits for authentication, over the RTP header, the encrypted payload
 * and, for SRTP, the rollover counter (§4.2); for SRTCP, the E flag and index (§3.4).
 */
final class AesCmTransform implements SrtpTransform {
  static final int TAG_LENGTH = 10;
  private static final int TRAILER_LENGTH = 4;
  private static final int RTCP_HEADER = 8;

  private final AesKeystream aes;
  private final HmacSha1 hmac;
  private final byte[] salt;
  private final byte[] iv = new byte[16];
  private final byte[] mac = new byte[HmacSha1.LENGTH];
  private final byte[] expected = new byte[TAG_LENGTH];
  private final byte[] received = new byte[TAG_LENGTH];
  private final byte[] roc = new byte[4];

  AesCmTransform(byte[] key, byte[] authKey, byte[] salt) {
    this.aes = new AesKeystream(key);
    this.hmac = new HmacSha1(authKey);
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
    crypt(buf, off + headerLen, len - headerLen, ssrc, index);
    authenticate(buf, off, len, index >>> 16, true);
    System.arraycopy(mac, 0, buf, off + len, TAG_LENGTH);
    return len + TAG_LENGTH;
  }

  @Override
  public boolean unprotectRtp(byte[] buf, int off, int len, int headerLen, int ssrc, long index) {
    int authLen = len - TAG_LENGTH;
    if (!verify(buf, off, authLen, index >>> 16, true)) {
      return false;
    }
    crypt(buf, off + headerLen, authLen - headerLen, ssrc, index);
    return true;
  }

  @Override
  public int protectRtcp(byte[] buf, int off, int len, int ssrc, int index) {
    crypt(buf, off + RTCP_HEADER, len - RTCP_HEADER, ssrc, index);
    writeInt(buf, off + len, 0x80000000 | index); // E = 1: always encrypted
    authenticate(buf, off, len + TRAILER_LENGTH, 0, false);
    System.arraycopy(mac, 0, buf, off + len + TRAILER_LENGTH, TAG_LENGTH);
    return len + TRAILER_LENGTH + TAG_LENGTH;
  }

  @Override
  public int rtcpTrailerOffset(int len) {
    return len - TAG_LENGTH - TRAILER_LENGTH;
  }

  @Override
  public boolean unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex) {
    if (!verify(buf, off, len - TAG_LENGTH, 0, false)) {
      return false;
    }
    if (eAndIndex < 0) { // E flag set
      int end = rtcpTrailerOffset(len);
      crypt(buf, off + RTCP_HEADER, end - RTCP_HEADER, ssrc, eAndIndex & 0x7FFFFFFF);
    }
    return true;
  }

  /** XORs the AES-CM keystream for (SSRC, index) into {@code buf[from..from+len)}. */
  private void crypt(byte[] buf, int from, int len, int ssrc, long index) {
    if (len <= 0) {
      return;
    }
    // IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16)   (RFC 3711 §4.1.1)
    System.arraycopy(salt, 0, iv, 0, 14);
    iv[14] = 0;
    iv[15] = 0;
    iv[4] ^= (byte) (ssrc >>> 24);
    iv[5] ^= (byte) (ssrc >>> 16);
    iv[6] ^= (byte) (ssrc >>> 8);
    iv[7] ^= (byte) ssrc;
    for (int i = 0; i < 6; i++) {
      iv[8 + i] ^= (byte) (index >>> (40 - 8 * i));
    }
    byte[] stream = aes.generate(iv, (len + 15) >>> 4);
    AesKeystream.xor(stream, 0, buf, from, len);
  }

  /** Full HMAC into {@link #mac}, over {@code buf[off..off+len)} then ROC for SRTP (§4.2). */
  private void authenticate(byte[] buf, int off, int len, long rolloverCounter, boolean rtp) {
    hmac.start();
    hmac.update(buf, off, len);
    if (rtp) {
      writeInt(roc, 0, (int) rolloverCounter);
      hmac.update(roc, 0, 4);
    }
    hmac.finish(mac, 0);
  }

  /** Checks the tag that follows {@code buf[off..off+authLen)}, in constant time. */
  private boolean verify(byte[] buf, int off, int authLen, long rolloverCounter, boolean rtp) {
    authenticate(buf, off, authLen, rolloverCounter, rtp);
    System.arraycopy(mac, 0, expected, 0, TAG_LENGTH);
    System.arraycopy(buf, off + authLen, received, 0, TAG_LENGTH);
    return MessageDigest.isEqual(expected, received);
  }

  private static void writeInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  @Override
  public String toString() {
    return "AesCmTransform[keys redacted]";
  }
}
