package eu.visio.server;

import eu.visio.signal.livekit.RoomService;
import eu.visio.signal.livekit.RoomServiceException;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenException;
import eu.visio.signal.token.TokenVerifier;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

/**
 * The Room service over Twirp: {@code POST /twirp/livekit.RoomService/<Method>} with a bearer
 * token, a protobuf or JSON body, answered in the same encoding; errors as Twirp's JSON ({@code
 * {"code": ..., "msg": ...}}).
 */
final class RoomServiceRoutes {
  private static final String PROTOBUF = "application/protobuf";

  private final TokenVerifier verifier;
  private final RoomService service;

  RoomServiceRoutes(TokenVerifier verifier, RoomService service) {
    this.verifier = verifier;
    this.service = service;
  }

  void register(RoutesConfig routes) {
    routes.post("/twirp/livekit.RoomService/{method}", this::call);
  }

  private void call(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType();
    boolean json = !type.startsWith(PROTOBUF);
    try {
      String auth = ctx.header("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        throw new RoomServiceException("unauthenticated", 401, "no access token");
      }
      AccessClaims claims;
      try {
        claims = verifier.verify(auth.substring("Bearer ".length()).trim());
      } catch (TokenException e) {
        throw new RoomServiceException("unauthenticated", 401, e.getMessage());
      }
      byte[] out = service.call(ctx.pathParam("method"), claims, ctx.bodyAsBytes(), json);
      ctx.contentType(json ? "application/json" : PROTOBUF).result(out);
    } catch (RoomServiceException e) {
      ctx.status(e.status())
          .contentType("application/json")
          .result(
              "{\"code\":\""
                  + e.code()
                  + "\",\"msg\":\""
                  + e.getMessage().replace("\\", "\\\\").replace("\"", "\\\"")
                  + "\"}");
    }
  }
}
