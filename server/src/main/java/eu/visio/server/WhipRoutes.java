package eu.visio.server;

import eu.visio.signal.whip.SessionKind;
import eu.visio.signal.whip.WhipException;
import eu.visio.signal.whip.WhipResource;
import eu.visio.signal.whip.WhipService;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
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

  private final WhipService whip;
  private final Optional<byte[]> token;

  WhipRoutes(WhipService whip, Optional<String> token) {
    this.whip = whip;
    this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
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
                        whip.patch(kind, ctx.pathParam("stream"), ctx.pathParam("id"), ctx.body());
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

  private void create(Context ctx, SessionKind kind) throws WhipException {
    authorize(ctx);
    requireContentType(ctx, SDP);
    String offer = ctx.body();
    if (offer.isBlank()) {
      throw WhipException.badRequest("empty SDP offer");
    }
    String stream = ctx.pathParam("stream");
    WhipResource r =
        kind == SessionKind.WHIP ? whip.publish(stream, offer) : whip.play(stream, offer);
    ctx.status(201);
    ctx.header("Location", r.location());
    ctx.header("ETag", "\"" + r.id() + "\"");
    ctx.contentType(SDP);
    ctx.result(r.answerSdp());
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
