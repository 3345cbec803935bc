package eu.visio.server.tls;

import eu.visio.media.DropCounters;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.AbstractConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;
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
 * client) → TLS → ALPN: {@code h2}, {@code http/1.1}, or, for a client naming {@code stun.turn} or
 * nothing, STUN (TURN over TLS) or HTTP/1.1 told apart by the first bytes.
 */
public final class HttpsConnector {
  /** HTTP/1.1's ALPN protocol id. */
  static final String ALPN_HTTP_1_1 = "http/1.1";

  /** TURN's ALPN protocol id (RFC 7443 §3), which TURN clients such as coturn's may offer. */
  static final String ALPN_STUN_TURN = "stun.turn";

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
    // A client naming stun.turn is a TURN client, even when it offers http/1.1 as well (coturn's
    // turnutils_uclient offers http/1.1, stun.turn, stun.nat-discovery): it goes to the STUN
    // detection, not to plain HTTP/1.1 that would answer its Allocate with 400 and a close.
    ConnectionFactory turn = new AlpnAlias(ALPN_STUN_TURN, stunOrHttp1);
    ALPNServerConnectionFactory alpn =
        new ALPNServerConnectionFactory(ALPN_STUN_TURN, h2.getProtocol(), ALPN_HTTP_1_1);
    alpn.setDefaultProtocol(stunOrHttp1.getProtocol());
    SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
    ProxyConnectionFactory proxy = new ProxyConnectionFactory(ssl.getProtocol());
    ServerConnector connector =
        new ServerConnector(server, proxy, ssl, alpn, h2, stunOrHttp1, turn, http1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setName("https");
    return connector;
  }

  /** Another ALPN id for a factory: Jetty finds a negotiated protocol's factory by its name. */
  private static final class AlpnAlias extends AbstractConnectionFactory {
    private final ConnectionFactory target;

    AlpnAlias(String protocol, ConnectionFactory target) {
      super(protocol);
      this.target = target;
    }

    @Override
    public Connection newConnection(Connector connector, EndPoint endPoint) {
      return target.newConnection(connector, endPoint);
    }
  }
}
