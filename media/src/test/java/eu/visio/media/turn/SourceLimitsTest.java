package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceLimitsTest {
  private static final long SECOND = 1_000_000_000L;
  private final InetAddress a = InetAddress.ofLiteral("198.51.100.1");
  private final InetAddress b = InetAddress.ofLiteral("198.51.100.2");

  @Test
  void burstThenRateAndPerSource() {
    SourceLimits limits = new SourceLimits(2, 3);
    long t = 1_000 * SECOND;
    for (int i = 0; i < 3; i++) {
      assertThat(limits.tryAcquire(a, t)).isTrue();
    }
    assertThat(limits.tryAcquire(a, t)).isFalse();
    assertThat(limits.tryAcquire(b, t)).isTrue(); // another source has its own bucket
    assertThat(limits.tryAcquire(a, t + SECOND / 2)).isTrue(); // 2/s: one token after 0.5 s
    assertThat(limits.tryAcquire(a, t + SECOND / 2)).isFalse();
  }

  @Test
  void quietSourcesArePurged() {
    SourceLimits limits = new SourceLimits(2, 3);
    long t = 1_000 * SECOND;
    limits.tryAcquire(a, t);
    limits.tryAcquire(b, t);
    limits.tryAcquire(b, t);
    limits.tryAcquire(b, t);
    limits.purge(t + SECOND / 2); // a is full again (1 token back), b is not
    assertThat(limits.size()).isEqualTo(1);
    limits.purge(t + 2 * SECOND);
    assertThat(limits.size()).isZero();
  }
}
