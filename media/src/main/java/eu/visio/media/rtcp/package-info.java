/**
 * RTCP (RFC 3550 §6) compound packets: an allocation-free iterator over a compound datagram plus
 * immutable records for the packet types an SFU reads and writes (SR, RR, SDES, BYE, APP, PLI, FIR,
 * Generic NACK, REMB and transport-wide congestion control feedback), each able to parse itself
 * from the iterator's current packet and write itself into a caller buffer.
 *
 * <p>Error model: malformed input raises {@link eu.visio.media.rtcp.RtcpParseException}, a
 * stackless checked exception. RTCP is a control channel (a few packets per second per stream), so
 * a thrown error is cheap enough there and keeps the parsers readable; the per-media-packet path
 * (RTP) uses return codes instead. Records allocate; the iterator and the quick header accessors do
 * not. Builders throw IllegalArgumentException for values the wire format cannot carry (a
 * programming error, not input), and write only what {@code length()} announced.
 *
 * <p>Hand-written because no maintained Java library covers RTCP feedback (RFC 4585, RFC 5104,
 * REMB, transport-wide CC) as buffer views.
 */
package eu.visio.media.rtcp;
