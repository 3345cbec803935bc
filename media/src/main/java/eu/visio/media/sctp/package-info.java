/**
 * SCTP (RFC 9260) over DTLS (RFC 8261) for WebRTC data channels: the packet and chunk codec, with
 * CRC32c checksums and the extensions browsers use (partial reliability, RFC 3758 FORWARD-TSN;
 * stream reconfiguration, RFC 6525; I-DATA and I-FORWARD-TSN, RFC 8260).
 *
 * <p>Error model: malformed input raises {@link eu.visio.media.sctp.SctpParseException}, stackless,
 * with a stable reason. Data channels carry chat, reactions and RPC at a few messages per second,
 * so chunks are immutable records; the RTP path is elsewhere and allocation-free.
 *
 * <p>{@link eu.visio.media.sctp.Association} is the association, sans I/O: packets and the time in,
 * packets, messages and a timer deadline out.
 *
 * <p>Hand-written because no Java SCTP stack is published on the registries we use (jitsi-sctp,
 * dcsctp4j, sctp4j and libdatachannel-java are not); its design follows WebRTC's dcSCTP.
 */
package eu.visio.media.sctp;
