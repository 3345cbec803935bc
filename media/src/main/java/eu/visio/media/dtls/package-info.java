/**
 * DTLS 1.2 for DTLS-SRTP (RFC 5764, RFC 8842): the handshake that authenticates a WebRTC peer by
 * the certificate fingerprint from its SDP and exports the SRTP master keys, plus the encrypted
 * application-data channel that SCTP data channels ride on (RFC 8261).
 *
 * <p>The protocol itself is BouncyCastle bctls ({@code org.bouncycastle.tls}), a maintained
 * implementation; this package only wraps it: a self-signed ECDSA certificate and its fingerprint
 * ({@link eu.visio.media.dtls.DtlsCertificate}, {@link eu.visio.media.dtls.DtlsFingerprint}), the
 * SDP {@code a=setup} role rules ({@link eu.visio.media.dtls.DtlsRole}), and a push-driven {@link
 * eu.visio.media.dtls.DtlsTransport} that runs bctls' blocking handshake on a virtual thread so the
 * packet I/O thread never blocks.
 */
package eu.visio.media.dtls;
