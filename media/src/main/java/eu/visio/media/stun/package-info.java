/**
 * STUN message codec (RFC 8489, wire-compatible with RFC 5389): a reusable zero-copy view over a
 * received datagram ({@link eu.visio.media.stun.StunMessage}), a writer that encodes into a
 * caller-supplied buffer ({@link eu.visio.media.stun.StunWriter}), MESSAGE-INTEGRITY (HMAC-SHA1)
 * and FINGERPRINT (CRC-32) handling, and the attributes ICE (RFC 8445) needs, with room for TURN.
 *
 * <p>Hand-written because no maintained Java library offers an allocation-light STUN codec that
 * works on {@code byte[]} views: the JDK supplies only the primitives used here (HMAC-SHA1, CRC-32,
 * MD5).
 */
package eu.visio.media.stun;
