package eu.visio.server;

import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenException;
import eu.visio.signal.token.TokenVerifier;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Duration;

/**
 * Operations on this server: {@code POST /admin/drain} starts draining it ({@link Drain}; {@code
 * ?timeout_s=} bounds the wait for participants, 1 to 3600, default 30) and answers 202 with its
 * status, or with {@code ?wait=true} 200 once the drain is done (a preStop hook waits on it, {@code
 * visio --drain}); {@code GET /admin/drain} reports it. Both need a LiveKit access token, as a
 * bearer, signed with one of the server's API keys and granting {@code roomAdmin} and {@code
 * roomList} for no particular room: the grants of a server-wide administrator in LiveKit's Room
 * service. No such token: 401; a token for one room or without the grants: 403.
 */
final class AdminRoutes {
  private final TokenVerifier verifier;
  private final Drain drain;

  AdminRoutes(TokenVerifier verifier, Drain drain) {
    this.verifier = verifier;
    this.drain = drain;
  }

  void register(RoutesConfig routes) {
    routes.post("/admin/drain", this::startDrain);
    routes.get("/admin/drain", this::drainStatus);
  }

  private void startDrain(Context ctx) {
    if (!authorised(ctx)) {
      return;
    }
    Duration timeout = Drain.DEFAULT_TIMEOUT;
    String t = ctx.queryParam("timeout_s");
    if (t != null) {
      int s;
      try {
        s = Integer.parseInt(t);
      } catch (NumberFormatException e) {
        s = -1;
      }
      if (s < 1 || s > 3600) {
        ctx.status(400).result("timeout_s: whole seconds from 1 to 3600");
        return;
      }
      timeout = Duration.ofSeconds(s);
    }
    var done = drain.start(timeout);
    if ("true".equals(ctx.queryParam("wait"))) {
      // Answered once drained (or at the deadline): a preStop hook waits on it.
      ctx.future(
          () ->
              done.thenRun(
                  () ->
                      ctx.status(200)
                          .contentType("application/json")
                          .result(json(drain.status()))));
      return;
    }
    ctx.status(202).contentType("application/json").result(json(drain.status()));
  }

  private void drainStatus(Context ctx) {
    if (authorised(ctx)) {
      ctx.contentType("application/json").result(json(drain.status()));
    }
  }

  static String json(Drain.Status s) {
    return "{\"draining\":%s,\"done\":%s,\"participants\":%d,\"relayed\":%d}"
        .formatted(s.draining(), s.done(), s.participants(), s.relayed());
  }

  private boolean authorised(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth == null || !auth.startsWith("Bearer ")) {
      ctx.status(401).result("no access token");
      return false;
    }
    AccessClaims claims;
    try {
      claims = verifier.verify(auth.substring("Bearer ".length()).trim());
    } catch (TokenException e) {
      ctx.status(401).result(e.getMessage());
      return false;
    }
    var video = claims.video();
    if (!video.roomAdmin()
        || !video.roomList()
        || (video.room() != null && !video.room().isEmpty())) {
      ctx.status(403).result("needs roomAdmin and roomList for no particular room");
      return false;
    }
    return true;
  }
}
