package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.server.WebhookInbox;
import eu.visio.signal.cluster.RedisServer;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cascading's signalling (issue 10) between two nodes in regions of their own, in this JVM on a
 * real Redis: a participant is served by the node it connects to, yet sees the participants served
 * by the other node come, change and go as if they were local. Media across the link: {@code
 * ClusterCascadeBrowserTest}.
 */
@Tag("redis")
class ClusterCascadeTest {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);
  private static ClusterNodes cluster;
  private static WebhookInbox inbox;
  private static RedisClient redisClient;
  private static StatefulRedisConnection<String, String> redis;

  @BeforeAll
  static void start() throws Exception {
    inbox = new WebhookInbox();
    cluster =
        ClusterNodes.start(
            2,
            c -> c.withNode(c.nodeId(), "region-" + c.nodeId()),
            s ->
                s.withWebhook(new ServerConfig.Webhook(TestServers.API_KEY, List.of(inbox.url()))));
    redisClient =
        RedisClient.create(
            RedisURI.builder()
                .withHost("127.0.0.1")
                .withPort(cluster.redis().port())
                .withPassword(RedisServer.PASSWORD.toCharArray())
                .build());
    redis = redisClient.connect();
  }

  @AfterAll
  static void stop() throws Exception {
    if (redisClient != null) {
      redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (cluster != null) {
      cluster.close();
    }
    if (inbox != null) {
      inbox.close();
    }
  }

  /** How many connections Redis has subscribed to {@code room}'s bus channel. */
  private static long roomSubscribers(String room) {
    String channel = "visio:bus:room:" + room; // the layout of eu.visio.signal.cluster
    return redis.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
  }

  private static RtcSignalTest.Client join(int node, String identity, String room) {
    return join(cluster, node, identity, room);
  }

  /**
   * {@code identity} joins {@code room} through node {@code node} of {@code nodes}, allowed to set
   * its own metadata.
   */
  static RtcSignalTest.Client join(ClusterNodes nodes, int node, String identity, String room) {
    String token =
        ISSUER.issue(
            identity,
            identity,
            null,
            Map.of(),
            VideoGrant.join(room).withAdmin(false, true),
            Duration.ofMinutes(5));
    return RtcSignalTest.connect(nodes.node(node).httpPort(), token);
  }

  private static JoinResponse joined(RtcSignalTest.Client c) throws InterruptedException {
    SignalResponse r = c.next();
    assertThat(r.getMessageCase()).as(r.toString()).isEqualTo(SignalResponse.MessageCase.JOIN);
    return r.getJoin();
  }

  /** The first participant update naming someone that {@code wanted} accepts, within 10 s. */
  private static ParticipantInfo awaitUpdate(
      RtcSignalTest.Client c, Predicate<ParticipantInfo> wanted) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      SignalResponse r = c.messages.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.hasUpdate()) {
        for (ParticipantInfo p : r.getUpdate().getParticipantsList()) {
          if (wanted.test(p)) {
            return p;
          }
        }
      }
    }
    throw new AssertionError("no such participant update within 10 s");
  }

  @Test
  void participantsServedByTwoNodesSeeEachOtherComeChangeAndGo() throws Exception {
    VisioServer one = cluster.node(1);
    VisioServer two = cluster.node(2);
    RtcSignalTest.Client ann = join(1, "ann", "regions");
    JoinResponse a = joined(ann);
    assertThat(a.getServerInfo().getNodeId()).isEqualTo("node1");
    // The room's bus channel reaches the nodes serving a part of it, not every node.
    assertThat(await(() -> roomSubscribers("regions") == 1)).as("node1 alone").isTrue();

    RtcSignalTest.Client bob = join(2, "bob", "regions");
    JoinResponse b = joined(bob);
    assertThat(b.getServerInfo().getNodeId())
        .as("bob is served by the node he connected to, in another region than the room's home")
        .isEqualTo("node2");
    String sid = a.getRoom().getSid();
    assertThat(b.getRoom().getSid()).as("one room, one sid, on both nodes").isEqualTo(sid);
    assertThat(two.cluster().relayedSessions()).isZero();
    assertThat(two.cluster().cluster().leases().owner("regions"))
        .map(l -> l.nodeId())
        .as("the room still lives on node1")
        .contains("node1");

    ParticipantInfo annSeen = awaitUpdate(bob, p -> p.getIdentity().equals("ann"));
    assertThat(annSeen.getSid()).isEqualTo(a.getParticipant().getSid());
    ParticipantInfo bobSeen = awaitUpdate(ann, p -> p.getIdentity().equals("bob"));
    assertThat(bobSeen.getSid()).isEqualTo(b.getParticipant().getSid());
    assertThat(await(() -> one.rooms().participants("regions").size() == 2)).isTrue();
    assertThat(await(() -> two.rooms().participants("regions").size() == 2)).isTrue();
    assertThat(await(() -> roomSubscribers("regions") == 2)).as("node1 and node2").isTrue();

    // A newcomer on node2 finds ann in its JoinResponse: node2 knows her already.
    RtcSignalTest.Client cid = join(2, "cid", "regions");
    JoinResponse c = joined(cid);
    assertThat(c.getOtherParticipantsList())
        .extracting(ParticipantInfo::getIdentity)
        .containsExactlyInAnyOrder("ann", "bob");
    assertThat(c.getRoom().getSid()).isEqualTo(sid);
    assertListedWithSid("regions", sid);
    // node1 learns of cid from node2's next state, within a tick plus a bus hop: the Room
    // service at node1 finds cid only after that.
    assertThat(awaitUpdate(ann, p -> p.getIdentity().equals("cid")).getIdentity()).isEqualTo("cid");

    // Metadata set on node1 reaches node2's participants.
    ann.send(
        SignalRequest.newBuilder()
            .setUpdateMetadata(
                livekit.LivekitRtc.UpdateParticipantMetadata.newBuilder()
                    .setRequestId(1)
                    .setMetadata("{\"hand\":true}"))
            .build());
    ParticipantInfo raised =
        awaitUpdate(cid, p -> p.getIdentity().equals("ann") && p.getMetadata().contains("hand"));
    assertThat(raised.getMetadata()).isEqualTo("{\"hand\":true}");

    // The Room service at the room's home acts on a participant another node serves: the call
    // goes to that node. The admin renames cid; then removes it, and cid is told to leave.
    String admin =
        ISSUER.issue(
            "admin",
            null,
            null,
            Map.of(),
            new VideoGrant(
                false, false, false, true, false, "regions", null, null, null, null, null, false,
                false, false, false, null, null),
            Duration.ofMinutes(5));
    var renamed =
        ClusterRoomServiceTest.call(
            one,
            "UpdateParticipant",
            admin,
            "{\"room\":\"regions\",\"identity\":\"cid\",\"name\":\"Cid (guest)\"}",
            null);
    assertThat(renamed.statusCode()).as(renamed.body()).isEqualTo(200);
    assertThat(renamed.body()).contains("Cid (guest)");
    assertThat(awaitUpdate(ann, p -> p.getName().equals("Cid (guest)")).getIdentity())
        .isEqualTo("cid");
    var removed =
        ClusterRoomServiceTest.call(
            one, "RemoveParticipant", admin, "{\"room\":\"regions\",\"identity\":\"cid\"}", null);
    assertThat(removed.statusCode()).as(removed.body()).isEqualTo(200);
    assertThat(cid.nextLeave().getLeave().getReason())
        .isEqualTo(livekit.LivekitModels.DisconnectReason.PARTICIPANT_REMOVED);

    // Leaving: node1's participant sees bob go; when node2's part empties, node1 drops it.
    bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    ParticipantInfo gone =
        awaitUpdate(
            ann,
            p ->
                p.getIdentity().equals("bob")
                    && p.getState() == ParticipantInfo.State.DISCONNECTED);
    assertThat(gone.getSid()).isEqualTo(b.getParticipant().getSid());
    assertThat(await(() -> !two.rooms().hosts("regions"))).isTrue();
    assertThat(await(() -> one.rooms().cascadeLinks("regions").isEmpty()))
        .as("node1 closed its link to node2 once node2's part ended")
        .isTrue();
    assertThat(one.rooms().participants("regions"))
        .extracting(ParticipantInfo::getIdentity)
        .containsExactly("ann");
    assertThat(one.cluster().cascadeMessages()[3]).as("malformed").isZero();
    assertThat(two.cluster().cascadeMessages()[3]).as("malformed").isZero();
    ann.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

    // Webhooks: each participant's events from the node serving it, the room's start from its
    // home, its end from its last part: each event once, cluster-wide.
    assertThat(await(() -> !one.rooms().hosts("regions"))).isTrue();
    assertThat(await(() -> roomSubscribers("regions") == 0)).as("the room ended").isTrue();
    List<WebhookEvent> events = inbox.drainEvents(500);
    assertThat(events)
        .as("every event names the room by its one sid, whichever node sent it")
        .allSatisfy(e -> assertThat(e.getRoom().getSid()).isEqualTo(sid));
    assertThat(
            events.stream()
                .map(
                    e ->
                        e.getEvent()
                            + (e.hasParticipant() ? " " + e.getParticipant().getIdentity() : ""))
                .toList())
        .containsExactlyInAnyOrder(
            "room_started",
            "participant_joined ann",
            "participant_joined bob",
            "participant_joined cid",
            "participant_left cid",
            "participant_left bob",
            "participant_left ann",
            "room_finished");
  }

  /**
   * The Room service's ListRooms names {@code room} by {@code sid} from every node: merged over the
   * cluster, and each node's own answer (asked as if forwarded, so that it asks nobody else).
   */
  private static void assertListedWithSid(String room, String sid) throws Exception {
    String list = "{\"names\":[\"" + room + "\"]}";
    for (VisioServer node : cluster.all()) {
      for (String relayedFrom : new String[] {null, "node9"}) {
        assertThat(
                ClusterRoomServiceTest.rooms(
                    ClusterRoomServiceTest.call(
                        node, "ListRooms", ClusterRoomServiceTest.creator(), list, relayedFrom)))
            .as(
                "ListRooms at node %s%s",
                node.cluster().nodeId(), relayedFrom == null ? "" : " alone")
            .extracting(Room::getSid)
            .containsExactly(sid);
      }
    }
  }

  /**
   * A part named otherwise than the cluster names its room (created while Redis could not answer,
   * here: the cluster's sid replaced behind its back) takes the cluster's sid at its next keep: its
   * participants get a RoomUpdate, and the Room service names the room so from every node.
   */
  @Test
  void aPartNamedOtherwiseThanTheClusterTakesTheClustersSid() throws Exception {
    RtcSignalTest.Client eve = join(2, "eve", "renamed");
    String ours = joined(eve).getRoom().getSid();
    String clusters = "RM_clusterSaysSo";
    redis.sync().set("visio:room:renamed:sid", clusters);

    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    Room updated = null;
    while (updated == null && System.nanoTime() < end) {
      SignalResponse r = eve.messages.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.hasRoomUpdate()) {
        updated = r.getRoomUpdate().getRoom();
      }
    }
    assertThat(updated).as("a RoomUpdate within 10 s").isNotNull();
    assertThat(updated.getSid()).isNotEqualTo(ours).isEqualTo(clusters);
    assertThat(cluster.node(2).rooms().sidOf("renamed")).isEqualTo(clusters);
    for (VisioServer node : cluster.all()) {
      assertThat(
              ClusterRoomServiceTest.rooms(
                  ClusterRoomServiceTest.call(
                      node,
                      "ListRooms",
                      ClusterRoomServiceTest.creator(),
                      "{\"names\":[\"renamed\"]}",
                      null)))
          .as("ListRooms at node %s", node.cluster().nodeId())
          .extracting(Room::getSid)
          .containsExactly(clusters);
    }
    eve.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(await(() -> !cluster.node(2).rooms().hosts("renamed"))).isTrue();
  }

  @Test
  void aRoomKeepsItsSidWhileAnyNodeHostsAPartAndTakesANewOneOnceItEnded() throws Exception {
    VisioServer one = cluster.node(1);
    VisioServer two = cluster.node(2);
    RtcSignalTest.Client ann = join(1, "ann", "lives");
    String sid = joined(ann).getRoom().getSid();
    RtcSignalTest.Client bob = join(2, "bob", "lives");
    assertThat(joined(bob).getRoom().getSid()).isEqualTo(sid);

    // The home's part ends while node2 still hosts bob: the room goes on, so a part created on
    // node1 again (whether node1 still holds the lease or placed the room anew) is the same room.
    ann.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(await(() -> !one.rooms().hosts("lives"))).isTrue();
    RtcSignalTest.Client dan = join(1, "dan", "lives");
    JoinResponse d = joined(dan);
    assertThat(d.getServerInfo().getNodeId()).isEqualTo("node1");
    assertThat(d.getRoom().getSid()).as("the same life of the room").isEqualTo(sid);
    assertListedWithSid("lives", sid);

    // Everyone leaves: the room ends everywhere, and its next creation is a new room.
    dan.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(await(() -> !one.rooms().hosts("lives") && !two.rooms().hosts("lives"))).isTrue();
    assertThat(await(() -> two.cluster().cluster().sids().current("lives").isEmpty()))
        .as("the sid went with the room's last part")
        .isTrue();
    RtcSignalTest.Client eve = join(2, "eve", "lives");
    String next = joined(eve).getRoom().getSid();
    assertThat(next).as("a new life, a new sid").isNotEqualTo(sid).startsWith("RM_");
    eve.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(await(() -> !two.rooms().hosts("lives"))).isTrue();
    inbox.drain(500); // this room's webhooks are the other test's noise
  }
}
