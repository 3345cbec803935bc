package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import eu.visio.media.stun.StunCredentials;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TurnCredentialsTest {
  private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_699_999_000L));
  private final TurnCredentials credentials = new TurnCredentials("north-secret", clock);

  /**
   * Expected values computed outside this code base (Python's hmac and hashlib): {@code
   * base64(HMAC-SHA1("north-secret", "1700000000:alice"))} and {@code MD5(username ":visio.test:"
   * password)}, the long-term key of RFC 8489 §9.2.2.
   */
  @Test
  void restFormAndLongTermKeyMatchAnIndependentComputation() {
    var c = credentials.issue("alice", Duration.ofSeconds(1000));
    assertThat(c.username()).isEqualTo("1700000000:alice");
    assertThat(c.password()).isEqualTo("g+jb180fcj+xlpA/2mP60OdIgU0=");
    assertThat(c.expires()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    assertThat(StunCredentials.longTermKey(c.username(), "visio.test", c.password()))
        .isEqualTo(HexFormat.of().parseHex("77cf8406e0a6ff0b3662eb3c08f54211"));
    assertThat(c.toString()).doesNotContain(c.password());
  }

  @Test
  void currentUntilTheExpirySecond() {
    var c = credentials.issue("alice", Duration.ofSeconds(10));
    assertThat(credentials.isCurrent(c.username())).isTrue();
    clock.advance(Duration.ofSeconds(9));
    assertThat(credentials.isCurrent(c.username())).isTrue();
    clock.advance(Duration.ofSeconds(1));
    assertThat(credentials.isCurrent(c.username())).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "1700000000:alice     | 1700000000 | alice",
        "1700000000:a:b       | 1700000000 | a:b",
        "0:x                  | 0          | x",
        "alice                | -1         | ''",
        ":alice               | -1         | ''",
        "17000x0000:alice     | -1         | ''",
        "1700000000:          | -1         | ''",
        "99999999999999999999:a | -1       | ''",
      })
  void usernameForm(String username, long expiry, String identity) {
    assertThat(TurnCredentials.expiry(username)).isEqualTo(expiry);
    if (expiry >= 0) {
      assertThat(TurnCredentials.identity(username)).isEqualTo(identity);
    } else {
      assertThat(credentials.isCurrent(username)).isFalse();
    }
  }

  @Test
  void badIdentitiesAndTtlsAreRefused() {
    assertThatThrownBy(() -> credentials.issue("", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> credentials.issue("a\nb", Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> credentials.issue("x".repeat(201), Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> credentials.issue("alice", Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
