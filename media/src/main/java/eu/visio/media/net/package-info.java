/**
 * Sockets for media: the single shared UDP port (Netty native epoll with batched receive and send,
 * NIO fallback) and routing of datagrams to peers by remote address or ICE ufrag.
 */
package eu.visio.media.net;
