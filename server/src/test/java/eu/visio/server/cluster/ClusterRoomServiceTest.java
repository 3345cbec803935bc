package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static eu.visio.server.cluster.ClusterNodes.freePort;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import eu.visio.meet.moderation.Moderation;
import eu.visio.meet.moderation.RoomAccess;
import eu.visio.meet.room.Role;
import eu.visio.server.RtcSignalTest;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.cluster.ClusterSecret;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.Room;
import livekit.LivekitRoom.ListParticipantsResponse;
import livekit.LivekitRoom.ListRoomsResponse;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Room service of three nodes in one JVM on a real Redis: every node gives the same answers, a
 * call on a room is served by the room's home node (forwarded once, its grants checked there),
 * ListRooms lists the whole cluster, and CreateRoom places the room.
 */
@Tag("redis")
class ClusterRoomServiceTest {
  private static final ClusterSecret SECRET =
      ClusterSecret.of("cluster-room-service-test-secret-of-32-bytes");
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static RedisServer redis;
  private static final List<VisioServer> nodes = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    for (int i = 1; i <= 3; i++) {
      nodes.add(VisioServer.start(config(redis, "node" + i, freePort())));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    nodes.forEach(VisioServer::close);
    if (redis != null) {
      redis.close();
    }
  }

  static ServerConfig config(RedisServer redis, String id, int httpPort) {
    return ClusterNodes.nodeConfig(
        redis, id, httpPort, c -> c.withTimings(Duration.ofMillis(250), Duration.ofSeconds(2)));
  }

  private static VisioServer node(int n) {
    return nodes.get(n - 1);
  }

  private static int index(String nodeId) {
    return Integer.parseInt(nodeId.substring("node".length()));
  }

  static String admin(String room) {
    return ISSUER.issue(
        "ops",
        null,
        null,
        Map.of(),
        VideoGrant.join(room).withAdmin(true, null),
        Duration.ofMinutes(5));
  }

  static String creator() {
    VideoGrant g =
        new VideoGrant(
            true, true, false, false, false, null, null, null, null, null, null, false, false,
            false, false, null, null);
    return ISSUER.issue("ops", null, null, Map.of(), g, Duration.ofMinutes(5));
  }

  /** A Twirp call in JSON to {@code node}; {@code relayedFrom} marks it forwarded (or null). */
  static HttpResponse<String> call(
      VisioServer node, String method, String token, String json, String relayedFrom)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(
                URI.create(
                    "http://127.0.0.1:" + node.httpPort() + "/twirp/livekit.RoomService/" + method))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (relayedFrom != null) {
      b.header(SignalRelay.HEADER, relayedFrom);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  private static List<ParticipantInfo> participants(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ListParticipantsResponse.Builder b = ListParticipantsResponse.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getParticipantsList();
  }

  static List<Room> rooms(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    ListRoomsResponse.Builder b = ListRoomsResponse.newBuilder();
    JsonFormat.parser().ignoringUnknownFields().merge(r.body(), b);
    return b.getRoomsList();
  }

  /** Joins {@code room} through {@code node}; the home node's id. */
  private static String join(int node, String identity, String room, List<RtcSignalTest.Client> out)
      throws InterruptedException {
    RtcSignalTest.Client c =
        RtcSignalTest.connect(
            node(node).httpPort(),
            ISSUER.issue(
                identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5)));
    SignalResponse r = c.next();
    assertThat(r.getMessageCase()).as(r.toString()).isEqualTo(SignalResponse.MessageCase.JOIN);
    out.add(c);
    return r.getJoin().getServerInfo().getNodeId();
  }

