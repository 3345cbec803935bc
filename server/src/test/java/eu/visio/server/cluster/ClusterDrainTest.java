package eu.visio.server.cluster;

import static eu.visio.server.cluster.ClusterNodes.await;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.RtcSignalTest;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.cluster.NodeInfo;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Draining one node of three (in this JVM, on a real Redis): it says so in its registration, gives
 * up its rooms, and its participants, those connected to it and those relayed to it from another
 * node, are told to join again; their new joins land on another node, even through the drained one,
 * which then only relays. Signalling it relayed for a room elsewhere is handed off at the end.
 */
@Tag("redis")
class ClusterDrainTest {
  private static final TokenIssuer ISSUER =
      new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  private static RtcSignalTest.Client join(VisioServer via, String identity, String room) {
    return RtcSignalTest.connect(
        via.httpPort(),
        ISSUER.issue(
            identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5)));
  }

  private static JoinResponse joined(RtcSignalTest.Client c) throws InterruptedException {
    SignalResponse r = c.next();
    assertThat(r.hasJoin()).as(r.toString()).isTrue();
    return r.getJoin();
  }

  @Test
  void aDrainedNodesRoomsAndParticipantsMoveToTheOthers() throws Exception {
    try (ClusterNodes cluster =
        ClusterNodes.start(3, c -> c.withTimings(Duration.ofMillis(250), Duration.ofSeconds(2)))) {
      RtcSignalTest.Client ann = join(cluster.node(1), "ann", "moving");
      String home = joined(ann).getServerInfo().getNodeId();
      int h = ClusterNodes.index(home);
      int other = h == 1 ? 2 : 1;
      VisioServer drained = cluster.node(h);
      RtcSignalTest.Client bob = join(cluster.node(other), "bob", "moving"); // relayed to the home
      assertThat(joined(bob).getServerInfo().getNodeId()).isEqualTo(home);
      // A room living elsewhere that a client reaches through the node about to drain.
      int third = IntStream.rangeClosed(1, 3).filter(i -> i != h).max().orElseThrow();
      // A room living on a third node (its lease claimed there first, so placement keeps it).
      String stayingRoom = "staying";
      assertThat(
              cluster
                  .node(third)
                  .cluster()
                  .cluster()
                  .leases()
                  .tryAcquire(stayingRoom, "node" + third))
          .isPresent();
      RtcSignalTest.Client cat = join(cluster.node(third), "cat", stayingRoom);
      String stayingHome = joined(cat).getServerInfo().getNodeId();
      assertThat(stayingHome).isEqualTo("node" + third);
      RtcSignalTest.Client dan = join(drained, "dan", stayingRoom);
      assertThat(joined(dan).getServerInfo().getNodeId()).isEqualTo(stayingHome);
      // Counted once the relay is registered, which may follow the JoinResponse it carried.
      assertThat(await(() -> drained.drainStatus().relayed() == 1)).isTrue();

      int held = drained.cluster().heldRooms();
      drained.drain(Duration.ofSeconds(10)).get(15, TimeUnit.SECONDS);

      // Both of the room's participants were told to join again, whichever node they came through.
      for (RtcSignalTest.Client c : new RtcSignalTest.Client[] {ann, bob}) {
        assertThat(c.nextLeave().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      }
      assertThat(ann.closed.get(5, TimeUnit.SECONDS)).startsWith("1012");
      assertThat(drained.rooms().hosts("moving")).isFalse();
      assertThat(drained.cluster().heldRooms()).isZero();
      assertThat(drained.cluster().failover().get(FailoverCounters.Event.ROOM_DRAINED))
          .as("every room it held")
          .isEqualTo(held)
          .isPositive();
      // Dan's relayed session was handed off (he resumes through another node); his room stays.
      assertThat(dan.closed.get(5, TimeUnit.SECONDS)).startsWith("1012");
      assertThat(cluster.node(ClusterNodes.index(stayingHome)).rooms().hosts(stayingRoom)).isTrue();
      assertThat(
              await(
                  () ->
                      cluster
                          .node(other)
                          .cluster()
                          .cluster()
                          .registry()
                          .node(home)
                          .map(NodeInfo::draining)
                          .orElse(false)))
          .as("the others see the node draining")
          .isTrue();

      // Joining again, through the drained node itself or another: the room lives elsewhere now.
      RtcSignalTest.Client ann2 = join(drained, "ann", "moving");
      String newHome = joined(ann2).getServerInfo().getNodeId();
      assertThat(newHome).isNotEqualTo(home);
      RtcSignalTest.Client bob2 = join(cluster.node(other), "bob", "moving");
      assertThat(joined(bob2).getServerInfo().getNodeId()).isEqualTo(newHome);
      assertThat(drained.rooms().hosts("moving")).isFalse();
      assertThat(drained.drainStatus().participants()).isZero();
      // A room nobody has yet never goes to the drained node.
      for (int i = 0; i < 6; i++) {
        RtcSignalTest.Client p = join(drained, "p" + i, "fresh-" + i);
        assertThat(joined(p).getServerInfo().getNodeId()).isNotEqualTo(home);
      }
    }
  }
}
