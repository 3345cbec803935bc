/**
 * WebRTC media transport, one package per protocol. Knows nothing of rooms.
 *
 * <p>Hand-written because no maintained Java library provides them: ICE-lite, SRTP on the JDK's own
 * crypto, RTP/RTCP views, SDP. DTLS rides on BouncyCastle bctls; sockets on Netty epoll.
 */
package eu.visio.media;
