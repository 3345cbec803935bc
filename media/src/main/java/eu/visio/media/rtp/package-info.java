/**
 * RTP (RFC 3550 §5.1) as a reusable, allocation-free view over a datagram buffer, RFC 8285 header
 * extensions (one-byte and two-byte forms), RFC 7983 / RFC 5761 demultiplexing checks and
 * wrap-aware sequence arithmetic.
 *
 * <p>Hand-written because no maintained Java library offers RTP as a mutable zero-copy view: the
 * SFU rewrites SSRC, sequence number, timestamp, payload type and extension values in place on
 * every forwarded packet, so the per-packet path must allocate nothing and never throw (malformed
 * input is reported by {@link eu.visio.media.rtp.RtpPacket#wrap} returning {@code false}).
 */
package eu.visio.media.rtp;
