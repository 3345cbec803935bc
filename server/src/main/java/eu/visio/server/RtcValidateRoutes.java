package eu.visio.server;

import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenException;
import eu.visio.signal.token.TokenVerifier;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * {@code GET /rtc/validate} and {@code /rtc/v1/validate}: LiveKit clients fetch them after a failed
 * connection to show a readable reason. A token that would be allowed to join answers 200 {@code
 * success}; otherwise 401 with the reason in one line of text (never the token).
 */
final class RtcValidateRoutes {
  private final TokenVerifier verifier;

  RtcValidateRoutes(TokenVerifier verifier) {
    this.verifier = verifier;
  }

  void register(RoutesConfig routes) {
    routes.get("/rtc/validate", this::validate);
    routes.get("/rtc/v1/validate", this::validate);
  }

  private void validate(Context ctx) {
    ctx.contentType("text/plain; charset=utf-8");
    String token = ctx.queryParam("access_token");
    String auth = ctx.header("Authorization");
    if ((token == null || token.isEmpty()) && auth != null && auth.startsWith("Bearer ")) {
      token = auth.substring("Bearer ".length()).trim();
    }
    try {
      AccessClaims claims = verifier.verify(token);
      if (!claims.video().roomJoin() || claims.video().room().isEmpty()) {
        ctx.status(401).result("the token does not grant joining a room");
        return;
      }
      if (claims.identity().isEmpty()) {
        ctx.status(401).result("the token has no identity");
        return;
      }
      ctx.status(200).result("success");
    } catch (TokenException e) {
      ctx.status(401).result(e.getMessage());
    }
  }
}
