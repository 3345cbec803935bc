package eu.visio.media.srtp;

/**
 * The cryptographic transform of one set of session keys (one direction, RTP or RTCP): encryption
 * plus authentication, in place. It holds no per-SSRC state; {@link SrtpContext} supplies the
 * packet index and decides, from the result, whether to update replay and rollover state.
 *
 * <p>Offsets are absolute in {@code buf}; lengths have been checked by the caller.
 */
sealed interface SrtpTransform permits AesCmTransform, AesGcmTransform {

  /** Bytes appended to an RTP packet (the tag). */
  int rtpOverhead();

  /** Bytes appended to an RTCP packet (tag plus the 4-byte E flag and SRTCP index). */
  int rtcpOverhead();

  /** Encrypts the payload after {@code headerLen} and appends the tag; returns the new length. */
  int protectRtp(byte[] buf, int off, int len, int headerLen, int ssrc, long index);

  /**
   * Verifies the tag of the {@code len}-byte SRTP packet, then (only then) decrypts its payload.
   *
   * @return false when authentication fails; the buffer is then untouched
   */
  boolean unprotectRtp(byte[] buf, int off, int len, int headerLen, int ssrc, long index);

  /** Encrypts the RTCP packet after its first 8 bytes, appends the trailer; returns new length. */
  int protectRtcp(byte[] buf, int off, int len, int ssrc, int index);

  /**
   * Offset, from {@code off}, of the 4-byte E flag and SRTCP index in a {@code len}-byte packet.
   */
  int rtcpTrailerOffset(int len);

  /**
   * Verifies the SRTCP packet, then decrypts it if the E flag in {@code eAndIndex} is set.
   *
   * @return false when authentication fails; the buffer is then untouched
   */
  boolean unprotectRtcp(byte[] buf, int off, int len, int ssrc, int eAndIndex);

  /** Builds the transform for a profile. */
  static SrtpTransform create(SrtpProfile profile, SrtpKeyDerivation.SessionKeys keys) {
    return create(profile, keys, false);
  }

  /**
   * Builds the transform for a profile; {@code jceGcm} forces the JDK's GCM engine (tests compare
   * it with the others), otherwise {@link GcmEngine#create} picks by {@code visio.srtp.gcm}.
   */
  static SrtpTransform create(
      SrtpProfile profile, SrtpKeyDerivation.SessionKeys keys, boolean jceGcm) {
    return switch (profile) {
      case AEAD_AES_128_GCM ->
          new AesGcmTransform(
              jceGcm ? new JceGcm(keys.encryptionKey()) : GcmEngine.create(keys.encryptionKey()),
              keys.salt());
      case AES128_CM_HMAC_SHA1_80 ->
          new AesCmTransform(keys.encryptionKey(), keys.authKey(), keys.salt());
    };
  }
}
