package eu.visio.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.JsonFormat;
import eu.visio.signal.cluster.ClusterUnavailableException;
import eu.visio.signal.cluster.Lease;
import eu.visio.signal.cluster.NodeInfo;
import eu.visio.signal.livekit.RoomServiceException;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import livekit.LivekitModels.Room;
import livekit.LivekitRoom.ListRoomsResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Room service of a cluster: a call on a room is served by the node the room lives on (its
 * lease's live holder), reached over HTTP at its advertised URL on the same Twirp path, with the
 * caller's body and token, marked {@value SignalRelay#HEADER} so that it is served there and never
 * forwarded again. The home node verifies the token and its grants itself, and its answer goes back
 * unchanged. ListRooms asks every live node; CreateRoom places the room first.
 *
 * <p>The meeting service acts on rooms through {@link #call}, under a token of its own minted for
 * the one room.
 */
public final class RoomServiceForwarder {
  private static final Logger log = LoggerFactory.getLogger(RoomServiceForwarder.class);

  /** The Room service's Twirp path prefix. */
  public static final String PATH = "/twirp/livekit.RoomService/";

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static final String PROTOBUF = "application/protobuf";

  /** A home node's answer, as it gave it. */
  public static final class Answer {
    private final int status;
    private final String contentType;
    private final byte[] body;

    Answer(int status, String contentType, byte[] body) {
      this.status = status;
      this.contentType = contentType;
      this.body = body;
    }

    public int status() {
      return status;
    }

    public String contentType() {
      return contentType;
    }

    /** The body itself, not a copy: it is passed on as it came. */
    public byte[] body() {
      return body;
    }
  }

  /** Where a call on a room is served: here, or on the node the room lives on. */
  public sealed interface Route {}

  /** Here. */
  public record Here() implements Route {}

  /** On {@code node}. */
  public record There(NodeInfo node) implements Route {}

  private final ClusterNode node;
  private final TokenIssuer issuer;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  /**
   * @param issuer mints the tokens of {@link #call} (the meeting service's), or null when only
   *     callers' requests are forwarded
   */
  public RoomServiceForwarder(ClusterNode node, TokenIssuer issuer) {
    this.node = node;
    this.issuer = issuer;
  }

  public String nodeId() {
    return node.nodeId();
  }

  /**
   * Where {@code method} on {@code room} is served. CreateRoom places a new room (the least loaded
   * node, this one among equals) and claims its lease; any other call goes to the lease's live
   * holder, and is served here when there is none (the room is nowhere: here says so).
   *
   * @throws ClusterUnavailableException Redis cannot be reached (or, for CreateRoom, no node takes
   *     rooms)
   */
  public Route route(String method, String room) {
    if ("CreateRoom".equals(method)) {
      return switch (node.home(room)) {
        case ClusterNode.Local l -> new Here();
        case ClusterNode.Remote r -> new There(r.node());
      };
    }
    Optional<Lease> owner = node.cluster().leases().owner(room);
    if (owner.isEmpty() || owner.get().nodeId().equals(node.nodeId())) {
      return new Here();
    }
    Optional<NodeInfo> home = node.cluster().registry().node(owner.get().nodeId());
    return home.<Route>map(There::new).orElseGet(Here::new);
  }

  /**
   * A room created here at another node's request: the lease that node claimed for this one is kept
   * from now (renewed while the room lives here). Best effort: Redis unreachable, the lease lapses
   * unless a join comes.
   */
  public void hold(String room) {
    try {
      node.home(room);
    } catch (ClusterUnavailableException e) {
      log.info("cluster: room {} created without its lease: {}", room, e.getMessage());
    }
  }

  /**
   * Sends a caller's call to {@code home} as it came ({@code authorization} and body), marked as
   * forwarded; returns the answer unchanged.
   *
   * @throws RoomServiceException ({@code unavailable}, 503) the home node cannot be reached
   */
  public Answer forward(
      NodeInfo home, String method, String authorization, String contentType, byte[] body)
      throws RoomServiceException {
    return forward(home, method, authorization, contentType, body, SignalRelay.HEADER);
  }

  private Answer forward(
      NodeInfo home,
      String method,
      String authorization,
      String contentType,
      byte[] body,
      String mark)
      throws RoomServiceException {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(target(home, method))
            .timeout(TIMEOUT)
            .header(SignalRelay.HEADER, node.nodeId())
            .header(mark, node.nodeId())
            .header("Content-Type", contentType == null ? "application/json" : contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Answer(
          r.statusCode(),
          r.headers().firstValue("Content-Type").orElse("application/json"),
          r.body());
    } catch (IOException e) {
      throw new RoomServiceException(
          "unavailable",
          503,
          "the room's node " + home.id() + " cannot be reached: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RoomServiceException("unavailable", 503, "interrupted");
    }
  }

  /** Marks a call forwarded to the node serving the participant it acts on: served there. */
  public static final String PARTICIPANT_HEADER = "X-Visio-Participant-Relay";

  /**
   * Sends a caller's call to {@code nodeId}, which serves the participant it acts on in a cascaded
   * room, marked so that it is served there whatever that node knows; the answer comes back
   * unchanged.
   *
   * @throws RoomServiceException ({@code unavailable}, 503) that node is not live or cannot be
   *     reached
   */
  public Answer forwardToParticipant(
      String nodeId, String method, String authorization, String contentType, byte[] body)
      throws RoomServiceException {
    NodeInfo n =
        node.cluster()
            .registry()
            .node(nodeId)
            .orElseThrow(
                () ->
                    new RoomServiceException(
                        "unavailable", 503, "the participant's node " + nodeId + " is gone"));
    return forward(n, method, authorization, contentType, body, PARTICIPANT_HEADER);
  }

  /**
   * ListRooms over the cluster: {@code here} (this node's answer, already checked against the
   * caller's grants) and every other live node's answer to the same call; a room reported by more
   * than one node (a room that moved, its old home not yet emptied) is its lease holder's view. A
   * node that does not answer is left out (its rooms vanish with its registration within the node
   * TTL).
   */
  public ListRoomsResponse listRooms(
      ListRoomsResponse here, String authorization, String contentType, byte[] body, boolean json)
      throws RoomServiceException {
    Map<String, List<Reported>> byName = new LinkedHashMap<>();
    here.getRoomsList().forEach(r -> add(byName, node.nodeId(), r));
    for (NodeInfo other : node.cluster().registry().liveNodes()) {
      if (other.id().equals(node.nodeId())) {
        continue;
      }
      Answer a = forward(other, "ListRooms", authorization, contentType, body);
      if (a.status() != 200) {
        log.info("cluster: node {} answered ListRooms with {}", other.id(), a.status());
        continue;
      }
      try {
        ListRoomsResponse.Builder rb = ListRoomsResponse.newBuilder();
        if (json) {
          JsonFormat.parser()
              .ignoringUnknownFields()
              .merge(new String(a.body(), StandardCharsets.UTF_8), rb);
        } else {
          rb.mergeFrom(a.body());
        }
        rb.getRoomsList().forEach(r -> add(byName, other.id(), r));
      } catch (InvalidProtocolBufferException e) {
        log.info("cluster: node {} answered ListRooms unreadably", other.id());
      }
    }
    ListRoomsResponse.Builder merged = ListRoomsResponse.newBuilder();
    for (Map.Entry<String, List<Reported>> e : byName.entrySet()) {
      List<Reported> seen = e.getValue();
      Reported chosen = seen.getFirst();
      if (seen.size() > 1) {
        Optional<String> owner = node.cluster().leases().owner(e.getKey()).map(Lease::nodeId);
        chosen =
            seen.stream()
                .filter(r -> owner.isPresent() && r.nodeId().equals(owner.get()))
                .findFirst()
                .orElse(chosen);
      }
      merged.addRooms(chosen.room());
    }
    return merged.build();
  }

  private record Reported(String nodeId, Room room) {}

  private static void add(Map<String, List<Reported>> byName, String nodeId, Room room) {
    byName.computeIfAbsent(room.getName(), n -> new ArrayList<>(1)).add(new Reported(nodeId, room));
  }

  /**
   * Calls {@code method} on {@code home} for {@code room} under a token of this service's own
   * (administration of that room, creating, deleting and listing rooms), in protobuf.
   *
   * @throws RoomServiceException the home node refused, or cannot be reached
   */
  public <T extends Message> T call(
      NodeInfo home, String method, String room, Message request, Parser<T> response)
      throws RoomServiceException {
    if (issuer == null) {
      throw new IllegalStateException("no token issuer: callers' requests only");
    }
    VideoGrant grant =
        new VideoGrant(
            true, true, false, true, false, room, null, null, null, null, null, false, false, false,
            false, null, null);
    String token =
        issuer.issue(
            "visio-node-" + node.nodeId(), null, null, Map.of(), grant, Duration.ofMinutes(1));
    Answer a = forward(home, method, "Bearer " + token, PROTOBUF, request.toByteArray());
    if (a.status() == 200) {
      try {
        return response.parseFrom(a.body());
      } catch (InvalidProtocolBufferException e) {
        throw new RoomServiceException("internal", 502, "the room's node answered unreadably");
      }
    }
    throw error(a);
  }

  /** A Twirp error answer ({@code {"code": ..., "msg": ...}}) as the exception it reports. */
  static RoomServiceException error(Answer a) {
    String text = new String(a.body(), StandardCharsets.UTF_8);
    try {
      com.google.protobuf.Struct.Builder s = com.google.protobuf.Struct.newBuilder();
      JsonFormat.parser().ignoringUnknownFields().merge(text, s);
      return new RoomServiceException(
          s.getFieldsOrDefault("code", com.google.protobuf.Value.getDefaultInstance())
              .getStringValue(),
          a.status(),
          s.getFieldsOrDefault("msg", com.google.protobuf.Value.getDefaultInstance())
              .getStringValue());
    } catch (InvalidProtocolBufferException e) {
      return new RoomServiceException("internal", a.status(), "the room's node answered " + text);
    }
  }

  private static URI target(NodeInfo home, String method) {
    String base = home.httpUrl().toString();
    return URI.create(
        (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH + method);
  }
}
