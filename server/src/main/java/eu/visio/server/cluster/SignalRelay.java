package eu.visio.server.cluster;

import io.javalin.websocket.WsContext;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's signalling WebSocket relayed to the node its room lives on: a WebSocket from this
 * node to the home node's {@code /rtc} with the client's query string (its token and join request:
 * the home node verifies the token itself), and every message copied both ways, unchanged. Each
 * side is closed when the other closes. Media does not come through here: the home node's answers
 * carry its own ICE candidates, so the client's media goes straight to it.
 */
public final class SignalRelay implements WebSocket.Listener {
  private static final Logger log = LoggerFactory.getLogger(SignalRelay.class);

  /** Marks a relayed connection: the home node never relays it again (no loops). */
  public static final String HEADER = "X-Visio-Relay";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** RFC 6455 §7.4.1: the server met a condition that kept it from serving the request. */
  private static final int INTERNAL_ERROR = 1011;

  /** RFC 6455 §7.4.1: reported (never sent) when a connection ended without a close frame. */
  private static final int ABNORMAL_CLOSURE = 1006;

  private final WsContext client;
  private final String label;
  private final Runnable broken;
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private final StringBuilder text = new StringBuilder();
  // Sends to the home node, chained: the JDK's WebSocket takes one outstanding send at a time.
  private CompletableFuture<WebSocket> tail;
  private volatile boolean closed;

  private SignalRelay(WsContext client, String label, Runnable broken) {
    this.client = client;
    this.label = label;
    this.broken = broken;
  }

  /**
   * Opens the relay for {@code client} to {@code home} (the home node's HTTP URL), on the same path
   * and query; waits at most {@link #CONNECT_TIMEOUT}. {@code broken} runs when the connection to
   * the home node later ends without a close (the node died): the client's WebSocket is closed at
   * once, so that livekit-client reconnects at once.
   *
   * @throws RelayFailedException the home node could not be reached
   */
  public static SignalRelay open(
      HttpClient http,
      WsContext client,
      URI home,
      String path,
      String from,
      String label,
      Runnable broken)
      throws RelayFailedException {
    String scheme = "https".equals(home.getScheme()) ? "wss" : "ws";
    String query = client.queryString();
    URI target =
        URI.create(
            scheme
                + "://"
                + home.getRawAuthority()
                + path
                + (query == null || query.isEmpty() ? "" : "?" + query));
    SignalRelay relay = new SignalRelay(client, label, broken);
    try {
      WebSocket ws =
          http.newWebSocketBuilder()
              .connectTimeout(CONNECT_TIMEOUT)
              .header(HEADER, from)
              .buildAsync(target, relay)
              .get(CONNECT_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
      synchronized (relay) {
        relay.tail = CompletableFuture.completedFuture(ws);
      }
      return relay;
    } catch (ExecutionException | TimeoutException e) {
      throw new RelayFailedException(
          "the room's node " + home.getRawAuthority() + " cannot be reached", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RelayFailedException("interrupted while reaching the room's node", e);
    }
  }

  /** A message from the client, to the home node ({@code data} is copied: Jetty reuses it). */
  public synchronized void fromClient(ByteBuffer data, String message) {
    if (closed) {
      return;
    }
    if (data != null) {
      ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data.duplicate()).flip();
      tail = tail.thenCompose(ws -> ws.sendBinary(copy, true));
    } else {
      tail = tail.thenCompose(ws -> ws.sendText(message, true));
    }
    tail.whenComplete(this::onSendFailure);
  }

  /** The client went away: close toward the home node once what was sent has gone. */
  public synchronized void clientClosed() {
    if (closed) {
      return;
    }
    closed = true;
    tail =
        tail.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
            .whenComplete((ws, e) -> {});
  }

  private void onSendFailure(WebSocket ws, Throwable e) {
    if (e != null && !closed) {
      log.info("{}: relay to the home node failed: {}", label, e.getMessage());
      closeClient(INTERNAL_ERROR, "the room's node went away");
    }
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
    byte[] part = new byte[data.remaining()]; // signalling, not the media path: copies are fine
    data.get(part);
    binary.writeBytes(part);
    if (last) {
      client.send(ByteBuffer.wrap(binary.toByteArray()));
      binary.reset();
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    text.append(data);
    if (last) {
      client.send(text.toString());
      text.setLength(0);
    }
    ws.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
    if (status == ABNORMAL_CLOSURE && !closed) {
      broken.run();
    }
    // The home node's reason (a refused token, a removal) is the client's.
    closeClient(sendable(status) ? status : WebSocket.NORMAL_CLOSURE, reason);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    log.info("{}: relay connection failed: {}", label, error.getMessage());
    if (!closed) {
      broken.run();
    }
    closeClient(INTERNAL_ERROR, "the room's node went away");
  }

  private void closeClient(int status, String reason) {
    synchronized (this) {
      closed = true;
    }
    client.closeSession(status, reason);
  }

  /** 1005, 1006 and 1015 only report a close; they are never sent in one. */
  private static boolean sendable(int status) {
    return status >= 1000 && status < 5000 && status != 1005 && status != 1006 && status != 1015;
  }

  /** The home node could not be reached. */
  public static final class RelayFailedException extends Exception {
    private static final long serialVersionUID = 1L;

    RelayFailedException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