  @Test
  void everyNodeGivesTheHomeNodesAnswerAndForwardsOnce() throws Exception {
    List<RtcSignalTest.Client> clients = new ArrayList<>();
    String home = join(1, "alice", "rs-room", clients);
    join(2, "bob", "rs-room", clients);
    int h = index(home);
    int other = h == 1 ? 2 : 1;
    String body = "{\"room\":\"rs-room\"}";

    List<ParticipantInfo> atHome =
        participants(call(node(h), "ListParticipants", admin("rs-room"), body, null));
    assertThat(atHome)
        .extracting(ParticipantInfo::getIdentity)
        .containsExactlyInAnyOrder("alice", "bob");
    for (int n = 1; n <= 3; n++) {
      assertThat(participants(call(node(n), "ListParticipants", admin("rs-room"), body, null)))
          .as("node%d's answer", n)
          .isEqualTo(atHome);
    }

    // Marked as forwarded, a call is served where it arrives: never forwarded again (no loops).
    assertThat(participants(call(node(other), "ListParticipants", admin("rs-room"), body, "node9")))
        .as("a forwarded call on a node the room does not live on")
        .isEmpty();

    // The grants are the home node's to check: forwarding does not lend any.
    HttpResponse<String> denied =
        call(node(other), "ListParticipants", admin("elsewhere"), body, null);
    assertThat(denied.statusCode()).isEqualTo(403);
    assertThat(denied.body()).contains("permission_denied");
    HttpResponse<String> unsigned =
        call(node(other), "ListParticipants", admin("rs-room") + "x", body, null);
    assertThat(unsigned.statusCode()).isEqualTo(401);

    // Acting through another node acts on the home node's room.
    HttpResponse<String> meta =
        call(
            node(other),
            "UpdateRoomMetadata",
            admin("rs-room"),
            "{\"room\":\"rs-room\",\"metadata\":\"agenda\"}",
            null);
    assertThat(meta.statusCode()).as(meta.body()).isEqualTo(200);
    assertThat(meta.body()).contains("agenda");
    assertThat(node(h).rooms().rooms())
        .filteredOn(r -> r.getName().equals("rs-room"))
        .extracting(Room::getMetadata)
        .containsExactly("agenda");

    HttpResponse<String> get =
        call(
            node(other),
            "GetParticipant",
            admin("rs-room"),
            "{\"room\":\"rs-room\",\"identity\":\"bob\"}",
            null);
    assertThat(get.statusCode()).as(get.body()).isEqualTo(200);
    assertThat(get.body()).contains("\"identity\": \"bob\"");

    HttpResponse<String> removed =
        call(
            node(other),
            "RemoveParticipant",
            admin("rs-room"),
            "{\"room\":\"rs-room\",\"identity\":\"bob\"}",
            null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(node(h).rooms().participants("rs-room"))
        .extracting(ParticipantInfo::getIdentity)
        .containsExactly("alice");
    // Not found is the home node's answer too, from any node.
    HttpResponse<String> again =
        call(
            node(other),
            "RemoveParticipant",
            admin("rs-room"),
            "{\"room\":\"rs-room\",\"identity\":\"bob\"}",
            null);
    assertThat(again.statusCode()).isEqualTo(404);
    assertThat(again.body()).contains("not_found");

    HttpResponse<String> deleted =
        call(node(other), "DeleteRoom", creator(), "{\"room\":\"rs-room\"}", null);
    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
    assertThat(await(() -> !node(h).rooms().hosts("rs-room")))
        .as("deleted on its home through another node")
        .isTrue();
    clients.forEach(c -> c.ws.abort());
  }

  @Test
  void listRoomsListsTheWholeClusterFromEveryNodeAndCreateRoomPlaces() throws Exception {
    List<String> created = List.of("rs-a", "rs-b", "rs-c", "rs-d");
    for (int i = 0; i < created.size(); i++) {
      String name = created.get(i);
      HttpResponse<String> r =
          call(node(1 + i % 3), "CreateRoom", creator(), "{\"name\":\"" + name + "\"}", null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(r.body()).contains("\"name\": \"" + name + "\"");
    }
    for (String name : created) {
      // Placed: exactly one node hosts it, and it holds the room's lease.
      List<Integer> hosts =
          IntStream.rangeClosed(1, 3).filter(n -> node(n).rooms().hosts(name)).boxed().toList();
      assertThat(hosts).as(name + " lives on one node").hasSize(1);
      assertThat(node(1).cluster().cluster().leases().owner(name))
          .map(l -> l.nodeId())
          .contains("node" + hosts.getFirst());
    }
    String list = "{\"names\":[\"rs-a\",\"rs-b\",\"rs-c\",\"rs-d\"]}";
    for (int n = 1; n <= 3; n++) {
      assertThat(rooms(call(node(n), "ListRooms", creator(), list, null)))
          .as("node%d lists every node's rooms, each once", n)
          .extracting(Room::getName)
          .containsExactlyInAnyOrderElementsOf(created);
    }
    // Forwarded, ListRooms is this node's alone: it does not ask the others again.
    for (int n = 1; n <= 3; n++) {
      int here = n;
      assertThat(rooms(call(node(n), "ListRooms", creator(), list, "node9")))
          .extracting(Room::getName)
          .containsExactlyInAnyOrderElementsOf(
              created.stream().filter(x -> node(here).rooms().hosts(x)).toList());
    }
    // Without the grant, CreateRoom is refused before it places anything.
    HttpResponse<String> notAllowed =
        call(node(2), "CreateRoom", admin("rs-x"), "{\"name\":\"rs-x\"}", null);
    assertThat(notAllowed.statusCode()).isEqualTo(403);
    assertThat(node(2).cluster().cluster().leases().owner("rs-x")).isEmpty();
    HttpResponse<String> noGrant = call(node(2), "ListRooms", admin("rs-a"), "{}", null);
    assertThat(noGrant.statusCode()).isEqualTo(403);
    for (String name : created) {
      assertThat(
              call(node(3), "DeleteRoom", creator(), "{\"room\":\"" + name + "\"}", null)
                  .statusCode())
          .isEqualTo(200);
    }
  }

  /** The meeting service's moderation on {@code node}, in a cluster (as VisioServer wires it). */
  private static Moderation moderationOn(int node) {
    return new Moderation(
        new ClusterRoomAccess(
            RoomAccess.local(node(node).rooms()),
            new RoomServiceForwarder(node(node).cluster(), ISSUER)));
  }

  @Test
  void theMeetingServiceModeratesAMeetingThatLivesOnAnotherNode() throws Exception {
    List<RtcSignalTest.Client> clients = new ArrayList<>();
    String home = join(3, "host", "rs-meet", clients);
    join(3, "ana", "rs-meet", clients);
    int h = index(home);
    int other = h == 1 ? 2 : 1;
    Moderation m = moderationOn(other);

    assertThat(m.occupancy("rs-meet")).isEqualTo(2);
    assertThat(m.present("rs-meet", "ana")).isTrue();
    assertThat(m.present("rs-meet", "nobody")).isFalse();
    assertThat(m.raiseHand("rs-meet", "ana", Instant.parse("2026-11-28T10:00:00Z"))).isTrue();
    assertThat(node(h).rooms().participants("rs-meet"))
        .filteredOn(p -> p.getIdentity().equals("ana"))
        .extracting(p -> p.getAttributesOrDefault(Moderation.HAND_RAISED_AT, ""))
        .as("raised on the home node's participant")
        .containsExactly("2026-11-28T10:00:00Z");
    assertThat(m.raisedHands("rs-meet"))
        .extracting(ParticipantInfo::getIdentity)
        .containsExactly("ana");
    assertThat(m.lowerAllHands("rs-meet")).isEqualTo(1);
    assertThat(
            m.assign(
                "rs-meet",
                "ana",
                Role.ADMINISTRATOR,
                true,
                ParticipantPermission.newBuilder().setCanPublish(true).build()))
        .isTrue();
    assertThat(m.role("rs-meet", "ana")).contains(Role.ADMINISTRATOR);
    assertThat(
            m.assign(
                "rs-meet",
                "nobody",
                Role.MEMBER,
                false,
                ParticipantPermission.getDefaultInstance()))
        .isFalse();
    assertThat(m.remove("rs-meet", "ana")).isTrue();
    assertThat(node(h).rooms().participants("rs-meet"))
        .extracting(ParticipantInfo::getIdentity)
        .containsExactly("host");
    assertThat(m.end("rs-meet")).isTrue();
    assertThat(await(() -> !node(h).rooms().hosts("rs-meet"))).isTrue();
    clients.forEach(c -> c.ws.abort());
  }

  @Test
  void openingAMeetingPlacesItsRoomForTheJoinsThatFollow() throws Exception {
    moderationOn(2).open("rs-opened", 7);
    String owner = node(1).cluster().cluster().leases().owner("rs-opened").orElseThrow().nodeId();
    assertThat(node(index(owner)).rooms().rooms())
        .filteredOn(r -> r.getName().equals("rs-opened"))
        .extracting(Room::getMaxParticipants)
        .containsExactly(7);
    moderationOn(1).limit("rs-opened", 9);
    List<RtcSignalTest.Client> clients = new ArrayList<>();
    assertThat(join(3, "early", "rs-opened", clients)).isEqualTo(owner);
    assertThat(node(index(owner)).rooms().rooms())
        .filteredOn(r -> r.getName().equals("rs-opened"))
        .extracting(Room::getMaxParticipants)
        .containsExactly(9);
    assertThat(moderationOn(3).end("rs-opened")).isTrue();
    clients.forEach(c -> c.ws.abort());
  }

  @Test
  void redisDownIsAClear503() throws Exception {
    try (RedisServer own = RedisServer.start();
        VisioServer solo = VisioServer.start(config(own, "solo", freePort()))) {
      own.kill();
      HttpResponse<String> r =
          call(solo, "ListParticipants", admin("any"), "{\"room\":\"any\"}", null);
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).startsWith("{\"code\":\"unavailable\",\"msg\":\"");
    }
  }
}
