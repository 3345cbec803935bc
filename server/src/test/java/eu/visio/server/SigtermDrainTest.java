package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.cluster.NodeProcesses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * dropped included (it leaves as the drain starts), or at {@code drain_timeout} with a participant
 * that cannot leave. The drain's readiness and refused joins are the same {@link Drain} as {@code
 * POST /admin/drain}'s, tested in {@link DrainTest}.
 */
class SigtermDrainTest {
  private static final int EXIT_ON_SIGTERM = 128 + 15;
  private static final int STUCK_DRAIN_TIMEOUT_S = 3;

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
    RtcSignalTest.Client ann = joinAnn(node);

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

  /**
   * Ann cannot leave: her room's worker is stuck (the process logs through a {@link
   * StallingAppender}, which holds the thread logging her leave until the drain gives up). She is
   * still told to join again and her signalling is still closed, but she is counted here until the
   * drain's deadline: the server exits once {@code drain_timeout} has passed, saying who was left,
   * and soon after it; not before (a drain that did not wait), and not never (a drain that waited
   * for her to go: her worker is stuck until the drain ends).
   */
  @Test
  void sigtermExitsAtTheDrainTimeoutWithAParticipantThatCannotLeave() throws Exception {
    NodeProcesses.Node node = startStallingAnnsLeave("drained: ");
    RtcSignalTest.Client ann = joinAnn(node);

    long t0 = System.nanoTime();
    node.sigterm();
    assertThat(leave(ann, node).getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
    assertThat(ann.closed.get(10, TimeUnit.SECONDS)).as("closed by the server").startsWith("1012");
    String log =
        exitsWithin(
            node,
            t0,
            STUCK_DRAIN_TIMEOUT_S * 1000L,
            "one participant that cannot leave, drain_timeout " + STUCK_DRAIN_TIMEOUT_S + " s",
            "exits at drain_timeout, soon after");
    assertThat(log)
        .contains(StallingAppender.HOLDING + " [visio-udp-") // her leave, on her room's worker
        .contains("waiting up to " + STUCK_DRAIN_TIMEOUT_S + " s")
        .contains("drained: 1 participant(s) still here");
  }

  /**
   * Ann's room's worker is stuck for good (held until the process ends): the drain gives up at
   * {@code drain_timeout} as above, and the server's close, which waits for its media workers,
   * gives up on the stuck one after a few seconds, so the server still exits rather than waiting
   * for a SIGKILL.
   */
  @Test
  void sigtermExitsSoonAfterTheDrainTimeoutWithAWorkerStuckForGood() throws Exception {
    NodeProcesses.Node node = startStallingAnnsLeave("");
    RtcSignalTest.Client ann = joinAnn(node);

    long t0 = System.nanoTime();
    node.sigterm();
    assertThat(leave(ann, node).getAction()).isEqualTo(LeaveRequest.Action.RECONNECT);
    String log =
        exitsWithin(
            node,
            t0,
            STUCK_DRAIN_TIMEOUT_S * 1000L + 5000,
            "a worker stuck for good, drain_timeout " + STUCK_DRAIN_TIMEOUT_S + " s",
            "exits after drain_timeout and the media workers' close wait (5 s)");
    assertThat(log)
        .contains(StallingAppender.HOLDING + " [visio-udp-")
        .contains("drained: 1 participant(s) still here")
        .contains("media workers not stopped within 5 s");
  }

  /**
   * The server's close is stuck for good (its thread held as it closes the media port, as a part
   * waiting on a database or Redis that no longer answers would be): the process still exits, at
   * {@link Main#CLOSE_LIMIT} after the drain, saying where the close was.
   */
  @Test
  void sigtermExitsAtTheCloseLimitWithACloseStuckForGood() throws Exception {
    NodeProcesses.Node node = startStalling("media UDP port closing", "", 1);

    long t0 = System.nanoTime();
    node.sigterm();
    String log =
        exitsWithin(
            node,
            t0,
            Main.CLOSE_LIMIT.toMillis(),
            "a close stuck for good",
            "exits at the close limit, soon after");
    assertThat(log)
        .contains(StallingAppender.HOLDING + " [visio-close] at: media UDP port closing")
        .contains("close did not finish within " + Main.CLOSE_LIMIT.toSeconds() + " s")
        .contains("UdpMediaPort.close");
  }

  /**
   * A server process whose logging holds the thread logging ann's leave until {@code releaseOn} is
   * logged ("" for never: held until the process ends).
   */
  private NodeProcesses.Node startStallingAnnsLeave(String releaseOn) throws Exception {
    return startStalling("participant=ann left", releaseOn, STUCK_DRAIN_TIMEOUT_S);
  }

  /**
   * A server process whose logging holds the thread logging {@code holdOn} ({@link
   * StallingAppender}).
   */
  private NodeProcesses.Node startStalling(String holdOn, String releaseOn, int drainTimeout)
      throws Exception {
    Path logging = dir.resolve("logback-stall.xml");
    Files.writeString(logging, StallingAppender.config(holdOn, releaseOn));
    server =
        NodeProcesses.alone(dir, drainTimeout, List.of("-Dlogback.configurationFile=" + logging));
    return server.nodes().getFirst();
  }

  /**
   * Waits for {@code node}, SIGTERMed at {@code t0}, to exit; prints how long it took as {@code
   * what}; asserts it exited as on SIGTERM, {@code fromMs} or later and less than 5 s after that
   * ({@code why}). Returns its log.
   */
  private static String exitsWithin(
      NodeProcesses.Node node, long t0, long fromMs, String what, String why) throws Exception {
    int exit = node.awaitExit(Duration.ofMillis(fromMs + 20_000));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("SIGTERM to exit, " + what + ": " + ms + " ms");
    String log = node.logTail();
    assertThat(exit).as(log).isEqualTo(EXIT_ON_SIGTERM);
    assertThat(ms).as(why + "\n" + log).isGreaterThanOrEqualTo(fromMs).isLessThan(fromMs + 5000);
    return log;
  }

  private static RtcSignalTest.Client joinAnn(NodeProcesses.Node node) throws Exception {
    RtcSignalTest.Client ann = RtcSignalTest.connect(node.httpPort(), DrainTest.join("ann", "t"));
    assertThat(ann.next().hasJoin()).isTrue();
    return ann;
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
