package eu.visio.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.loadtest.target.Target;
import eu.visio.loadtest.target.TargetSession;
import eu.visio.loadtest.target.VisioTarget;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny meeting with {@code --via-turn} against our server in a process of its own: every bot's
 * media goes through the server's embedded TURN, so every subscription delivers and the server's
 * TURN counters account for at least every packet the bots received in the window.
 */
class ViaTurnTest {
  @TempDir Path dir;

  @Test
  void aMeetingThroughTurnDeliversEverySubscription() throws Exception {
    Target target = new VisioTarget(List.of("--media-workers", "1"), List.of(), true);
    Runner runner =
        new Runner(
            1, Duration.ofMillis(500), dir, new PrintStream(OutputStream.nullOutputStream()));
    Scenario s =
        new Scenario(
            "meeting", 3, 3, Duration.ofSeconds(2), 3, 2, List.of(150_000, 500_000, 1_700_000));
    try (TargetSession session = target.start(dir)) {
      RunResult r = runner.run(s, target, session);
      assertThat(r.target()).isEqualTo("visio-turn");
      assertThat(r.missing()).as("subscriptions that delivered nothing").isEmpty();
      assertThat(r.receivedPackets()).as("media packets in the window").isPositive();
      // Everything the bots received came to them through a relay (as ChannelData), and what
      // they sent went out through one: TURN carried at least the received packets.
      assertThat(r.turnRelayedPerS() * r.durationS())
          .as("datagrams TURN relayed in the window")
          .isGreaterThanOrEqualTo(r.forwardedPacketsPerS() * r.durationS() * 0.9);
      assertThat(r.turnRefused()).as("TURN refusals and drops in the window").isZero();
    }
  }
}
