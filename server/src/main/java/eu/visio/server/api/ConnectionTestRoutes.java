package eu.visio.server.api;

import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.server.ServerConfig;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import io.javalin.http.Context;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The connection test page's token: it lets a browser check that signalling ({@code /rtc}) and
 * media reach this server before a meeting, without a session. The token joins a room of its own
 * (random name, no one else can be in it), publishes and subscribes to nothing, sends no data, and
 * must be used within {@link #TTL}; the room goes away when the test leaves it. Rate-limited per
 * address: each token costs a signalling session and a transport.
 *
 * <p>With it: the ICE servers (this node's TURN, with credentials for the test's identity valid
 * {@link #TURN_TTL}, and the configured ones), and {@link #RELAY_CHECKS} more tokens of the same
 * kind, one per relay check (TURN over UDP, TCP, TLS), each joining as the only relay-policy
 * session of its own room, so the checks run side by side.
 */
final class ConnectionTestRoutes {
  /** Long enough to open the WebSocket after the page asks; the session outlives it. */
  static final Duration TTL = Duration.ofMinutes(2);

  /** The test's TURN credentials: the checks take seconds; an allocation is never refreshed. */
  static final Duration TURN_TTL = Duration.ofMinutes(5);

  /** Tokens for relay checks: TURN over UDP, over TCP, over TLS. */
  static final int RELAY_CHECKS = 3;

  /** Room names: a prefix no meeting code has (codes are letters and dashes only). */
  static final String ROOM_PREFIX = "conntest_";

  private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
  private static final int RANDOM_CHARS = 16; // 80 bits: rooms cannot be guessed

  private final Api api;
  private final TokenIssuer issuer;
  private final SecureRandom random = new SecureRandom();
  private final ClientRateLimit limit;
  private final IceServerIssuer relays;

  ConnectionTestRoutes(Api api, TokenIssuer issuer, IceServerIssuer relays, Clock clock) {
    this.api = api;
    this.issuer = issuer;
    this.relays = relays;
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
    List<Map<String, Object>> servers = new ArrayList<>();
    for (ServerConfig.IceServer s : relays.issue(identity, TURN_TTL)) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("urls", s.urls());
      e.put("username", s.username());
      e.put("credential", s.credential());
      servers.add(e);
    }
    m.put("ice_servers", servers);
    List<String> relayTokens = new ArrayList<>();
    for (int i = 0; i < RELAY_CHECKS && !servers.isEmpty(); i++) {
      String r = ROOM_PREFIX + randomChars();
      relayTokens.add(issuer.issue(identity + "-" + (i + 1), null, null, Map.of(), grant(r), TTL));
    }
    m.put("relay_tokens", relayTokens);
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
