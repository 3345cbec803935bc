package eu.visio.signal.token;

import java.time.Clock;
import java.time.Duration;

/**
 * Mints the short tokens a connected client gets in LiveKit's {@code refresh_token}: the same
 * identity and grants as the token it joined with, signed with the same API key, so that a client
 * whose first token expired can still reconnect fully.
 */
public final class TokenRefresher {
  /** Shortest validity of a refreshed token (LiveKit's). */
  public static final Duration TTL = Duration.ofMinutes(10);

  private final ApiKeys keys;
  private final Clock clock;

  public TokenRefresher(ApiKeys keys, Clock clock) {
    this.keys = keys;
    this.clock = clock;
  }

  /**
   * A fresh token for the participant {@code claims} describe, with its current {@code name},
   * {@code metadata} and {@code attributes}; null if its API key is no longer configured.
   */
  public String refresh(
      AccessClaims claims, String name, String metadata, java.util.Map<String, String> attributes) {
    byte[] secret = keys.secret(claims.apiKey());
    if (secret == null) {
      return null;
    }
    // Like LiveKit: never shorter than the token it replaces.
    Duration ttl = TTL;
    if (claims.expires() != null) {
      Duration remaining = Duration.between(clock.instant(), claims.expires());
      ttl = remaining.compareTo(ttl) > 0 ? remaining : ttl;
    }
    return new TokenIssuer(claims.apiKey(), secret, clock)
        .issue(claims.identity(), name, metadata, attributes, claims.video(), ttl);
  }
}
