/**
 * NACK and retransmission (RFC 4585 §6.2.1, RFC 4588): the per-published-stream {@link
 * eu.visio.sfu.nack.PacketHistory} slab ring from which all subscribers' NACKs are answered, the
 * {@link eu.visio.sfu.nack.NackGenerator} that decides which losses to NACK towards a publisher and
 * when, the {@link eu.visio.sfu.nack.NackResponder} that serves a subscriber's NACKs with rate
 * limiting, and the {@link eu.visio.sfu.nack.RttEstimator} that paces both.
 *
 * <p>How the forwarding core wires it, per published media SSRC: on each received packet, after
 * SRTP and after unwrapping the sequence number, {@code history.store(...)} and {@code
 * generator.onPacket(ext, now)} (for an RTX packet, unwrap its OSN and call {@code generator.onRtx}
 * and store the rebuilt original). On each RTCP tick, {@code generator.collect(now, seqs)} and, if
 * non-empty, send {@code NackGenerator.toGenericNack(...)}; if {@code
 * generator.takeKeyframeRequest()}, send a PLI. On a subscriber's NACK, {@code
 * responder.respond(nack, downTrack::sourceSequence, history, scratch, resender, now)}.
 *
 * <p>Threading: owned by the room's media worker; nothing here locks. Times are nanoseconds passed
 * in by the caller, never read from a clock.
 */
package eu.visio.sfu.nack;
