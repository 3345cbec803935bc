package eu.visio.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.loadtest.target.RelayTarget;
import eu.visio.loadtest.target.Target;
import eu.visio.loadtest.target.TargetSession;
import eu.visio.loadtest.target.VisioTarget;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A second of each scenario against each target, both started as processes of their own, with a
 * handful of bots: every subscriber must receive audio (and video) from every publisher it should.
 * Nothing is asserted on timing or rates; that is what {@code ./loadtest} reports.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSmokeTest {
  @TempDir static Path dir;

  private final Target visio = new VisioTarget(List.of("--media-workers", "1"));
  private final Target relay = new RelayTarget();
  private TargetSession visioSession;
  private TargetSession relaySession;
  private Runner runner;

  @BeforeAll
  void start() throws Exception {
    runner =
        new Runner(
            1, Duration.ofMillis(500), dir, new PrintStream(OutputStream.nullOutputStream()));
    visioSession = visio.start(dir);
    relaySession = relay.start(dir);
  }

  @AfterAll
  void stop() {
    if (visioSession != null) {
      visioSession.close();
    }
    if (relaySession != null) {
      relaySession.close();
    }
  }

  static Stream<Arguments> runs() {
    return Stream.of("visio", "relay")
        .flatMap(
            t ->
                Stream.of(
                    Arguments.of(t, "audio", 2, 3),
                    Arguments.of(t, "meeting", 3, 3),
                    Arguments.of(t, "livestream", 1, 3)));
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("runs")
  void everySubscriberHearsEveryPublisher(String target, String name, int pubs, int subs)
      throws Exception {
    Scenario s =
        new Scenario(
            name, pubs, subs, Duration.ofSeconds(1), 3, 2, List.of(150_000, 500_000, 1_700_000));
    RunResult r =
        target.equals("visio")
            ? runner.run(s, visio, visioSession)
            : runner.run(s, relay, relaySession);
    assertThat(r.missing()).as("subscriptions that delivered nothing").isEmpty();
    assertThat(r.receivedPackets()).as("media packets in the window").isPositive();
    assertThat(r.cpuUsPerForwardedPacket()).as("the server's CPU was read").isPositive();
  }
}
