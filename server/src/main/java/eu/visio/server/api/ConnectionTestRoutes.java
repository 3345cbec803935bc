package eu.visio.server.api;

import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection test page's token: it lets a browser check that signalling ({@code /rtc}) and
 * media reach this server before a meeting, without a session. The token joins a room of its own
 * (random name, no one else can be in it), publishes and subscribes to nothing, sends no data, and
 * must be used within {@link #TTL}; the room goes away when the test leaves it. Rate-limited per
 * address: each token costs a signalling session and a transport.
 */
final class ConnectionTestRoutes {
  /** Long enough to open the WebSocket after the page asks; the session outlives it. */
  static final Duration TTL = Duration.ofMinutes(2);

  /** Room names: a prefix no meeting code has (codes are letters and dashes only). */
  static final String ROOM_PREFIX = "conntest_";

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int RANDOM_CHARS = 16; // 80 bits: rooms cannot be guessed

  private final Api api;
  private final TokenIssuer issuer;
  private final SecureRandom random = new SecureRandom();
  private final ClientRateLimit limit;

  ConnectionTestRoutes(Api api, TokenIssuer issuer, Clock clock) {
    this.api = api;
    this.issuer = issuer;
    this.limit = new ClientRateLimit(clock, 5, 10, 100_000);
  }

  List<Route> routes() {
    return List.of(new Route("post", "/api/v1/connection-test", this::token));
  }

  private void token(Context ctx) {
    Api.limit(ctx, limit, ctx.ip());
    String room = ROOM_PREFIX + randomChars();
    String identity = "conntest-" + randomChars();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("room", room);
    m.put("token", issuer.issue(identity, null, null, Map.of(), grant(room), TTL));
    m.put("expires_in", TTL.toSeconds());
    ctx.header("Cache-Control", "no-store");
    api.write(ctx.status(201), m);
  }

  /** Join {@code room}; nothing else (publish, subscribe and data explicitly denied). */
  static VideoGrant grant(String room) {
    return new VideoGrant(
        false, false, false, false, true, room, false, false, false, List.of(), false, false, false,
        false, false, false, null);
  }

  private String randomChars() {
    StringBuilder b = new StringBuilder(RANDOM_CHARS);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }
}
