package eu.visio.media.srtp;

/**
 * SRTP protection profiles we negotiate in DTLS use_srtp (RFC 5764 §4.1.2, RFC 7714 §14.2). AES-GCM
 * is preferred; AES-CM with HMAC-SHA1-80 is accepted for older peers.
 */
public enum SrtpProfile {
  AEAD_AES_128_GCM(0x0007, 16, 12, 16),
  AES128_CM_HMAC_SHA1_80(0x0001, 16, 14, 10);

  /** The IANA DTLS-SRTP protection profile id. */
  public final int id;

  public final int keyLength;
  public final int saltLength;

  /** Bytes appended to each protected RTP packet (GCM tag or truncated HMAC). */
  public final int authTagLength;

  SrtpProfile(int id, int keyLength, int saltLength, int authTagLength) {
    this.id = id;
    this.keyLength = keyLength;
    this.saltLength = saltLength;
    this.authTagLength = authTagLength;
  }

  /** Returns the profile with this IANA id, or null when we do not support it. */
  public static SrtpProfile byId(int id) {
    for (SrtpProfile p : values()) {
      if (p.id == id) {
        return p;
      }
    }
    return null;
  }
}
