package eu.visio.server;

import com.sun.net.httpserver.HttpServer;
import io.livekit.server.WebhookReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import livekit.LivekitWebhook.WebhookEvent;

/**
 * A webhook receiver on loopback for tests: each POST is checked by LiveKit's own {@link
 * WebhookReceiver} (signature and body hash under the test keys) and queued.
 */
public final class WebhookInbox implements AutoCloseable {
  private final LinkedBlockingQueue<WebhookEvent> events = new LinkedBlockingQueue<>();
  private final HttpServer server;

  public WebhookInbox() throws IOException {
    WebhookReceiver sdk = new WebhookReceiver(TestServers.API_KEY, TestServers.API_SECRET);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/livekit",
        ex -> {
          String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          events.add(sdk.receive(body, ex.getRequestHeaders().getFirst("Authorization")));
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    server.start();
  }

  /** Where servers send their webhooks. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/livekit");
  }

  /** The next event, or null after {@code millis}. */
  public WebhookEvent poll(long millis) throws InterruptedException {
    return events.poll(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Every event received until none comes for {@code quietMillis}: the event name, and the
   * participant's identity for participant events.
   */
  public List<String> drain(long quietMillis) throws InterruptedException {
    return drainEvents(quietMillis).stream()
        .map(e -> e.getEvent() + (e.hasParticipant() ? " " + e.getParticipant().getIdentity() : ""))
        .toList();
  }

  /** Every event received until none comes for {@code quietMillis}. */
  public List<WebhookEvent> drainEvents(long quietMillis) throws InterruptedException {
    List<WebhookEvent> received = new ArrayList<>();
    WebhookEvent e;
    while ((e = poll(quietMillis)) != null) {
      received.add(e);
    }
    return received;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
