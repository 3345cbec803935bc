package eu.visio.media.turn;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TurnNoncesTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final TurnNonces nonces = new TurnNonces(clock);
  private final InetAddress client = InetAddress.ofLiteral("198.51.100.4");

  @Test
  void validForItsClientForTenMinutes() {
    String n = nonces.issue(client);
    assertThat(nonces.isValid(n, client)).isTrue();
    clock.advance(TurnNonces.VALIDITY);
    assertThat(nonces.isValid(n, client)).isTrue();
    clock.advance(Duration.ofMillis(1));
    assertThat(nonces.isValid(n, client)).isFalse();
  }

  @Test
  void boundToTheClientAddress() {
    String n = nonces.issue(client);
    assertThat(nonces.isValid(n, InetAddress.ofLiteral("198.51.100.5"))).isFalse();
    assertThat(nonces.isValid(n, InetAddress.ofLiteral("::1"))).isFalse();
  }

  @Test
  void anotherServersNonceIsRefused() {
    String n = new TurnNonces(clock).issue(client);
    assertThat(nonces.isValid(n, client)).isFalse();
  }

  /** The timestamp is covered by the tag: moving it forward to extend the nonce is caught. */
  @Test
  void tamperedTimestampIsRefused() {
    String n = nonces.issue(client);
    byte[] raw = Base64.getUrlDecoder().decode(n);
    raw[7] ^= 1;
    assertThat(nonces.isValid(Base64.getUrlEncoder().withoutPadding().encodeToString(raw), client))
        .isFalse();
  }

  @Test
  void garbageIsRefused() {
    assertThat(nonces.isValid(null, client)).isFalse();
    assertThat(nonces.isValid("", client)).isFalse();
    assertThat(nonces.isValid("!".repeat(32), client)).isFalse();
    assertThat(nonces.isValid("A".repeat(32), client)).isFalse();
    assertThat(nonces.isValid(nonces.issue(client) + "A", client)).isFalse();
  }

  @Test
  void fromTheFutureIsRefused() {
    MutableClock ahead = new MutableClock(Instant.parse("2026-01-01T00:01:00Z"));
    TurnNonces same = new TurnNonces(ahead);
    String n = same.issue(client);
    ahead.advance(Duration.ofMinutes(-1)); // the server's clock stepped back a minute
    assertThat(same.isValid(n, client)).isFalse();
  }
}
