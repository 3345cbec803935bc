package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.cluster.ClusterNodes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A cluster node drains while a participant it hosts, whose signalling came relayed from another
 * node ({@code SignalRelay}), has dropped: like one connected directly, it leaves as the drain
 * starts (the drain does not wait out its resume window), and its client's resume, through the node
 * it came by, is answered as any resume of a session no longer there: join again in full.
 */
@Tag("redis")
class ClusterDrainDroppedTest {
  @Test
  void aRelayedSessionWhoseSignallingDroppedDoesNotHoldTheDrain() throws Exception {
    try (ClusterNodes cluster =
        ClusterNodes.start(3, c -> c.withTimings(Duration.ofMillis(250), Duration.ofSeconds(2)))) {
      RtcSignalTest.Client ann = RtcSignalTest.connect(cluster.node(1).httpPort(), join("ann"));
      SignalResponse first = ann.next();
      assertThat(first.hasJoin()).as(first.toString()).isTrue();
      String home = first.getJoin().getServerInfo().getNodeId();
      int h = ClusterNodes.index(home);
      VisioServer drained = cluster.node(h);
      VisioServer via = cluster.node(h == 1 ? 2 : 1);
      String sid = DrainTest.awaitResumable(via.httpPort(), drained, "bob", "relayed");
      assertThat(drained.rooms().participants("relayed")).hasSize(2);

      long t0 = System.nanoTime();
      drained.drain(Duration.ofSeconds(60)).get(5, TimeUnit.SECONDS); // bob's window is 20 s
      System.out.println(
          "cluster drain with one dropped relayed session: "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
              + " ms");
      assertThat(ann.nextLeave().getLeave().getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(drained.drainStatus().participants()).isZero();
      assertThat(drained.rooms().hosts("relayed")).isFalse();

      RtcSignalTest.Client resumed = DrainTest.resume(via.httpPort(), join("bob"), sid);
      SignalResponse answer = resumed.next();
      assertThat(answer.getLeave().getAction())
          .as(answer.toString())
          .isEqualTo(LeaveRequest.Action.RECONNECT);
      assertThat(resumed.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 no session to resume");
    }
  }

  private static String join(String identity) {
    return DrainTest.join(identity, "relayed");
  }
}
