package eu.visio.server;

import eu.visio.signal.livekit.SignalCodec;
import eu.visio.signal.whip.WhipService;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/** The HTTP side (Javalin on Jetty): WHIP/WHEP, health, and the static web pages. */
final class HttpServer {
  /**
   * Strict CSP: nothing but this origin, no inline script, no framing. The one widening is
   * 'wasm-unsafe-eval': the web app's background effects (MediaPipe selfie segmentation) and noise
   * suppression (RNNoise, in an AudioWorklet) are WebAssembly, which browsers compile only with it.
   * It allows compiling wasm, not eval() or new Function() of JavaScript, and the wasm files
   * themselves still come only from this origin (connect-src and script-src 'self'). Workers and
   * worklets are scripts of this origin too: default-src 'self' covers them, no blob: needed.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
          + "img-src 'self' data:; "
          + "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** Sent with every response, including Jetty's own errors. */
  static final Map<String, String> SECURITY_HEADERS =
      Map.of(
          "Content-Security-Policy", CONTENT_SECURITY_POLICY,
          "X-Content-Type-Options", "nosniff",
          "Referrer-Policy", "no-referrer",
          "Cross-Origin-Opener-Policy", "same-origin");

  /** SDP offers are a few KiB; anything near this is abuse. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private HttpServer() {}

  static Javalin create(
      ServerConfig config,
      WhipService whip,
      eu.visio.signal.livekit.LiveKitRooms rooms,
      Metrics metrics,
      eu.visio.server.api.MeetApi meet,
      java.util.function.BooleanSupplier ready,
      eu.visio.server.cluster.ClusterNode cluster,
      Drain drain) {
    WhipRoutes whipRoutes = new WhipRoutes(whip, config.whipToken(), MAX_REQUEST_BYTES);
    eu.visio.signal.token.TokenVerifier verifier =
        new eu.visio.signal.token.TokenVerifier(config.apiKeys());
    RtcValidateRoutes rtcValidate = new RtcValidateRoutes(verifier);
    RtcRoutes rtc = new RtcRoutes(verifier, rooms, cluster, drain::draining);
    drain.attach(rtc);
    AdminRoutes admin = new AdminRoutes(verifier, drain);
    RoomServiceRoutes roomService =
        new RoomServiceRoutes(
            verifier,
            new eu.visio.signal.livekit.RoomService(rooms),
            cluster == null
                ? null
                : new eu.visio.server.cluster.RoomServiceForwarder(cluster, null));
    return Javalin.create(
        cfg -> {
          cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
          cfg.startup.showJavalinBanner = false;
          // Jetty caches header fields per connection and by default matches them ignoring
          // case: a request whose "Authorization: Bearer ..." differs from an earlier one on the
          // same connection only in letter case was handed the earlier value, so the bearer
          // token check saw the wrong token (through a pooling proxy, another client's).
          cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
          cfg.jetty.modifyServer(server -> server.setErrorHandler(new PlainErrorHandler()));
          // Signalling: an offer for a large meeting has hundreds of m-lines; beyond the codec's
          // cap Jetty closes the connection with 1009 (message too big).
          cfg.jetty.modifyWebSocketServletFactory(
              ws -> {
                ws.setMaxBinaryMessageSize(SignalCodec.MAX_MESSAGE_BYTES);
                ws.setMaxTextMessageSize(SignalCodec.MAX_MESSAGE_BYTES);
              });
          cfg.staticFiles.add(
              files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
              });
          // The web module's build (livekit-client bundled by Vite): same origin, no CDN.
          cfg.staticFiles.add(
              files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
              });
          cfg.routes.before(ctx -> SECURITY_HEADERS.forEach(ctx::header));
          cfg.routes.get("/healthz", ctx -> ctx.result("ok"));
          // Ready once the media port is bound and HTTP serves; not while draining or shutting
          // down.
          cfg.routes.get(
              "/readyz",
              ctx -> {
                if (ready.getAsBoolean() && !drain.draining()) {
                  ctx.result("ready");
                } else {
                  ctx.status(503).result("not ready");
                }
              });
          cfg.routes.get(
              "/metrics",
              ctx -> ctx.contentType("text/plain; version=0.0.4").result(metrics.scrape()));
          whipRoutes.register(cfg.routes);
          rtcValidate.register(cfg.routes);
          rtc.register(cfg.routes);
          roomService.register(cfg.routes);
          admin.register(cfg.routes);
          meet.register(cfg.routes);
          // Last resort for browser navigation: meeting links and unknown pages get the web app.
          AppPage.load().ifPresent(page -> page.register(cfg.routes));
        });
  }

  /**
   * Adds the HTTPS connector (loopback, behind the TLS port) to the started {@code app}, with the
   * plain connector's HTTP settings; returns where it listens. Added after start: Javalin makes its
   * own connector only when none is configured.
   */
  static java.net.InetSocketAddress startHttps(
      Javalin app,
      eu.visio.server.tls.TlsContext tls,
      eu.visio.server.tls.StunStreamHandler stun,
      eu.visio.media.DropCounters drops) {
    org.eclipse.jetty.server.Server server = app.jettyServer().server();
    org.eclipse.jetty.server.HttpConfiguration http =
        server
            .getConnectors()[0]
            .getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class)
            .getHttpConfiguration();
    org.eclipse.jetty.server.ServerConnector connector =
        eu.visio.server.tls.HttpsConnector.create(server, http, tls.factory(), stun, drops);
    server.addConnector(connector);
    try {
      if (!connector.isStarted()) {
        connector.start();
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the HTTPS connector", e);
    }
    return new java.net.InetSocketAddress("127.0.0.1", connector.getLocalPort());
  }

  /**
   * Errors Jetty raises before a request reaches Javalin (a malformed or non-UTF-8 URI, a NUL in
   * the path): a one-line text reason like every other error, with the security headers, instead of
   * Jetty's HTML page that echoes the URI back.
   */
  private static final class PlainErrorHandler extends ErrorHandler {
    @Override
    protected void generateResponse(
        Request request,
        Response response,
        int code,
        String message,
        Throwable cause,
        Callback callback) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      SECURITY_HEADERS.forEach(response.getHeaders()::put);
      if (code == HttpStatus.BAD_REQUEST_400) {
        // A request Jetty refused (a bad URI): Jetty may drop the connection after it, so say
        // so, or a keep-alive client sends its next request into a closed socket.
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.write(true, ByteBuffer.wrap(reason(code, message)), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
      fields.put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      // Jetty closes the connection after a request it could not parse: say so, or a client that
      // keeps connections alive sends its next request into a closed socket.
      fields.put(HttpHeader.CONNECTION, "close");
      return ByteBuffer.wrap(reason(status, reason));
    }

    private static byte[] reason(int code, String message) {
      String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
      reason = reason.replaceAll("[\\x00-\\x1f\\x7f]", " ");
      if (reason.length() > 200) {
        reason = reason.substring(0, 200);
      }
      return (reason + "\n").getBytes(StandardCharsets.UTF_8);
    }
  }
}
