package eu.visio.server;

import eu.visio.server.cluster.ClusterNode;
import eu.visio.server.cluster.SignalRelay;
import eu.visio.signal.cluster.ClusterUnavailableException;
import eu.visio.signal.livekit.JoinRequests;
import eu.visio.signal.livekit.LiveKitRooms;
import eu.visio.signal.livekit.MessageRate;
import eu.visio.signal.livekit.SignalCodec;
import eu.visio.signal.livekit.SignalDrops;
import eu.visio.signal.livekit.SignalException;
import eu.visio.signal.livekit.SignalSession;
import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.TokenException;
import eu.visio.signal.token.TokenVerifier;
import io.javalin.config.RoutesConfig;
import io.javalin.websocket.WsContext;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
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

  /** RFC 6455 §7.4.1: the server met a condition that kept it from serving the request. */
  private static final int INTERNAL_ERROR = 1011;

  /** IANA WebSocket close code: service restart (the client may reconnect at once). */
  private static final int SERVICE_RESTART = 1012;

  /** IANA WebSocket close code: try again later (a temporary condition). */
  private static final int TRY_AGAIN_LATER = 1013;

  /** The close reason of a participant a drain sends on. */
  private static final String DRAINING = "this server is draining";

  private final TokenVerifier verifier;
  private final LiveKitRooms rooms;
  private final Map<String, Connection> connections = new ConcurrentHashMap<>();
  // Connections whose room lives on another node: relayed there, not joined here.
  private final Map<String, SignalRelay> relays = new ConcurrentHashMap<>();
  private final Clock clock = Clock.systemUTC();
  private final ClusterNode cluster;
  private final java.util.function.BooleanSupplier draining;

  /**
   * @param cluster this node's cluster, or null for a single node
   * @param draining whether this server drains (it then hosts no new participant)
   */
  RtcRoutes(
      TokenVerifier verifier,
      LiveKitRooms rooms,
      ClusterNode cluster,
      java.util.function.BooleanSupplier draining) {
    this.verifier = verifier;
    this.rooms = rooms;
    this.cluster = cluster;
    this.draining = draining;
    if (cluster != null) {
      cluster.onRoomLost(this::roomLost);
    }
  }

  void register(RoutesConfig routes) {
    for (String path : new String[] {"/rtc", "/rtc/v1"}) {
      boolean v1 = path.endsWith("v1");
      routes.ws(
          path,
          ws -> {
            ws.onConnect(ctx -> connect(ctx, v1, path));
            ws.onBinaryMessage(ctx -> message(ctx.sessionId(), ctx.data(), null));
            ws.onMessage(ctx -> message(ctx.sessionId(), null, ctx.message()));
            ws.onClose(ctx -> closed(ctx.sessionId(), ctx.status(), ctx.reason()));
            ws.onError(
                ctx -> {
                  log.debug("signalling WebSocket {} failed: {}", ctx.sessionId(), ctx.error());
                  closed(ctx.sessionId(), 1006, String.valueOf(ctx.error()));
                });
          });
    }
  }

  /** One WebSocket's session and framing. */
  private static final class Connection implements SignalSession.Sink {
    final WsContext ctx;
    final MessageRate rate = new MessageRate(System.nanoTime());
    volatile boolean json;
    volatile String room;
    // Set once joined; read by a drain's thread (volatile: see connect's second look).
    volatile SignalSession session;

    Connection(WsContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public synchronized void send(SignalResponse response) {
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

  private void connect(WsContext ctx, boolean v1, String path) {
    try {
      JoinRequest join = v1 ? JoinRequests.decode(ctx.queryParam("join_request")) : legacyJoin(ctx);
      // LiveKit checks expiry at the first connection only: a session resuming after its token
      // expired keeps going (the client holds a refreshed token for full reconnections).
      AccessClaims claims = verifier.verify(ctx.queryParam("access_token"), !join.getReconnect());
      if (cluster != null && !placedHere(ctx, claims, join, path)) {
        return; // relayed to the room's node, or refused
      }
      if (draining.getAsBoolean()) {
        if (join.getReconnect()) {
          // Its session left when it was sent on, or when the drain found its signalling gone
          // (LiveKitRooms.drain): the answer to a resume of any session not here, on which the
          // client joins again in full, through placement elsewhere.
          new Connection(ctx).send(LiveKitRooms.SESSION_GONE);
          ctx.closeSession(POLICY_VIOLATION, LiveKitRooms.NO_SESSION);
          return;
        }
        // No new participant: livekit-client retries with backoff, and finds another node (or
        // this one restarted).
        ctx.closeSession(TRY_AGAIN_LATER, "this server is draining, try again");
        return;
      }
      Connection c = new Connection(ctx);
      c.room = claims.video().room();
      connections.put(ctx.sessionId(), c);
      c.session = rooms.join(claims, join, c, v1);
      log.info(
          "room={} participant={} {} over {}",
          claims.video().room(),
          claims.identity(),
          join.getReconnect() ? "resumed" : "joined",
          v1 ? "/rtc/v1" : "/rtc");
      if (draining.getAsBoolean()) {
        // A drain that began while this join was under way passed over it (no session yet),
        // and would leave it here, in a room given up, until the drain's deadline.
        sendAway(ctx.sessionId(), c, DRAINING);
      }
    } catch (TokenException | SignalException e) {
      connections.remove(ctx.sessionId());
      ctx.closeSession(POLICY_VIOLATION, e.getMessage());
    }
  }

  /**
   * In a cluster: whether the token's room lives here (join it), else the connection is relayed to
   * the room's node or, when the cluster cannot say where the room lives, closed with the reason
   * before any JoinResponse. A session resuming in a room that lives here needs no Redis, so
   * meetings under way go on through an outage.
   */
  private boolean placedHere(WsContext ctx, AccessClaims claims, JoinRequest join, String path) {
    String room = claims.video().room();
    if (!claims.video().roomJoin() || room.isEmpty()) {
      return true; // refused by the join itself, with its reason
    }
    if (join.getReconnect() && rooms.hosts(room) && cluster.holds(room)) {
      return true; // not once the room was lost: its sessions left here must not be resumed
    }
    String label = "room=" + room + " participant=" + claims.identity();
    ClusterNode.Home home;
    try {
      home = cluster.home(room);
    } catch (ClusterUnavailableException e) {
      cluster.refused();
      log.warn("{} refused: the cluster cannot place the room: {}", label, e.getMessage());
      ctx.closeSession(
          TRY_AGAIN_LATER,
          e.reason() == ClusterUnavailableException.Reason.NO_NODE
              ? "no server takes new rooms now, try again later"
              : "the cluster is unreachable, try again later");
      return false;
    }
    if (!(home instanceof ClusterNode.Remote remote)) {
      return true;
    }
    if (cluster.servesHere(remote)) {
      log.info("{} served here, cascading with node {}", label, remote.node().id());
      return true;
    }
    if (ctx.header(SignalRelay.HEADER) != null) {
      // Relayed here, yet the room lives on a third node (its lease moved meanwhile): relaying
      // again could loop, so the client starts over.
      log.info("{} relayed here but lives on node {}: refused", label, remote.node().id());
      ctx.closeSession(TRY_AGAIN_LATER, "the room moved, try again");
      return false;
    }
    try {
      relays.put(ctx.sessionId(), cluster.relay(ctx, room, remote, path, label));
      log.info("{} relayed to node {} over {}", label, remote.node().id(), path);
      return false;
    } catch (SignalRelay.RelayFailedException e) {
      log.warn("{} not relayed: {}", label, e.getMessage());
      return failOver(ctx, room, remote, path, label, e);
    }
  }

  /**
   * The room's home could not be reached: if it is dead the room is placed again and the join goes
   * on there (here, or relayed once more), else the connection is closed with the reason. A client
   * resuming a session the dead home held is then told by the new home to join again in full.
   */
  private boolean failOver(
      WsContext ctx,
      String room,
      ClusterNode.Remote dead,
      String path,
      String label,
      SignalRelay.RelayFailedException failure) {
    Optional<ClusterNode.Home> next;
    try {
      next = cluster.replaceDeadHome(room, dead);
    } catch (ClusterUnavailableException e) {
      next = Optional.empty();
    }
    if (next.isEmpty()) {
      ctx.closeSession(INTERNAL_ERROR, failure.getMessage());
      return false;
    }
    if (!(next.get() instanceof ClusterNode.Remote remote)) {
      return true;
    }
    try {
      relays.put(ctx.sessionId(), cluster.relay(ctx, room, remote, path, label));
      log.info("{} relayed to node {} over {} (failover)", label, remote.node().id(), path);
    } catch (SignalRelay.RelayFailedException e) {
      log.warn("{} not relayed: {}", label, e.getMessage());
      ctx.closeSession(INTERNAL_ERROR, e.getMessage());
    }
    return false;
  }

  /**
   * Another node now holds {@code room}'s lease (or this node drains and gave it up): every
   * participant here is told to join again in full (LiveKit's LeaveRequest RECONNECT), which goes
   * through placement to another node, and its connection is closed. Two nodes must not both serve
   * a room.
   */
  private void roomLost(String room) {
    sendOn(c -> room.equals(c.room), "the room moved to another node");
  }

  /**
   * This server drains: every participant it hosts is told to join again in full (LiveKit's
   * LeaveRequest RECONNECT; livekit-client retries with backoff, so it comes back to another node,
   * or to this one restarted) and leaves its room now.
   *
   * @return the participants sent on
   */
  int sendEveryoneOn() {
    return sendOn(c -> true, DRAINING);
  }

  /** Every relayed session is handed off (the client resumes through another node). */
  int handOffRelays() {
    int n = 0;
    for (String id : relays.keySet()) {
      SignalRelay relay = relays.remove(id);
      if (relay != null) {
        relay.handOff();
        n++;
      }
    }
    return n;
  }

  /** Signalling sessions this node relays to other nodes now. */
  int relayedNow() {
    return relays.size();
  }

  private int sendOn(java.util.function.Predicate<Connection> which, String reason) {
    int n = 0;
    for (Map.Entry<String, Connection> e : connections.entrySet()) {
      if (which.test(e.getValue()) && sendAway(e.getKey(), e.getValue(), reason)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Tells a joined participant to join again in full, closes its connection and takes it out of its
   * room; whoever removes the connection first does it, once.
   */
  private boolean sendAway(String id, Connection c, String reason) {
    if (c.session == null || !connections.remove(id, c)) {
      return false;
    }
    if (cluster != null) {
      cluster.participantMoved();
    }
    c.send(SignalRelay.RECONNECT_LEAVE);
    c.ctx.closeSession(SERVICE_RESTART, reason);
    c.session.sentAway();
    return true;
  }

  /** {@code /rtc} carries the join request's few fields as query parameters. */
  private static JoinRequest legacyJoin(WsContext ctx) {
    JoinRequest.Builder b = JoinRequest.newBuilder();
    String auto = ctx.queryParam("auto_subscribe");
    b.getConnectionSettingsBuilder()
        .setAutoSubscribe(auto == null || !(auto.equals("0") || auto.equals("false")))
        .setAdaptiveStream("1".equals(ctx.queryParam("adaptive_stream")));
    String reconnect = ctx.queryParam("reconnect");
    if ("1".equals(reconnect) || "true".equals(reconnect)) {
      b.setReconnect(true);
      String sid = ctx.queryParam("sid");
      b.setParticipantSid(sid == null ? "" : sid);
    }
    return b.build();
  }

  private void message(String id, ByteBuffer binary, String text) {
    SignalRelay relay = relays.get(id);
    if (relay != null) {
      relay.fromClient(binary, text); // the home node checks rates and messages
      return;
    }
    Connection c = connections.get(id);
    if (c == null || c.session == null) {
      return;
    }
    if (!c.rate.allow(System.nanoTime())) {
      rooms.signalDrops().count(SignalDrops.Reason.FLOOD);
      if (c.rate.abusive()) {
        log.info("participant={} floods its signalling; closing", c.session.participant().getSid());
        c.ctx.closeSession(POLICY_VIOLATION, "too many messages");
      }
      return;
    }
    try {
      if (binary != null) {
        c.session.onRequest(SignalCodec.decode(binary), c, clock);
      } else {
        c.json = true;
        c.session.onRequest(SignalCodec.decode(text), c, clock);
      }
    } catch (SignalException e) {
      rooms.signalDrops().count(SignalDrops.Reason.MALFORMED);
      log.debug(
          "participant={} bad signal message: {}",
          c.session.participant().getSid(),
          e.getMessage());
    }
  }

  private void closed(String id, int code, String reason) {
    SignalRelay relay = relays.remove(id);
    if (relay != null) {
      relay.clientClosed();
      return;
    }
    Connection c = connections.remove(id);
    if (c != null && c.session != null) {
      // A joined participant's signalling that ended otherwise than by a client's close (1000,
      // 1001): a dropped transport (1006) or a limit is worth seeing, once per session.
      if (code != 1000 && code != 1001) {
        log.info("room={} signalling WebSocket {} closed: {} {}", c.room, id, code, reason);
      } else {
        log.debug("room={} signalling WebSocket {} closed: {}", c.room, id, code);
      }
      c.session.onClosed(c);
    }
  }
}
