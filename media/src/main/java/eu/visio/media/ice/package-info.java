/**
 * ICE-lite (RFC 8445 §2.5, §7.3) for a media server with public host candidates: answers the
 * browser's connectivity checks, tracks validated paths, follows the controlling agent's
 * nomination, expires paths whose consent (RFC 7675) lapsed, and supports ICE restart. Also the
 * candidate model with SDP encoding (RFC 8839 §5.1) and host candidate gathering.
 *
 * <p>Hand-written because no maintained Java library offers an ICE-lite responder that works on
 * caller-owned buffers without its own sockets and threads (ice4j is a full agent with its own
 * I/O). STUN encoding comes from {@link eu.visio.media.stun}.
 */
package eu.visio.media.ice;
