package eu.visio.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * {@code visio --drain}: asks the server a configuration describes, on this host, to drain ({@code
 * POST /admin/drain?wait=true} on loopback, or on its bind address) and waits for its answer, which
 * comes once the drain is over. The token is made here from the configured keys (the first by
 * name), lasts five minutes and grants what {@link AdminRoutes} asks: roomAdmin and roomList for no
 * room. A Kubernetes preStop hook runs it in the server's container, with its environment.
 */
final class DrainCommand {
  /** The token's life: the drain and its answer fit in it (drain_timeout is at most an hour). */
  static final Duration TOKEN_LIFE = Duration.ofMinutes(5);

  // Beyond the drain's own timeout: the server answers at its deadline, then this gives up.
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(30);

  /** Server-wide administrator: roomList and roomAdmin, for no particular room. */
  private static final VideoGrant ADMIN =
      new VideoGrant(
          false, true, false, true, false, "", null, null, null, null, null, false, false, false,
          false, null, null);

  private DrainCommand() {}

  /**
   * Asks and waits; prints one line saying what happened.
   *
   * @return 0 once the server drained with nobody left; 1 when participants were left at the
   *     timeout, the server refused (keys that do not match its own), or it could not be reached
   */
  static int run(ServerConfig cfg, Duration timeout, PrintStream out) {
    URI uri =
        URI.create(
            "http://"
                + loopbackOr(cfg.bindAddress())
                + ":"
                + cfg.httpPort()
                + "/admin/drain?wait=true&timeout_s="
                + timeout.toSeconds());
    String token =
        TokenIssuer.forKey(cfg.apiKeys(), firstKey(cfg), Clock.systemUTC())
            .issue("visio-drain", null, null, Map.of(), ADMIN, TOKEN_LIFE);
    HttpResponse<String> r;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      r =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(timeout.plus(ANSWER_MARGIN))
                  .header("Authorization", "Bearer " + token)
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      out.println("visio: cannot ask " + uri + " to drain: " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.println("visio: interrupted while " + uri + " drained");
      return 1;
    }
    if (r.statusCode() != 200) {
      out.println(
          "visio: the server refused to drain (HTTP " + r.statusCode() + "): " + r.body().strip());
      return 1;
    }
    int left = participantsLeft(r.body());
    if (left != 0) {
      out.println(
          "visio: the drain timed out after "
              + timeout.toSeconds()
              + " s with "
              + (left < 0 ? "an unreadable count of" : Integer.toString(left))
              + " participant(s) still here: "
              + r.body());
      return 1;
    }
    out.println("visio: drained: " + r.body());
    return 0;
  }

  /** The participants the final status reports; -1 when it cannot be read. */
  private static int participantsLeft(String body) {
    try {
      JsonNode n = new ObjectMapper().readTree(body).path("participants");
      return n.isInt() ? n.asInt() : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Where the server listens, as a URL host: loopback for a wildcard bind. */
  private static String loopbackOr(String bind) {
    try {
      if (InetAddress.getByName(bind).isAnyLocalAddress()) {
        return "127.0.0.1";
      }
    } catch (UnknownHostException e) {
      return bind; // a name: as configured
    }
    return bind.contains(":") ? "[" + bind + "]" : bind;
  }

  private static String firstKey(ServerConfig cfg) {
    return cfg.apiKeys().keyNames().stream().sorted().findFirst().orElse("");
  }
}
