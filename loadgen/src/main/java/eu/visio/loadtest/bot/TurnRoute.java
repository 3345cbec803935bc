package eu.visio.loadtest.bot;

import java.net.InetSocketAddress;

/**
 * A TURN server a bot's media goes through (over UDP) instead of straight to the SFU, and the
 * long-term credentials it allocates with (TURN REST: {@code expiry:identity} and the base64
 * HMAC-SHA1 of it under the server's secret). The password stays out of {@link #toString()}.
 */
public record TurnRoute(InetSocketAddress server, String username, String password) {
  @Override
  public String toString() {
    return "TurnRoute[" + server + ", " + username + "]";
  }
}
