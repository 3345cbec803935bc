package eu.visio.server;

import eu.visio.signal.livekit.JoinRequests;
import eu.visio.signal.livekit.LiveKitRooms;
import eu.visio.signal.livekit.SignalCodec;
import eu.visio.signal.livekit.SignalException;
import eu.visio.signal.livekit.SignalSession;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenException;
import eu.visio.signal.token.TokenVerifier;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.SignalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * LiveKit's signalling WebSockets, {@code /rtc/v1} (join request in the query) and {@code /rtc}
 * (the older query parameters). A connection whose token or join request is refused is closed with
 * a policy-violation status and the reason; clients then fetch {@code /rtc/validate} to show it.
 * Replies use the client's framing: binary protobuf, or JSON if it spoke JSON.
 */
final class RtcRoutes {
  private static final Logger log = LoggerFactory.getLogger(RtcRoutes.class);

  /** RFC 6455 §7.4.1: policy violation. */
  private static final int POLICY_VIOLATION = 1008;

  private final TokenVerifier verifier;
  private final LiveKitRooms rooms;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();

  RtcRoutes(TokenVerifier verifier, LiveKitRooms rooms) {
    this.verifier = verifier;
    this.rooms = rooms;
  }

  void register(RoutesConfig routes) {
    for (String path : new String[] {"/rtc", "/rtc/v1"}) {
      boolean v1 = path.endsWith("v1");
      routes.ws(
          path,
          ws -> {
            ws.onConnect(ctx -> connect(ctx, v1));
            ws.onBinaryMessage(ctx -> message(ctx.sessionId(), ctx.data(), null));
            ws.onMessage(ctx -> message(ctx.sessionId(), null, ctx.message()));
            ws.onClose(ctx -> closed(ctx.sessionId()));
            ws.onError(ctx -> closed(ctx.sessionId()));
          });
    }
  }

  /** One WebSocket's session and framing. */
  private static final class Connection implements SignalSession.Sink {
    final WsContext ctx;
    volatile boolean json;
    SignalSession session;

    Connection(WsContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void send(SignalResponse response) {
      if (json) {
        ctx.send(SignalCodec.encodeJson(response));
      } else {
        ctx.send(ByteBuffer.wrap(SignalCodec.encodeBinary(response)));
      }
    }

    @Override
    public void close(String reason) {
      ctx.closeSession(1000, reason);
    }
  }

  private void connect(WsContext ctx, boolean v1) {
    try {
      AccessClaims claims = verifier.verify(ctx.queryParam("access_token"));
      JoinRequest join =
          v1
              ? JoinRequests.decode(ctx.queryParam("join_request"))
              : JoinRequest.getDefaultInstance();
      Connection c = new Connection(ctx);
      connections.put(ctx.sessionId(), c);
      c.session = rooms.join(claims, join, c);
      log.info(
          "room={} participant={} joined over {}",
          claims.video().room(),
          claims.identity(),
          v1 ? "/rtc/v1" : "/rtc");
    } catch (TokenException | SignalException e) {
      connections.remove(ctx.sessionId());
      ctx.closeSession(POLICY_VIOLATION, e.getMessage());
    }
  }

  private void message(String id, ByteBuffer binary, String text) {
    Connection c = connections.get(id);
    if (c == null || c.session == null) {
      return;
    }
    try {
      if (binary != null) {
        c.session.onRequest(SignalCodec.decode(binary));
      } else {
        c.json = true;
        c.session.onRequest(SignalCodec.decode(text));
      }
    } catch (SignalException e) {
      log.debug(
          "participant={} bad signal message: {}",
          c.session.participant().getSid(),
          e.getMessage());
    }
  }

  private void closed(String id) {
    Connection c = connections.remove(id);
    if (c != null && c.session != null) {
      c.session.onClosed();
    }
  }
}
