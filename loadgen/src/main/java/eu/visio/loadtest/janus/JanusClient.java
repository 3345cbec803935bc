package eu.visio.loadtest.janus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Janus session over the HTTP API, shared by every bot of a run (each bot attaches handles of
 * its own): requests are POSTed; asynchronous plugin replies arrive on the session's long poll,
 * which a thread of its own keeps open, and are matched to their request by transaction. A
 * keepalive every 20 s holds the session against Janus's timeout should the long poll lag.
 */
public final class JanusClient implements AutoCloseable {
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL_TIMEOUT = Duration.ofSeconds(60);
  private static final long KEEPALIVE_SECONDS = 20;
  private static final int MAX_POLL_FAILURES = 5;

  /** {@code -Dloadtest.debug=true}: every request and event goes to the log. */
  private static final boolean DEBUG = Boolean.getBoolean("loadtest.debug");

  private final HttpClient http;
  private final URI base;
  private final PrintStream log;
  private final AtomicLong transactions = new AtomicLong();
  private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final ScheduledExecutorService keepalive =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().name("janus-keepalive").daemon(true).factory());
  private volatile boolean open = true;
  private long session;
  private URI sessionUri;
  private Thread poller;

  /**
   * @param base the API's root, {@code http://127.0.0.1:PORT/janus}
   */
  public JanusClient(HttpClient http, URI base, PrintStream log) {
    this.http = http;
    this.base = base;
    this.log = log;
  }

  /** Creates the session and starts its long poll and keepalives. */
  public void connect() throws IOException, InterruptedException {
    session = JanusMessages.successId(post(base, JanusMessages.core("create", tx())));
    sessionUri = URI.create(base + "/" + session);
    poller = Thread.ofPlatform().name("janus-poll").daemon(true).start(this::poll);
    keepalive.scheduleAtFixedRate(
        () -> postAsync(sessionUri, JanusMessages.core("keepalive", tx())),
        KEEPALIVE_SECONDS,
        KEEPALIVE_SECONDS,
        TimeUnit.SECONDS);
  }

  /** Attaches a handle to {@code plugin}; completes with its id. */
  public CompletableFuture<Long> attach(String plugin) {
    return postAsync(sessionUri, JanusMessages.attach(tx(), plugin))
        .thenApply(JanusMessages::successId);
  }

  /**
   * A synchronous plugin request (such as {@code create}): completes with the reply, or fails with
   * its error.
   */
  public CompletableFuture<JsonNode> request(long handle, ObjectNode body) {
    return postAsync(handleUri(handle), JanusMessages.message(tx(), body, null));
  }

  /**
   * An asynchronous plugin request (such as {@code joinandconfigure}, {@code join}, {@code start}),
   * with an SDP when {@code jsep} is not null: completes with the event that answers it (from the
   * long poll), or fails with its error.
   */
  public CompletableFuture<JsonNode> message(long handle, ObjectNode body, ObjectNode jsep) {
    String tx = tx();
    CompletableFuture<JsonNode> event = new CompletableFuture<>();
    pending.put(tx, event);
    postAsync(handleUri(handle), JanusMessages.message(tx, body, jsep))
        .whenComplete(
            (ack, e) -> {
              if (e != null) {
                pending.remove(tx);
                event.completeExceptionally(e);
              } else if (!"ack".equals(ack.path("janus").asText())) {
                // A plugin may answer at once instead of acknowledging.
                pending.remove(tx);
                event.complete(ack);
              }
            });
    return event
        .orTimeout(REQUEST_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .whenComplete((e, error) -> pending.remove(tx)) // the entry of one that timed out
        .thenApply(JanusClient::checked);
  }

  private URI handleUri(long handle) {
    return URI.create(sessionUri + "/" + handle);
  }

  private String tx() {
    return "t" + transactions.incrementAndGet();
  }

  private JsonNode post(URI uri, ObjectNode body) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(request(uri, body), HttpResponse.BodyHandlers.ofString());
    return checked(parse(r));
  }

  private CompletableFuture<JsonNode> postAsync(URI uri, ObjectNode body) {
    return http.sendAsync(request(uri, body), HttpResponse.BodyHandlers.ofString())
        .thenApply(JanusClient::parse)
        .thenApply(JanusClient::checked);
  }

  private HttpRequest request(URI uri, ObjectNode body) {
    if (DEBUG) {
      log.println("janus > " + uri.getPath() + " " + body);
    }
    return HttpRequest.newBuilder(uri)
        .timeout(REQUEST_TIMEOUT)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private static JsonNode parse(HttpResponse<String> r) {
    if (r.statusCode() != 200) {
      throw new IllegalStateException("Janus answered HTTP " + r.statusCode() + ": " + r.body());
    }
    try {
      return JanusMessages.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("Janus answered no JSON: " + r.body(), e);
    }
  }

  private static JsonNode checked(JsonNode reply) {
    String error = JanusMessages.error(reply);
    if (error != null) {
      throw new IllegalStateException(error);
    }
    return reply;
  }

  /**
   * The long poll: up to 50 events per GET, each handed to the request waiting for it. A failed
   * poll is retried a few times (the events of a response that broke are lost: their requests time
   * out), then every waiting request fails.
   */
  private void poll() {
    URI uri = URI.create(sessionUri + "?maxev=50");
    int failures = 0;
    while (open) {
      try {
        HttpRequest r = HttpRequest.newBuilder(uri).timeout(POLL_TIMEOUT).GET().build();
        JsonNode events = parse(http.send(r, HttpResponse.BodyHandlers.ofString()));
        failures = 0;
        if (events.isArray()) {
          for (JsonNode e : events) {
            dispatch(e);
          }
        } else {
          dispatch(events);
        }
      } catch (IOException | RuntimeException e) {
        if (!open) {
          return;
        }
        log.println("janus: long poll failed: " + e);
        if (++failures >= MAX_POLL_FAILURES) {
          failAll(e);
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void dispatch(JsonNode event) {
    if (DEBUG) {
      log.println("janus < " + event);
    }
    String kind = event.path("janus").asText();
    CompletableFuture<JsonNode> f =
        event.has("transaction") ? pending.remove(event.path("transaction").asText()) : null;
    if (f != null) {
      f.complete(event);
    } else if (DEBUG && (kind.equals("hangup") || kind.equals("detached"))) {
      log.println("janus: handle " + event.path("sender").asLong() + " " + kind + ": " + event);
    }
    // keepalive, webrtcup, media, slowlink and unsolicited plugin events need nothing.
  }

  private void failAll(Throwable e) {
    for (String tx : pending.keySet()) {
      CompletableFuture<JsonNode> f = pending.remove(tx);
      if (f != null) {
        f.completeExceptionally(e);
      }
    }
  }

  /** Destroys the session (its handles hang up) and stops polling. */
  @Override
  public void close() {
    open = false;
    keepalive.shutdownNow();
    if (sessionUri != null) {
      try {
        postAsync(sessionUri, JanusMessages.core("destroy", tx())).get(3, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Janus is stopped next anyway.
      }
    }
    if (poller != null) {
      poller.interrupt();
    }
    failAll(new IllegalStateException("closed"));
  }
}
