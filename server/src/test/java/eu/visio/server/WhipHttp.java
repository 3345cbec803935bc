package eu.visio.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A plain HTTP client for one test server, plus the SDP fixtures the WHIP tests post. */
final class WhipHttp {
  static final String SDP = "application/sdp";
  static final String TRICKLE = "application/trickle-ice-sdpfrag";

  /** A Chrome trickle fragment (RFC 8840): a candidate for the first m-line. */
  static final String TRICKLE_FRAGMENT =
      "a=ice-ufrag:Hk3q\r\na=ice-pwd:Yq0DPmKbYgCvxsCfGZ4n8Lj2\r\nm=audio 9 UDP/TLS/RTP/SAVPF 0\r\n"
          + "a=mid:0\r\na=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host\r\n";

  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI base;

  WhipHttp(VisioServer server) {
    base = URI.create("http://127.0.0.1:" + server.httpPort());
  }

  HttpResponse<String> post(String path, String contentType, String body, String... headers) {
    return send("POST", path, contentType, BodyPublishers.ofString(body), headers);
  }

  HttpResponse<String> delete(String path, String... headers) {
    return send("DELETE", path, null, BodyPublishers.noBody(), headers);
  }

  HttpResponse<String> get(String path) {
    return send("GET", path, null, BodyPublishers.noBody());
  }

  /**
   * Any request; {@code headers} are name/value pairs. A null {@code contentType} sends none (the
   * JDK client adds no default).
   */
  HttpResponse<String> send(
      String method, String path, String contentType, BodyPublisher body, String... headers) {
    return send(false, method, path, contentType, body, headers);
  }

  /**
   * A request that, with {@code expectContinue}, sends {@code Expect: 100-continue} and holds the
   * body back until the server asks for it.
   */
  HttpResponse<String> send(
      boolean expectContinue,
      String method,
      String path,
      String contentType,
      BodyPublisher body,
      String... headers) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .expectContinue(expectContinue)
            .method(method, body);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    if (headers.length > 0) {
      b.headers(headers);
    }
    try {
      return client.send(b.build(), BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** An SDP fixture from {@code src/test/resources/sdp/}. */
  static String fixture(String name) {
    try (InputStream in = WhipHttp.class.getResourceAsStream("/sdp/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
