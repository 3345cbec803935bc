package eu.visio.server;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import eu.visio.server.cluster.RoomServiceForwarder;
import eu.visio.server.cluster.SignalRelay;
import eu.visio.signal.cluster.ClusterUnavailableException;
import eu.visio.signal.livekit.RoomService;
import eu.visio.signal.livekit.RoomServiceException;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenException;
import eu.visio.signal.token.TokenVerifier;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import livekit.LivekitRoom.ListRoomsResponse;

/**
 * The Room service over Twirp: {@code POST /twirp/livekit.RoomService/<Method>} with a bearer
 * token, a protobuf or JSON body, answered in the same encoding; errors as Twirp's JSON ({@code
 * {"code": ..., "msg": ...}}).
 *
 * <p>In a cluster every node gives the same answers: a call on a room that lives on another node is
 * served there ({@link RoomServiceForwarder}: the token is checked here, then again with its grants
 * there), ListRooms lists every node's rooms, and CreateRoom places the room. A call forwarded by
 * another node is served here, never forwarded again. Redis unreachable: 503, {@code unavailable}.
 */
final class RoomServiceRoutes {
  private static final String PROTOBUF = "application/protobuf";

  private final TokenVerifier verifier;
  private final RoomService service;
  private final RoomServiceForwarder cluster;

  /**
   * @param cluster forwards calls to the nodes their rooms live on, or null for a single node
   */
  RoomServiceRoutes(TokenVerifier verifier, RoomService service, RoomServiceForwarder cluster) {
    this.verifier = verifier;
    this.service = service;
    this.cluster = cluster;
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
      String method = ctx.pathParam("method");
      byte[] body = ctx.bodyAsBytes();
      byte[] out;
      String elsewhere =
          cluster == null || ctx.header(RoomServiceForwarder.PARTICIPANT_HEADER) != null
              ? null
              : service.servedElsewhere(method, body, json);
      if (elsewhere != null) {
        // A participant of a cascaded room served by another node: acted on there.
        RoomServiceForwarder.Answer a =
            cluster.forwardToParticipant(elsewhere, method, auth, type, body);
        ctx.status(a.status()).contentType(a.contentType()).result(a.body());
        return;
      }
      if (cluster == null) {
        out = service.call(method, claims, body, json);
      } else if (ctx.header(SignalRelay.HEADER) != null) {
        // Forwarded by another node to this one, the room's home: served here whatever Redis says
        // now, so that a call is forwarded once at most.
        if ("CreateRoom".equals(method)) {
          // Held first: the room's webhooks (room_started) come from the lease's holder.
          String room = RoomService.room(method, body, json);
          if (room != null && !room.isEmpty() && claims.video().roomCreate()) {
            cluster.hold(room);
          }
        }
        out = service.call(method, claims, body, json);
      } else if ("ListRooms".equals(method)) {
        byte[] here = service.call(method, claims, body, json); // the grant is checked here
        ListRoomsResponse mine = parseRooms(here, json);
        out = RoomService.encode(cluster.listRooms(mine, auth, type, body, json), json);
      } else {
        String room = RoomService.room(method, body, json);
        // A CreateRoom the caller may not make, or for a name it refuses, is refused here: it must
        // not place a room (and claim a lease) first.
        boolean refusedHere =
            "CreateRoom".equals(method)
                && room != null
                && (!claims.video().roomCreate() || room.length() > 256);
        if (room != null
            && !room.isEmpty()
            && !refusedHere
            && cluster.route(method, room) instanceof RoomServiceForwarder.There there) {
          RoomServiceForwarder.Answer a = cluster.forward(there.node(), method, auth, type, body);
          ctx.status(a.status()).contentType(a.contentType()).result(a.body());
          return;
        }
        out = service.call(method, claims, body, json);
      }
      ctx.contentType(json ? "application/json" : PROTOBUF).result(out);
    } catch (ClusterUnavailableException e) {
      fail(ctx, new RoomServiceException("unavailable", 503, e.getMessage()));
    } catch (RoomServiceException e) {
      fail(ctx, e);
    }
  }

  private static ListRoomsResponse parseRooms(byte[] body, boolean json) {
    try {
      ListRoomsResponse.Builder b = ListRoomsResponse.newBuilder();
      if (json) {
        JsonFormat.parser()
            .ignoringUnknownFields()
            .merge(new String(body, java.nio.charset.StandardCharsets.UTF_8), b);
      } else {
        b.mergeFrom(body);
      }
      return b.build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("our own ListRooms answer does not parse", e);
    }
  }

  private static void fail(Context ctx, RoomServiceException e) {
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
