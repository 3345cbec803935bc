package eu.visio.server;

import eu.visio.signal.whip.SessionKind;
import eu.visio.signal.whip.WhipException;
import eu.visio.signal.whip.WhipResource;
import eu.visio.signal.whip.WhipService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP binding of WHIP (RFC 9725) and WHEP: {@code POST /whip/{stream}} and {@code POST
 * /whep/{stream}} create a session (201 with the answer and a {@code Location}), {@code DELETE} on
 * the location ends it, {@code PATCH} takes trickle-ICE fragments. Every failure is a status with a
 * one-line text reason.
 */
final class WhipRoutes {
  private static final String SDP = "application/sdp";
  private static final String TRICKLE = "application/trickle-ice-sdpfrag";

  /** How much of an oversized body is read and dropped so its sender gets the 413. */
  private static final long MAX_DISCARDED_BYTES = 1 << 20;

  private final WhipService whip;
  private final Optional<byte[]> token;
  private final int maxBodyBytes;

  WhipRoutes(WhipService whip, Optional<String> token, int maxBodyBytes) {
    this.whip = whip;
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
    this.maxBodyBytes = maxBodyBytes;
  }

  void register(RoutesConfig routes) {
    for (SessionKind kind : SessionKind.values()) {
      String base = "/" + kind.name().toLowerCase(Locale.ROOT) + "/{stream}";
      routes.post(base, ctx -> handle(ctx, () -> create(ctx, kind)));
      routes.options(base, WhipRoutes::preflight);
      routes.options(base + "/{id}", WhipRoutes::preflight);
      routes.delete(
          base + "/{id}",
          ctx ->
              handle(
                  ctx,
                  () -> {
                    authorize(ctx);
                    whip.delete(kind, ctx.pathParam("stream"), ctx.pathParam("id"));
                    ctx.status(200);
                  }));
      routes.patch(
          base + "/{id}",
          ctx ->
              handle(
                  ctx,
                  () -> {
                    authorize(ctx);
                    requireContentType(ctx, TRICKLE);
                    Optional<String> restart =
                        whip.patch(
                            kind,
                            ctx.pathParam("stream"),
                            ctx.pathParam("id"),
                            body(ctx),
                            "*".equals(ctx.header("If-Match")));
                    if (restart.isPresent()) {
                      ctx.status(200);
                      ctx.contentType(TRICKLE);
                      ctx.result(restart.get());
                    } else {
                      ctx.status(204);
                    }
                  }));
    }
  }

  /** Largest video width or height a viewer may ask for (8K). */
  private static final int MAX_DIMENSION = 7680;

  private void create(Context ctx, SessionKind kind) throws WhipException {
    authorize(ctx);
    requireContentType(ctx, SDP);
    String offer = body(ctx);
    if (offer.isBlank()) {
      throw WhipException.badRequest("empty SDP offer");
    }
    String stream = ctx.pathParam("stream");
    WhipResource r =
        kind == SessionKind.WHIP
            ? whip.publish(stream, offer)
            : whip.play(stream, offer, dimension(ctx, "width"), dimension(ctx, "height"));
    ctx.status(201);
    ctx.header("Location", r.location());
    ctx.header("ETag", "\"" + r.id() + "\"");
    ctx.contentType(SDP);
    ctx.result(r.answerSdp());
  }

  /**
   * A WHEP viewer's preferred video size ({@code ?width=W&height=H}), which selects the simulcast
   * encoding it receives; 0 when absent.
   */
  private static int dimension(Context ctx, String name) throws WhipException {
    String v = ctx.queryParam(name);
    if (v == null || v.isEmpty()) {
      return 0;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 0 && n <= MAX_DIMENSION) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw WhipException.badRequest(name + " must be a number of pixels from 0 to " + MAX_DIMENSION);
  }

  /**
   * The request body, at most {@code maxBodyBytes}. Read here rather than with {@code ctx.body()}
   * so an oversized offer gets the same one-line 413 as every other failure, and no WARN line per
   * request (Javalin logs one), which a client could otherwise use to flood the log.
   */
  private String body(Context ctx) throws WhipException {
    HttpServletRequest req = ctx.req();
    if ("100-continue".equalsIgnoreCase(req.getHeader("Expect"))
        && req.getContentLengthLong() > maxBodyBytes) {
      throw tooLarge(); // the client holds its body back until we read: refuse it unsent
    }
    try (InputStream in = req.getInputStream()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        // A client still writing would see a reset, not our 413, if the connection closed with
        // its body unread: take in (and drop) a bounded amount more first.
        discard(in, MAX_DISCARDED_BYTES);
        throw tooLarge();
      }
      return new String(body, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw WhipException.badRequest("could not read the request body");
    }
  }

  private static void discard(InputStream in, long max) throws IOException {
    byte[] sink = new byte[8192];
    long left = max;
    int n;
    while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
      left -= n;
    }
  }

  private WhipException tooLarge() {
    return new WhipException(413, "request bodies are limited to " + maxBodyBytes + " bytes");
  }

  private void authorize(Context ctx) throws WhipException {
    if (token.isEmpty()) {
      return;
    }
    String header = ctx.header("Authorization");
    byte[] presented =
        header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
            ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8)
            : new byte[0];
    if (!MessageDigest.isEqual(presented, token.get())) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new WhipException(401, "a valid bearer token is required");
    }
  }

  private static void requireContentType(Context ctx, String expected) throws WhipException {
    String type = ctx.contentType();
    String base = type == null ? "" : type.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!base.equals(expected)) {
      throw new WhipException(415, "Content-Type must be " + expected);
    }
  }

  private static void preflight(Context ctx) {
    cors(ctx);
    ctx.header("Accept-Post", SDP);
    ctx.status(204);
  }

  /** WHIP clients may run on other origins (RFC 9725 §4.8): allow them, without credentials. */
  private static void cors(Context ctx) {
    ctx.header("Access-Control-Allow-Origin", "*");
    ctx.header("Access-Control-Allow-Methods", "POST, PATCH, DELETE, OPTIONS");
    ctx.header("Access-Control-Allow-Headers", "Authorization, Content-Type, If-Match");
    ctx.header("Access-Control-Expose-Headers", "Location, ETag, Link, Accept-Post");
  }

  private interface Action {
    void run() throws WhipException;
  }

  private static void handle(Context ctx, Action action) {
    cors(ctx);
    try {
      action.run();
    } catch (WhipException e) {
      ctx.status(e.status());
      ctx.contentType("text/plain; charset=utf-8");
      ctx.result(e.getMessage() + "\n");
    }
  }
}
