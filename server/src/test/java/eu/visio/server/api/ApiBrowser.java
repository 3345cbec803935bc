package eu.visio.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * One browser against the meeting API: its session cookie, sent back by hand as browsers do (RFC
 * 6265 {@code name=value}), and its session's CSRF token.
 */
public final class ApiBrowser {
  static final ObjectMapper JSON = new ObjectMapper();

  private final int port;
  private final HttpClient http = HttpClient.newHttpClient();
  private String cookie = "";
  private String csrf = "";

  public ApiBrowser(int port) {
    this.port = port;
  }

  /** A guest session named {@code name}. */
  public static ApiBrowser guest(int port, String name) throws Exception {
    ApiBrowser b = new ApiBrowser(port);
    b.signIn("/api/v1/session/guest", "{\"name\":\"" + name + "\"}");
    return b;
  }

  /** A development sign-in as {@code email}. */
  public static ApiBrowser user(int port, String email) throws Exception {
    ApiBrowser b = new ApiBrowser(port);
    b.signIn("/api/v1/session/dev", "{\"email\":\"" + email + "\"}");
    return b;
  }

  public String cookie() {
    return cookie;
  }

  public HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .header("X-CSRF-Token", csrf)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (!cookie.isEmpty()) {
      b.header("Cookie", cookie);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    r.headers().firstValue("Set-Cookie").ifPresent(c -> cookie = c.substring(0, c.indexOf(';')));
    return r;
  }

  /** Sends and expects {@code status}; the JSON answer, or null when empty. */
  public JsonNode ok(String method, String path, String body, int status) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(status);
    return r.body().isEmpty() ? null : JSON.readTree(r.body());
  }

  /** A new trusted meeting's code (guests knock). */
  public String trustedRoom() throws Exception {
    return ok("POST", "/api/v1/rooms", "{\"name\":\"Team\",\"access_level\":\"trusted\"}", 201)
        .get("code")
        .asText();
  }

  public EventStream events(String code) throws Exception {
    return EventStream.open(port, "/api/v1/rooms/" + code + "/events", cookie);
  }

  private void signIn(String path, String body) throws Exception {
    HttpResponse<String> r = send("POST", path, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    csrf = JSON.readTree(r.body()).get("csrf_token").asText();
  }
}
