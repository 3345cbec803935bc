/**
 * One WebRTC peer connection's transport: ICE-lite, DTLS and SRTP composed on the shared UDP port,
 * in the order RFC 7983 demultiplexes them. Like mediasoup's WebRtcTransport, it knows packets and
 * keys, not tracks or rooms.
 */
package eu.visio.media.transport;
