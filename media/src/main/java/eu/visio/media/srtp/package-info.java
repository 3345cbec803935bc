/**
 * SRTP and SRTCP (RFC 3711) with the AES_CM_128_HMAC_SHA1_80 and AEAD_AES_128_GCM (RFC 7714)
 * profiles, keyed by DTLS-SRTP (RFC 5764).
 *
 * <p>Hand-written because no maintained Java library offers allocation-free, in-place SRTP; it is
 * built on the JDK's own crypto ({@code AES/ECB} for counter-mode keystreams and {@code SHA-1} for
 * HMAC) so that AES runs on the JVM's AES-NI intrinsics, not on BouncyCastle. JCE GCM allocates
 * ~1.1 KB per packet, so AES-GCM runs on OpenSSL's libcrypto through java.lang.foreign when it is
 * installed, else on a pure-Java GHASH; {@code -Dvisio.srtp.gcm=java|openssl|jce} overrides (see
 * {@code GcmEngine}, and docs/BENCHMARKS.md for the measurements).
 *
 * <p>Entry point: {@link eu.visio.media.srtp.SrtpSession}.
 */
package eu.visio.media.srtp;
