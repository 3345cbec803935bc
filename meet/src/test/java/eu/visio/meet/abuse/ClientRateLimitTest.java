package eu.visio.meet.abuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClientRateLimitTest {
  Instant now = Instant.parse("2026-11-28T10:00:00Z");
  final Clock clock =
      new Clock() {
        @Override
        public java.time.ZoneId getZone() {
          return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
          return this;
        }

        @Override
        public Instant instant() {
          return now;
        }
      };

  @Test
  void aBurstPassesThenTheRateHolds() {
    ClientRateLimit limit = new ClientRateLimit(clock, 5, 10, 100); // 5 at once, then 10 a minute
    for (int i = 0; i < 5; i++) {
      assertThat(limit.allow("10.0.0.1")).as("request %d of the burst", i).isTrue();
    }
    assertThat(limit.allow("10.0.0.1")).isFalse();
    assertThat(limit.retryAfterSeconds("10.0.0.1")).isEqualTo(6);
    assertThat(limit.allow("10.0.0.2")).as("another client has its own bucket").isTrue();
    now = now.plus(Duration.ofSeconds(6));
    assertThat(limit.retryAfterSeconds("10.0.0.1")).isZero();
    assertThat(limit.allow("10.0.0.1")).isTrue();
    assertThat(limit.allow("10.0.0.1")).isFalse();
    now = now.plus(Duration.ofHours(1));
    for (int i = 0; i < 5; i++) {
      assertThat(limit.allow("10.0.0.1")).as("refilled to the burst, no more").isTrue();
    }
    assertThat(limit.allow("10.0.0.1")).isFalse();
  }

  @Test
  void memoryIsBoundedByForgettingTheLeastRecentClient() {
    ClientRateLimit limit = new ClientRateLimit(clock, 1, 1, 3);
    assertThat(limit.allow("a")).isTrue();
    assertThat(limit.allow("b")).isTrue();
    assertThat(limit.allow("c")).isTrue();
    assertThat(limit.allow("a")).as("a is limited, and now the most recent").isFalse();
    assertThat(limit.allow("d")).isTrue(); // b, the least recent, is forgotten
    assertThat(limit.clients()).isEqualTo(3);
    assertThat(limit.allow("a")).as("a was kept").isFalse();
    assertThat(limit.allow("b")).as("b starts afresh").isTrue();
  }
}
