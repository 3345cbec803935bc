/**
 * The HTTPS port: TLS material from PEM files (reloaded when renewed) or made for development
 * ({@link eu.visio.server.tls.PemKeyStore}, {@link eu.visio.server.tls.TlsContext}); the port
 * itself ({@link eu.visio.server.tls.TlsPort}), which tells a connection's protocol from its first
 * bytes ({@link eu.visio.server.tls.FirstBytes}): TLS goes on to Jetty (HTTP/2 or HTTP/1.1 by ALPN,
 * or STUN inside TLS for a {@link eu.visio.server.tls.StunStreamHandler}), RFC 4571-framed STUN is
 * ICE-TCP and goes to the media workers.
 */
package eu.visio.server.tls;
