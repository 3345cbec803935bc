package eu.visio.server.tls;

import eu.visio.media.DropCounters;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.DetectorConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ProxyConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty's HTTPS connector, on loopback behind the {@link TlsPort}: PROXY protocol line (the real
 * client) → TLS → ALPN: {@code h2}, {@code http/1.1}, or, for a client naming neither, STUN (TURN
 * over TLS) or HTTP/1.1 told apart by the first bytes.
 */
public final class HttpsConnector {
  /** HTTP/1.1's ALPN protocol id. */
  static final String ALPN_HTTP_1_1 = "http/1.1";

  private HttpsConnector() {}

  /** A connector on 127.0.0.1, ephemeral port, sharing {@code http}'s settings. */
  public static ServerConnector create(
      Server server,
      HttpConfiguration http,
      SslContextFactory.Server tls,
      StunStreamHandler stun,
      DropCounters drops) {
    HttpConfiguration https = new HttpConfiguration(http);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    // Reached by address as much as by name (and through the relay): the Host need not match SNI.
    secure.setSniHostCheck(false);
    secure.setSniRequired(false);
    https.addCustomizer(secure);
    HttpConnectionFactory http1 = new HttpConnectionFactory(https);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(https);
    DetectorConnectionFactory stunOrHttp1 = StunStream.orHttp(stun, drops, http1);
    // ALPN names HTTP/1.1 "http/1.1" (RFC 7301 §6), which the client's list is matched against
    // as is: http1.getProtocol() is "HTTP/1.1", and with it a client offering only http/1.1 (a
    // browser's WebSocket connection, curl --http1.1, Python's urllib3) failed the handshake with
    // no_application_protocol. The connector finds the factory by either spelling.
    ALPNServerConnectionFactory alpn =
        new ALPNServerConnectionFactory(h2.getProtocol(), ALPN_HTTP_1_1);
    alpn.setDefaultProtocol(stunOrHttp1.getProtocol());
    SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
    ProxyConnectionFactory proxy = new ProxyConnectionFactory(ssl.getProtocol());
    ServerConnector connector =
        new ServerConnector(server, proxy, ssl, alpn, h2, stunOrHttp1, http1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setName("https");
    return connector;
  }
}
