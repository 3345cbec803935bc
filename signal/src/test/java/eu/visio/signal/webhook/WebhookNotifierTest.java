package eu.visio.signal.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import eu.visio.signal.token.TokenIssuer;
import io.livekit.server.WebhookReceiver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitWebhook.WebhookEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Our webhooks as LiveKit's own Java SDK receives them: its {@code WebhookReceiver} checks the
 * signature and decodes every event we send.
 */
class WebhookNotifierTest {
  static final String KEY = "hookkey";
  static final String SECRET = "hook-secret-hook-secret-hook-secret-0123";
  static final Room ROOM = Room.newBuilder().setSid("RM_abc").setName("standup").build();
  static final ParticipantInfo ALICE =
      ParticipantInfo.newBuilder().setSid("PA_abc").setIdentity("alice").build();
  static final TrackInfo MIC =
      TrackInfo.newBuilder().setSid("TR_abc").setType(TrackType.AUDIO).build();

  /** What the receiver got: the body and the Authorization header. */
  record Received(String body, String auth) {}

  private final LinkedBlockingQueue<Received> received = new LinkedBlockingQueue<>();
  private HttpServer receiver;
  private WebhookNotifier notifier;

  /** A loopback receiver answering each POST with the status {@code status} gives. */
  URI start(IntSupplier status) throws Exception {
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext(
        "/hook",
        ex -> {
          byte[] body = ex.getRequestBody().readAllBytes();
          assertThat(ex.getRequestHeaders().getFirst("Content-Type"))
              .isEqualTo("application/webhook+json");
          received.add(
              new Received(
                  new String(body, StandardCharsets.UTF_8),
                  ex.getRequestHeaders().getFirst("Authorization")));
          ex.sendResponseHeaders(status.getAsInt(), -1);
          ex.close();
        });
    receiver.start();
    return URI.create("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
  }

  WebhookNotifier notifier(URI url, int queue, int retries) {
    notifier =
        new WebhookNotifier(
            new WebhookNotifier.Config(
                List.of(url),
                queue,
                retries,
                Duration.ofMillis(10),
                Duration.ofMillis(40),
                Duration.ofSeconds(2)),
            new TokenIssuer(KEY, SECRET),
            Clock.systemUTC());
    return notifier;
  }

  @AfterEach
  void stop() {
    if (notifier != null) {
      notifier.close();
    }
    if (receiver != null) {
      receiver.stop(0);
    }
  }

  Received next() throws InterruptedException {
    Received r = received.poll(5, TimeUnit.SECONDS);
    assertThat(r).as("a webhook within 5 s").isNotNull();
    return r;
  }

  @Test
  void liveKitsReceiverAcceptsEveryEvent() throws Exception {
    WebhookNotifier n = notifier(start(() -> 200), 100, 0);
    n.roomStarted(ROOM);
    n.participantJoined(ROOM, ALICE);
    n.trackPublished(ROOM, ALICE, MIC);
    n.trackUnpublished(ROOM, ALICE, MIC);
    n.participantLeft(ROOM, ALICE);
    n.roomFinished(ROOM);
    WebhookReceiver sdk = new WebhookReceiver(KEY, SECRET);
    List<String> names = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Received r = next();
      WebhookEvent e = sdk.receive(r.body(), r.auth());
      names.add(e.getEvent());
      assertThat(e.getRoom().getName()).isEqualTo("standup");
      assertThat(e.getId()).startsWith("EV_");
      assertThat(e.getCreatedAt()).isCloseTo(System.currentTimeMillis() / 1000, within(5));
      if (e.getEvent().startsWith("participant") || e.getEvent().startsWith("track")) {
        assertThat(e.getParticipant().getIdentity()).isEqualTo("alice");
      }
      if (e.getEvent().startsWith("track")) {
        assertThat(e.getTrack().getSid()).isEqualTo("TR_abc");
      }
    }
    assertThat(names)
        .containsExactly(
            "room_started",
            "participant_joined",
            "track_published",
            "track_unpublished",
            "participant_left",
            "room_finished");
    assertThat(n.delivered()).isEqualTo(6);
  }

  @Test
  void aTamperedBodyOrAnotherSecretIsRefused() throws Exception {
    notifier(start(() -> 200), 100, 0).roomStarted(ROOM);
    Received r = next();
    assertThatThrownBy(
            () ->
                new WebhookReceiver(KEY, SECRET)
                    .receive(r.body().replace("standup", "evil"), r.auth()))
        .as("body changed")
        .isNotNull();
    assertThatThrownBy(
            () ->
                new WebhookReceiver(KEY, "another-secret-another-secret-another-0")
                    .receive(r.body(), r.auth()))
        .as("other secret")
        .isNotNull();
  }

