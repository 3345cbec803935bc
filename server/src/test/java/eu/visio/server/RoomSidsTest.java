package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.livekit.LiveKitRooms;
import eu.visio.signal.token.VideoGrant;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import livekit.LivekitRtc.JoinResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Where a room's sid comes from ({@link LiveKitRooms.RoomSids}): asked once when the room's part is
 * created here, used in the join responses, and told when the part ends. Alone, each life of a room
 * draws its own.
 */
class RoomSidsTest {
  private static VisioServer server;

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static RtcSignalTest.Client join(String identity, String room) {
    return RtcSignalTest.connect(
        server.httpPort(), RtcSignalTest.token(identity, VideoGrant.join(room)));
  }

  private static JoinResponse joined(RtcSignalTest.Client c) throws InterruptedException {
    return c.next().getJoin();
  }

  @Test
  void aRoomsSidIsAskedForOncePerPartAndItsEndIsTold() throws Exception {
    List<String> asked = new CopyOnWriteArrayList<>();
    List<String> ended = new CopyOnWriteArrayList<>();
    server
        .rooms()
        .setRoomSids(
            new LiveKitRooms.RoomSids() {
              @Override
              public String sidFor(String room, String fresh) {
                if (!room.equals("told")) {
                  return fresh; // another test's room (they share the server)
                }
                asked.add(room + " " + fresh);
                return "RM_cluster" + asked.size();
              }

              @Override
              public void ended(String room, String sid) {
                if (room.equals("told")) {
                  ended.add(room + " " + sid);
                }
              }
            });
    try {
      RtcSignalTest.Client ann = join("ann", "told");
      assertThat(joined(ann).getRoom().getSid()).isEqualTo("RM_cluster1");
      RtcSignalTest.Client bob = join("bob", "told");
      assertThat(joined(bob).getRoom().getSid()).isEqualTo("RM_cluster1");
      assertThat(server.rooms().sidOf("told")).isEqualTo("RM_cluster1");
      assertThat(server.rooms().roomSids()).containsEntry("told", "RM_cluster1");
      assertThat(asked).hasSize(1);
      assertThat(asked.getFirst()).matches("told RM_[0-9A-Za-z]{12}");
      assertThat(ended).isEmpty();

      ann.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
      bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
      assertThat(awaitTrue(() -> !ended.isEmpty())).isTrue();
      assertThat(ended).containsExactly("told RM_cluster1");
      assertThat(server.rooms().sidOf("told")).isNull();

      RtcSignalTest.Client cid = join("cid", "told");
      assertThat(joined(cid).getRoom().getSid()).as("a new life").isEqualTo("RM_cluster2");
      cid.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
      assertThat(awaitTrue(() -> ended.size() == 2)).isTrue();
    } finally {
      server.rooms().setRoomSids(LiveKitRooms.RoomSids.LOCAL);
    }
  }

  @Test
  void aloneEachLifeOfARoomHasItsOwnSid() throws Exception {
    RtcSignalTest.Client ann = join("ann", "alone");
    String first = joined(ann).getRoom().getSid();
    assertThat(first).matches("RM_[0-9A-Za-z]{12}");
    ann.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    assertThat(awaitTrue(() -> !server.rooms().hosts("alone"))).isTrue();
    RtcSignalTest.Client bob = join("bob", "alone");
    assertThat(joined(bob).getRoom().getSid()).isNotEqualTo(first);
    bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    // Ended before the next test: its end must not reach the next test's RoomSids.
    assertThat(awaitTrue(() -> !server.rooms().hosts("alone"))).isTrue();
  }

  private static boolean awaitTrue(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long end = System.nanoTime() + 5_000_000_000L;
    while (System.nanoTime() < end) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(10);
    }
    return condition.getAsBoolean();
  }
}
