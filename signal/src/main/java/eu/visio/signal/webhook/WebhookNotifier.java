package eu.visio.signal.webhook;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import eu.visio.signal.livekit.RoomEvents;
import eu.visio.signal.token.TokenIssuer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitWebhook.WebhookEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers room events to the configured URLs as LiveKit does ({@code protocol/webhook}'s URL
 * notifier): one queue per URL (order kept), the body is the event in protobuf JSON with content
 * type {@code application/webhook+json}, the {@code Authorization} header an HS256 token of the API
 * key whose {@code sha256} claim is the body's digest. Connection errors, 429 and 5xx answers are
 * retried with exponential backoff; an event still undelivered after the last retry is counted as
 * failed. A full queue drops the event, counted, and the next delivered event says how many were
 * dropped ({@code num_dropped}). {@link #notify} never blocks: room workers call it.
 */
public final class WebhookNotifier implements RoomEvents, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WebhookNotifier.class);
  private static final JsonFormat.Printer JSON =
      JsonFormat.printer().omittingInsignificantWhitespace();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  /** LiveKit's content type: a custom one so that receivers check the signature before parsing. */
  public static final String CONTENT_TYPE = "application/webhook+json";

  /**
   * Delivery settings; LiveKit's defaults are 100 queued events per URL, 4 retries, backoff from 1
   * s to 30 s.
   */
  public record Config(
      List<URI> urls,
      int queueSize,
      int maxRetries,
      Duration minBackoff,
      Duration maxBackoff,
      Duration requestTimeout) {
    public Config {
      urls = List.copyOf(urls);
      for (URI u : urls) {
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
          throw new IllegalArgumentException("webhook URLs are http or https: " + u);
        }
      }
      if (queueSize < 1 || maxRetries < 0) {
        throw new IllegalArgumentException("bad webhook queue or retry settings");
      }
    }

    public static Config defaults(List<URI> urls) {
      return new Config(
          urls, 100, 4, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(10));
    }
  }

  private final Config config;
  private final TokenIssuer signer;
  private final Clock clock;
  private final HttpClient http;
  private final List<Target> targets = new ArrayList<>();
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();

  /** Sends nothing when {@code config} names no URL. */
  public WebhookNotifier(Config config, TokenIssuer signer, Clock clock) {
    this.config = config;
    this.signer = signer;
    this.clock = clock;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    for (URI url : config.urls()) {
      Target t = new Target(url, new ArrayBlockingQueue<>(config.queueSize()));
      t.thread = Thread.ofVirtual().name("webhook-" + url.getHost()).start(() -> deliver(t));
      targets.add(t);
    }
  }

  /** Queues {@code event} for every URL, stamped with an id and the time. Never blocks. */
  public void notify(WebhookEvent event) {
    if (targets.isEmpty()) {
      return;
    }
    WebhookEvent stamped =
        event.toBuilder().setId(id()).setCreatedAt(clock.instant().getEpochSecond()).build();
    for (Target t : targets) {
      if (!t.queue.offer(stamped)) {
        dropped.incrementAndGet();
        t.droppedSinceLast.incrementAndGet();
      }
    }
  }

  private static String id() {
    StringBuilder b = new StringBuilder("EV_");
    for (int i = 0; i < 12; i++) {
      b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    }
    return b.toString();
  }

  private void deliver(Target t) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        WebhookEvent e = t.queue.take();
        e = e.toBuilder().setNumDropped(t.droppedSinceLast.getAndSet(0)).build();
        if (send(t.url, e)) {
          delivered.incrementAndGet();
        } else {
          failed.incrementAndGet();
          log.warn(
              "webhook {} event={} id={} not delivered after {} attempts",
              t.url,
              e.getEvent(),
              e.getId(),
              config.maxRetries() + 1);
        }
      }
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
    }
  }

  /** One event to one URL, with retries; whether it was accepted. */
  private boolean send(URI url, WebhookEvent e) throws InterruptedException {
    byte[] body = encode(e);
    long backoff = config.minBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      int status;
      try {
        HttpRequest request =
            HttpRequest.newBuilder(url)
                .timeout(config.requestTimeout())
                .header("Content-Type", CONTENT_TYPE)
                .header("Authorization", signer.issueBodySignature(body, Duration.ofMinutes(5)))
                .header("User-Agent", "Visio")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      } catch (IOException ex) {
        status = -1;
        log.debug("webhook {} attempt {}: {}", url, attempt + 1, ex.toString());
      }
      if (status >= 200 && status < 300) {
        return true;
      }
      boolean retryable = status == -1 || status == 429 || (status >= 500 && status != 501);
      if (!retryable || attempt >= config.maxRetries()) {
        return false;
      }
      TimeUnit.MILLISECONDS.sleep(backoff);
      backoff = Math.min(backoff * 2, config.maxBackoff().toMillis());
    }
  }

  /**
   * The body: protobuf JSON with lowerCamelCase names, enums by name, 64-bit numbers as strings,
   * defaults omitted, as Go's protojson writes it for LiveKit, but with fields in field-number
   * order rather than declaration order; receivers parse it, and the signature covers our bytes.
   */
  static byte[] encode(WebhookEvent e) {
    try {
      return JSON.print(e).getBytes(StandardCharsets.UTF_8);
    } catch (InvalidProtocolBufferException ex) {
      throw new IllegalStateException("a WebhookEvent always prints", ex);
    }
  }

  public long delivered() {
    return delivered.get();
  }

  public long failed() {
    return failed.get();
  }

  public long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    for (Target t : targets) {
      t.thread.interrupt();
    }
  }

  @Override
  public void roomStarted(Room room) {
    notify(WebhookEvent.newBuilder().setEvent("room_started").setRoom(room).build());
  }

  @Override
  public void roomFinished(Room room) {
    notify(WebhookEvent.newBuilder().setEvent("room_finished").setRoom(room).build());
  }

  @Override
  public void participantJoined(Room room, ParticipantInfo participant) {
    notify(
        WebhookEvent.newBuilder()
            .setEvent("participant_joined")
            .setRoom(room)
            .setParticipant(participant)
            .build());
  }

  @Override
  public void participantLeft(Room room, ParticipantInfo participant) {
    notify(
        WebhookEvent.newBuilder()
            .setEvent("participant_left")
            .setRoom(room)
            .setParticipant(participant)
            .build());
  }

  @Override
  public void trackPublished(Room room, ParticipantInfo participant, TrackInfo track) {
    notify(
        WebhookEvent.newBuilder()
            .setEvent("track_published")
            .setRoom(room)
            .setParticipant(participant)
            .setTrack(track)
            .build());
  }

  @Override
  public void trackUnpublished(Room room, ParticipantInfo participant, TrackInfo track) {
    notify(
        WebhookEvent.newBuilder()
            .setEvent("track_unpublished")
            .setRoom(room)
            .setParticipant(participant)
            .setTrack(track)
            .build());
  }

  /** One URL's queue and the thread that delivers it in order. */
  private static final class Target {
    final URI url;
    final BlockingQueue<WebhookEvent> queue;
    final AtomicInteger droppedSinceLast = new AtomicInteger();
    Thread thread;

    Target(URI url, BlockingQueue<WebhookEvent> queue) {
      this.url = url;
      this.queue = queue;
    }
  }
}
