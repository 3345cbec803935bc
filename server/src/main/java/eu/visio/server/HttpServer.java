package eu.visio.server;

import eu.visio.media.DropCounters;
import eu.visio.signal.whip.WhipService;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;

/** The HTTP side (Javalin on Jetty): WHIP/WHEP, health, and the static web pages. */
final class HttpServer {
  /** Strict CSP: nothing but this origin, no inline script, no framing. */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "media-src 'self' blob: mediastream:; connect-src 'self'; object-src 'none'; "
          + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  /** SDP offers are a few KiB; anything near this is abuse. */
  static final int MAX_REQUEST_BYTES = 64 * 1024;

  private HttpServer() {}

  static Javalin create(ServerConfig config, WhipService whip, DropCounters drops) {
    WhipRoutes whipRoutes = new WhipRoutes(whip, config.whipToken(), MAX_REQUEST_BYTES);
    return Javalin.create(
        cfg -> {
          cfg.http.maxRequestSize = MAX_REQUEST_BYTES;
          cfg.startup.showJavalinBanner = false;
          // Jetty caches header fields per connection and by default matches them ignoring
          // case: a request whose "Authorization: Bearer ..." differs from an earlier one on the
          // same connection only in letter case was handed the earlier value, so the bearer
          // token check saw the wrong token (through a pooling proxy, another client's).
          cfg.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
          cfg.staticFiles.add(
              files -> {
                files.hostedPath = "/";
                files.directory = "/public";
                files.location = Location.CLASSPATH;
              });
          cfg.routes.before(
              ctx -> {
                ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
                ctx.header("Cross-Origin-Opener-Policy", "same-origin");
              });
          cfg.routes.get("/healthz", ctx -> ctx.result("ok"));
          whipRoutes.register(cfg.routes);
        });
  }
}
