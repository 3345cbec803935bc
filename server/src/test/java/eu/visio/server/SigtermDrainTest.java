package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.cluster.NodeProcesses;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real server process ({@code Main}, a JVM of its own, alone) sent SIGTERM as systemd or the
 * kubelet stops it: its participants are told to join again and, whether or not they go, their
 * signalling is closed by the server; it exits once nobody is left, a session whose signalling had
 * dropped included (it leaves as the drain starts). The drain's deadline, readiness and refused
 * joins are the same {@link Drain} as {@code POST /admin/drain}'s, tested in {@link DrainTest}.
 */
class SigtermDrainTest {
  private static final int EXIT_ON_SIGTERM = 128 + 15;

  @TempDir Path dir;
  private NodeProcesses server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  /** Ann ignores the leave (a client that never closes): the server closes her, then exits. */
  @Test
  void sigtermSendsEveryoneOnThenExitsOnceEmpty() throws Exception {
    NodeProcesses.Node node = start(30);
    RtcSignalTest.Client ann = RtcSignalTest.connect(node.httpPort(), DrainTest.join("ann", "t"));
    assertThat(ann.next().hasJoin()).isTrue();

    long t0 = System.nanoTime();
    node.sigterm();
    assertThat(leave(ann, node).getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
    assertThat(ann.closed.get(10, TimeUnit.SECONDS)).as("closed by the server").startsWith("1012");
    int exit = node.awaitExit(Duration.ofSeconds(20));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("SIGTERM to exit, one participant sent on: " + ms + " ms");
    assertThat(exit).as(node.logTail()).isEqualTo(EXIT_ON_SIGTERM);
    assertThat(node.logTail()).contains("drained: 0 participant(s) still here");
    assertThat(ms).as("long before drain_timeout").isLessThan(15_000);
  }

  /**
   * Bob's signalling dropped just before (his session waits here for a resume, and the drain has no
   * connection to tell him through): he leaves as the drain starts, and the server exits long
   * before his resume window (20 s) would have ended.
   */
  @Test
  void sigtermDoesNotWaitForASessionWhoseSignallingDropped() throws Exception {
    NodeProcesses.Node node = start(30);
    RtcSignalTest.Client bob = DrainTest.negotiated(node.httpPort(), "bob", "t");
    bob.ws.abort();
    Poll.until(
        "bob's drop taken in", () -> node.logTail().contains("participant=bob signalling lost"));

    long t0 = System.nanoTime();
    node.sigterm();
    int exit = node.awaitExit(Duration.ofSeconds(25));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("SIGTERM to exit, one dropped session: " + ms + " ms");
    assertThat(exit).as(node.logTail()).isEqualTo(EXIT_ON_SIGTERM);
    assertThat(node.logTail())
        .contains("participant=bob awaiting a resume while draining: leaves")
        .contains("drained: 0 participant(s) still here");
    assertThat(ms).as("long before bob's resume window ends").isLessThan(15_000);
  }

  /** The leave {@code c} is sent, within 20 s (a JVM shutting down on a loaded machine). */
  private static LeaveRequest leave(RtcSignalTest.Client c, NodeProcesses.Node node)
      throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < end) {
      SignalResponse r = c.messages.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.hasLeave()) {
        return r.getLeave();
      }
    }
    throw new AssertionError("no leave within 20 s\n" + node.logTail());
  }

  private NodeProcesses.Node start(int drainTimeout) throws Exception {
    server = NodeProcesses.alone(dir, drainTimeout);
    return server.nodes().getFirst();
  }
}
