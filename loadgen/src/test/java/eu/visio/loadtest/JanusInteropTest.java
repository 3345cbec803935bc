package eu.visio.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.loadtest.target.JanusTarget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny meeting against a real Janus (installed with apt-get if absent, so excluded by default:
 * enable with {@code -Dvisio.excludedGroups=}): 2 publishers and 2 more subscribers for 3 s, every
 * subscription delivering, with low loss, and Janus's own CPU read.
 */
@Tag("interop")
class JanusInteropTest {
  @TempDir Path dir;

  @Test
  void aSmallMeetingForwardsThroughJanus() throws Exception {
    Runner runner = new Runner(1, Duration.ofSeconds(2), dir, new PrintStream(System.err, true));
    Scenario s =
        new Scenario(
            "meeting", 2, 4, Duration.ofSeconds(3), 3, 2, List.of(150_000, 500_000, 1_700_000));
    RunResult r = runner.run(s, new JanusTarget());
    assertThat(r.missing()).as("subscriptions that delivered nothing").isEmpty();
    // 4 receivers: 2 hear 1 publisher, 2 hear 2: 6 audio and 6 video streams, 3 s of each. The
    // high layer (1.7 Mbit/s, some 185 packets a second) makes about 4,200 packets in all; the low
    // one, which Janus forwards when it mistakes the order of the rids, about 1,400.
    assertThat(r.receivedPackets()).as("media packets in the window").isGreaterThan(3000);
    assertThat(r.lossRatio()).as("loss").isLessThan(0.01);
    assertThat(r.cpuUsPerForwardedPacket()).as("Janus's CPU was read").isPositive();
  }
}
