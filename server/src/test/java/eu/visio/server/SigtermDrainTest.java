package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.cluster.NodeProcesses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
 * signalling is closed by the server; it exits once nobody is left, or at its {@code drain_timeout}
 * with what it could not send on. Meanwhile it is alive but not ready, and refuses new joins with a
 * reason.
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
   * Bob's signalling dropped just before (his session waits here for a resume the drain has no
   * connection to refuse him through): the drain waits for him until its timeout, not beyond.
   */
  @Test
  void sigtermWaitsForWhatItCannotSendOnUntilItsTimeout() throws Exception {
    int timeout = 3;
    NodeProcesses.Node node = start(timeout);
    RtcSignalTest.Client bob = DrainTest.negotiated(node.httpPort(), "bob", "t");
    bob.ws.abort();
    Poll.until(
        "bob's drop taken in", () -> node.logTail().contains("participant=bob signalling lost"));

    long t0 = System.nanoTime();
    node.sigterm();
    Poll.until("not ready", () -> status(node, "/readyz") == 503);
    assertThat(status(node, "/healthz")).as("alive while draining").isEqualTo(200);
    RtcSignalTest.Client late = RtcSignalTest.connect(node.httpPort(), DrainTest.join("cat", "t"));
    assertThat(late.closed.get(5, TimeUnit.SECONDS))
        .isEqualTo("1013 this server is draining, try again");

    int exit = node.awaitExit(Duration.ofSeconds(timeout + 15));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    System.out.println("SIGTERM to exit, drain_timeout " + timeout + " s: " + ms + " ms");
    assertThat(exit).as(node.logTail()).isEqualTo(EXIT_ON_SIGTERM);
    assertThat(node.logTail()).contains("drained: 1 participant(s) still here");
    assertThat(ms).isGreaterThanOrEqualTo(timeout * 1000L);
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

  /** The HTTP status of {@code path}; 0 when the server does not answer. */
  private static int status(NodeProcesses.Node node, String path) {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(URI.create(node.url() + path))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (java.io.IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
