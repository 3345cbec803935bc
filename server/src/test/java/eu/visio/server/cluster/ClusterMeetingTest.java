package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import eu.visio.meet.store.DatabaseConfig;
import eu.visio.meet.store.PostgresServer;
import eu.visio.server.RtcSignalTest;
import eu.visio.server.VisioServer;
import eu.visio.server.api.ApiBrowser;
import eu.visio.server.api.EventStream;
import eu.visio.signal.cluster.RedisServer;
import java.time.Duration;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The meeting service of two nodes sharing one Redis and one PostgreSQL: any node serves any page.
 * A guest knocks through one node, a host decides through the other, and the guest's event stream
 * on the first learns it; the host then moderates the meeting through the node it does not live on.
 */
@Tag("redis")
@Tag("postgres")
class ClusterMeetingTest {
  private static RedisServer redis;
  private static PostgresServer postgres;
  private static VisioServer a;
  private static VisioServer b;

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.start();
    postgres = PostgresServer.start();
    DatabaseConfig db = postgres.newDatabase();
    a = VisioServer.start(node("node-a", db));
    b = VisioServer.start(node("node-b", db));
  }

  private static eu.visio.server.ServerConfig node(String id, DatabaseConfig db) throws Exception {
    return ClusterRoomServiceTest.config(redis, id, ClusterNodes.freePort())
        .withDevSignIn(true)
        .withDatabase(db);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable c : new AutoCloseable[] {b, a, postgres, redis}) {
      if (c != null) {
        c.close();
      }
    }
  }

  private static String join(String code) {
    return "/api/v1/rooms/" + code + "/join";
  }

  @Test
  void aKnockThroughOneNodeIsDecidedThroughTheOtherAndTheMeetingModeratedFromEither()
      throws Exception {
    ApiBrowser host = ApiBrowser.user(b.httpPort(), "ana@example.org");
    String code = host.trustedRoom();
    ApiBrowser guest = ApiBrowser.guest(a.httpPort(), "Gus");
    assertThat(guest.ok("POST", join(code), null, 202).get("status").asText()).isEqualTo("waiting");

    String participant;
    try (EventStream hostEvents = host.events(code)) {
      JsonNode waiting = hostEvents.next("knock");
      assertThat(waiting).as("node b sees the knock made through node a").hasSize(1);
      assertThat(waiting.get(0).get("name").asText()).isEqualTo("Gus");
      participant = waiting.get(0).get("participant").asText();

      try (EventStream guestEvents = guest.events(code)) {
        assertThat(guestEvents.next("lobby").get("status").asText()).isEqualTo("waiting");
        host.ok("POST", "/api/v1/rooms/" + code + "/lobby/" + participant, "{\"admit\":true}", 204);
        EventStream.Event admitted = guestEvents.next(Duration.ofSeconds(5));
        assertThat(admitted.name()).isEqualTo("lobby");
        assertThat(admitted.data())
            .as("node a pushes the decision made on node b")
            .isEqualTo("{\"status\":\"admitted\"}");
      }
      assertThat(hostEvents.next("knock")).as("nobody waits any more").isEmpty();
    }

    // Admitted on b, let in on a: a token, and the meeting's room placed for the joins.
    JsonNode in = guest.ok("POST", join(code), null, 200);
    assertThat(in.get("status").asText()).isEqualTo("enter");
    RtcSignalTest.Client gus = RtcSignalTest.connect(a.httpPort(), in.get("token").asText());
    SignalResponse first = gus.next();
    assertThat(first.getMessageCase()).isEqualTo(SignalResponse.MessageCase.JOIN);
    JoinResponse joined = first.getJoin();
    String room = joined.getRoom().getName();
    VisioServer home = joined.getServerInfo().getNodeId().equals("node-a") ? a : b;
    VisioServer away = home == a ? b : a;
    assertThat(home.rooms().participants(room))
        .extracting(ParticipantInfo::getIdentity)
        .containsExactly(participant);

    // The host moderates through the node the meeting does not live on.
    ApiBrowser hostAway = ApiBrowser.user(away.httpPort(), "ana@example.org");
    assertThat(hostAway.ok("GET", "/api/v1/rooms/" + code + "/hands", null, 200)).isEmpty();
    hostAway.ok(
        "POST",
        "/api/v1/rooms/" + code + "/moderation",
        "{\"action\":\"remove\",\"participant\":\"" + participant + "\"}",
        200);
    assertThat(await(() -> home.rooms().participants(room).isEmpty()))
        .as("removed on the meeting's home through the other node")
        .isTrue();
    gus.ws.abort();
  }
}