  @Test
  void serverErrorsAreRetriedAndOrderIsKept() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    WebhookNotifier n = notifier(start(() -> calls.incrementAndGet() <= 2 ? 500 : 200), 100, 4);
    n.roomStarted(ROOM);
    n.roomFinished(ROOM);
    WebhookReceiver sdk = new WebhookReceiver(KEY, SECRET);
    List<String> attempts = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Received r = next();
      attempts.add(sdk.receive(r.body(), r.auth()).getEvent());
    }
    assertThat(attempts)
        .as("two refusals, the retry, then the next event")
        .containsExactly("room_started", "room_started", "room_started", "room_finished");
    awaitCount(n::delivered, 2);
    assertThat(n.failed()).isZero();
  }

  @Test
  void anEventIsGivenUpAfterTheLastRetry() throws Exception {
    WebhookNotifier n = notifier(start(() -> 503), 100, 2);
    n.roomStarted(ROOM);
    for (int i = 0; i < 3; i++) {
      next();
    }
    awaitCount(n::failed, 1);
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).as("no fourth attempt").isNull();
    assertThat(n.delivered()).isZero();
  }

  @Test
  void aClientErrorIsNotRetried() throws Exception {
    WebhookNotifier n = notifier(start(() -> 401), 100, 4);
    n.roomStarted(ROOM);
    next();
    awaitCount(n::failed, 1);
    assertThat(received.poll(200, TimeUnit.MILLISECONDS)).isNull();
  }

  @Test
  void aFullQueueDropsAndTheNextEventSaysHowMany() throws Exception {
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    WebhookNotifier n =
        notifier(
            start(
                () -> {
                  try {
                    release.await(5, TimeUnit.SECONDS); // a slow receiver holds the first event
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return 200;
                }),
            2,
            0);
    long started = System.nanoTime();
    for (int i = 0; i < 10; i++) {
      n.participantJoined(ROOM, ALICE);
    }
    assertThat(System.nanoTime() - started)
        .as("the caller never waits")
        .isLessThan(TimeUnit.SECONDS.toNanos(1));
    assertThat(n.dropped()).isBetween(7L, 8L);
    release.countDown();
    WebhookReceiver sdk = new WebhookReceiver(KEY, SECRET);
    int droppedReported = 0;
    for (int i = 0; i < 10 - n.dropped(); i++) {
      Received r = next();
      droppedReported += sdk.receive(r.body(), r.auth()).getNumDropped();
    }
    assertThat((long) droppedReported).isEqualTo(n.dropped());
  }

  /**
   * The body: protobuf JSON as LiveKit's receivers parse it (camelCase names, enums by name, int64
   * as a string, defaults such as the AUDIO track type, enum value 0, left out). Fields come in
   * field-number order, where Go's protojson follows declaration order (its track comes before id):
   * receivers parse the JSON, and the signature covers the bytes we send, so both are accepted.
   */
  @Test
  void bodyIsLiveKitsJson() {
    WebhookEvent e =
        WebhookEvent.newBuilder()
            .setEvent("track_published")
            .setRoom(ROOM)
            .setParticipant(ALICE)
            .setTrack(TrackInfo.newBuilder().setSid("TR_cam").setType(TrackType.VIDEO))
            .setId("EV_fixed")
            .setCreatedAt(1_795_000_000L)
            .build();
    assertThat(new String(WebhookNotifier.encode(e), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"event\":\"track_published\","
                + "\"room\":{\"sid\":\"RM_abc\",\"name\":\"standup\"},"
                + "\"participant\":{\"sid\":\"PA_abc\",\"identity\":\"alice\"},"
                + "\"id\":\"EV_fixed\","
                + "\"createdAt\":\"1795000000\","
                + "\"track\":{\"sid\":\"TR_cam\",\"type\":\"VIDEO\"}}");
  }

  @Test
  void noUrlSendsNothing() {
    notifier =
        new WebhookNotifier(
            WebhookNotifier.Config.defaults(List.of()),
            new TokenIssuer(KEY, SECRET),
            Clock.systemUTC());
    notifier.roomStarted(ROOM);
    assertThat(notifier.dropped()).isZero();
    assertThat(notifier.delivered()).isZero();
  }

  @Test
  void onlyHttpUrls() {
    assertThatThrownBy(
            () -> WebhookNotifier.Config.defaults(List.of(URI.create("file:///etc/passwd"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static void awaitCount(java.util.function.LongSupplier count, long expected)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (count.getAsLong() < expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(count.getAsLong()).isEqualTo(expected);
  }

  static org.assertj.core.data.Offset<Long> within(long n) {
    return org.assertj.core.data.Offset.offset(n);
  }
}
