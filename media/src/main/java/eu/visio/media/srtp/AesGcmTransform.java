package eu.visio.media.srtp;

/**
 * AEAD_AES_128_GCM for SRTP and SRTCP (RFC 7714) on an allocation-free {@link GcmEngine}: OpenSSL's
 * libcrypto through java.lang.foreign when it is installed ({@link OpenSslGcm}), else our pure-Java
 * engine ({@link JavaGcm}). The default GCM transform.
 *
 * <p>Why not {@code Cipher.getInstance("AES/GCM/NoPadding")}: JCE GCM must be re-initialised for
 * every packet (new IV; it also refuses key+IV reuse for encryption), and each {@code init}
 * allocates a {@code GCMParameterSpec}, IV and key clones and a fresh GCM engine with its GHASH key
 * table: ~1.1 KB per packet. Measured by {@code SrtpBenchmark} on 1,200-byte packets (2 shared
 * cores, noisy; docs/BENCHMARKS.md): OpenSSL engine ~0.5 µs protect, pure-Java engine ~2.1 µs, both
 * 0 B/op; {@link JceGcm} ~0.57 µs with 1,104 B/op (protect) / 1,000 B/op (unprotect). The JDK
 * engine stays one flag away ({@code -Dvisio.srtp.gcm=jce}); {@code =java} forces the pure-Java
 * engine and {@code =openssl} requires libcrypto.
 *
 * <p>RTP (§8): IV = (0x0000 || SSRC || ROC || SEQ) XOR salt, AAD = the RTP header including CSRCs
 * and extension, tag appended. RTCP (§9): IV = (0x0000 || SSRC || 0x0000 || index) XOR salt, AAD =
 * the first 8 header bytes and the E flag and index; the packet is header | ciphertext | tag |
 * E+index. When E = 0 the whole packet is AAD and nothing is encrypted (§9.2).
 */
final class AesGcmTransform implements SrtpTransform {
  static final int TAG_LENGTH = 16;
  private static final int TRAILER_LENGTH = 4;
  private static final int RTCP_HEADER = 8;

  private final GcmEngine gcm;
  private final byte[] salt;
  private final byte[] iv = new byte[12];

  AesGcmTransform(byte[] key, byte[] salt) {
    this(GcmEngine.create(key), salt);
  }

  /** With an explicit engine, so tests can run every engine whatever the property says. */
  AesGcmTransform(GcmEngine engine, byte[] salt) {
    if (salt.length != 12) {
      throw new IllegalArgumentException("GCM session salt must be 12 bytes");
    }
    this.gcm = engine;
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
    setIv(ssrc, index >>> 16, index & 0xFFFF);
    int ctLen = len - headerLen;
    seal(buf, off, headerLen, 0, 0, off + headerLen, ctLen);
    return len + TAG_LENGTH;
  }

  @Override
  public boolean unprotectRtp(byte[] buf, int off, int len, int headerLen, int ssrc, long index) {
    setIv(ssrc, index >>> 16, index & 0xFFFF);
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
    setIv(ssrc, 0, index);
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
    int end = trailer - TAG_LENGTH; // end of ciphertext (or of AAD when E = 0)
    setIv(ssrc, 0, eAndIndex & 0x7FFFFFFF);
    if (eAndIndex < 0) {
      return open(buf, off, RTCP_HEADER, trailer, TRAILER_LENGTH, off + RTCP_HEADER, end - off - 8);
    }
    return open(buf, off, end - off, trailer, TRAILER_LENGTH, end, 0);
  }

  /**
   * Sets the 96-bit IV, {@code (0x0000 || SSRC || a || b) XOR salt} with {@code a || b} a 48-bit
   * field (ROC || SEQ for RTP, 0x0000 || index for RTCP).
   */
  private void setIv(int ssrc, long high32, long low16) {
    long field = (high32 << 16) | low16;
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

  private void seal(byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen) {
    gcm.seal(iv, buf, aad, aadLen, aad2, aad2Len, ct, ctLen);
  }

  private boolean open(byte[] buf, int aad, int aadLen, int aad2, int aad2Len, int ct, int ctLen) {
    return gcm.open(iv, buf, aad, aadLen, aad2, aad2Len, ct, ctLen);
  }

  @Override
  public String toString() {
    return "AesGcmTransform[keys redacted]";
  }
}
