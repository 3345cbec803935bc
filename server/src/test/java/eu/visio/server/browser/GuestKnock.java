package eu.visio.server.browser;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A guest knocking over the API alone (no browser): a guest session, then POST /join, which answers
 * 202 and puts them in the lobby of a trusted meeting.
 */
final class GuestKnock {
  private GuestKnock() {}

  /** Knocks at {@code code} as {@code name}; returns the join's HTTP status. */
  static int knock(String base, String code, String name) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> session =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/session/guest"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"" + name + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String cookie = session.headers().firstValue("Set-Cookie").orElseThrow();
    String csrf = session.body().replaceAll(".*\"csrf_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    return http.send(
            HttpRequest.newBuilder(URI.create(base + "/api/v1/rooms/" + code + "/join"))
                .header("Content-Type", "application/json")
                .header("Cookie", cookie.substring(0, cookie.indexOf(';')))
                .header("X-CSRF-Token", csrf)
                .POST(HttpRequest.BodyPublishers.ofString(""))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
