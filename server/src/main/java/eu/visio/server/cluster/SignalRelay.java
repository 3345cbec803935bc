package eu.visio.server.cluster;

import eu.visio.signal.livekit.SignalCodec;
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
import java.util.function.Supplier;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.SignalResponse;
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

  /**
   * LiveKit's LeaveRequest RECONNECT: the client joins again in full, through placement (its room
   * moved, or its node drains); livekit-client does so at once.
   */
  public static final SignalResponse RECONNECT_LEAVE =
      SignalResponse.newBuilder()
          .setLeave(
              LeaveRequest.newBuilder()
                  .setCanReconnect(true)
                  .setAction(LeaveRequest.Action.RECONNECT)
                  .setReason(DisconnectReason.MIGRATION))
          .build();

  /** Marks a relayed connection: the home node never relays it again (no loops). */
  public static final String HEADER = "X-Visio-Relay";

  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** RFC 6455 §7.4.1: the server met a condition that kept it from serving the request. */
  private static final int INTERNAL_ERROR = 1011;

  /** RFC 6455 §7.4.1: reported (never sent) when a connection ended without a close frame. */
  private static final int ABNORMAL_CLOSURE = 1006;

  /** IANA WebSocket close code: service restart (the client may reconnect at once). */
  private static final int SERVICE_RESTART = 1012;

  private final WsContext client;
  private final String label;
  private final Supplier<CompletableFuture<Boolean>> homeDead;
  private volatile boolean json;
  private volatile boolean broken;
  private final ByteArrayOutputStream binary = new ByteArrayOutputStream();
  private final StringBuilder text = new StringBuilder();
  // Sends to the home node, chained: the JDK's WebSocket takes one outstanding send at a time.
  private CompletableFuture<WebSocket> tail;
  private volatile boolean closed;

  private SignalRelay(
      WsContext client, String label, Supplier<CompletableFuture<Boolean>> homeDead) {
    this.client = client;
    this.label = label;
    this.homeDead = homeDead;
  }

  /**
   * Opens the relay for {@code client} to {@code home} (the home node's HTTP URL), on the same path
   * and query; waits at most {@link #CONNECT_TIMEOUT}. {@code homeDead} is asked when the
   * connection to the home node later breaks (ends without a close, or a send fails): true when the
   * home is dead (and its room placed again), then the client's session died with it and the client
   * is told to join again in full at once (LiveKit's LeaveRequest RECONNECT: no resume attempt to
   * fail first); else the client's WebSocket is closed and it resumes, its session still on the
   * home (media goes there directly: only signalling was cut).
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
      Supplier<CompletableFuture<Boolean>> homeDead)
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
    SignalRelay relay = new SignalRelay(client, label, homeDead);
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
      json = true; // it speaks JSON: our own message to it (a leave) goes in JSON too
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

  /**
   * This node drains: the client's WebSocket is closed (1012) so that livekit-client resumes,
   * through another node (a load balancer no longer sends it here), and the home node, told only
   * that this connection closed, keeps the session for that resume.
   */
  public void handOff() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    // The client first: the home's answer to our close would otherwise reach it first (1000).
    client.closeSession(SERVICE_RESTART, "this server is draining; resume through another");
    synchronized (this) {
      tail =
          tail.thenCompose(ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, ""))
              .whenComplete((ws, e) -> {});
    }
  }

  private void onSendFailure(WebSocket ws, Throwable e) {
    if (e != null && !closed && !broken) {
      log.info("{}: relay to the home node failed: {}", label, e.getMessage());
      broke();
    }
  }

  /**
   * The connection to the home node broke: once {@code homeDead} has answered, the client is told
   * to join again (home dead) or its WebSocket is closed so that it resumes (home alive).
   */
  private void broke() {
    synchronized (this) {
      if (broken || closed) {
        return;
      }
      broken = true;
    }
    homeDead
        .get()
        .exceptionally(e -> false)
        .thenAccept(
            dead -> {
              if (closed) {
                return; // the client left meanwhile
              }
              if (dead) {
                SignalResponse leave = RECONNECT_LEAVE;
                if (json) {
                  client.send(SignalCodec.encodeJson(leave));
                } else {
                  client.send(ByteBuffer.wrap(SignalCodec.encodeBinary(leave)));
                }
                closeClient(SERVICE_RESTART, "the room's node died; join again");
              } else {
                closeClient(INTERNAL_ERROR, "the room's node went away");
              }
            });
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
    if (status == ABNORMAL_CLOSURE) {
      log.info("{}: relay connection to the home node ended without a close", label);
      broke();
      return null;
    }
    // The home node's reason (a refused token, a removal) is the client's.
    closeClient(sendable(status) ? status : WebSocket.NORMAL_CLOSURE, reason);
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    log.info("{}: relay connection failed: {}", label, error.getMessage());
    broke();
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
