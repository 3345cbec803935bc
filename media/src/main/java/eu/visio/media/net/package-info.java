/**
 * Sockets for media: the single shared UDP port (Netty native epoll with batched receive and send,
 * one {@code SO_REUSEPORT} socket per media worker; NIO fallback), routing of datagrams to peers by
 * remote address or ICE ufrag, and the lock-free hand-off of a datagram from the worker that
 * received it to the worker that owns its peer.
 */
package eu.visio.media.net;
