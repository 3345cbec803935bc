/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (RFC 7714)
 * profiles, keyed by DTLS-SRTP (RFC 5764).
 *
 * <p>Hand-written because no maintained Java library offers allocation-free, in-place SRTP; it is
 * built only on the JDK's own crypto ({@code AES/ECB} for counter-mode keystreams and {@code SHA-1}
 * for HMAC) so that AES runs on the JVM's AES-NI intrinsics, not on BouncyCastle. GHASH is
 * implemented here because JCE GCM allocates ~1.1 KB per packet; the JCE engine remains selectable
 * with {@code -Dvisio.srtp.gcm=jce} (see {@code AesGcmTransform} for the measurements).
 *
 * <p>Entry point: {@link eu.visio.media.srtp.SrtpSession}.
 */
package eu.visio.media.srtp;
