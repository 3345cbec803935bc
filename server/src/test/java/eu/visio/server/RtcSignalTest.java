package eu.visio.server;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.signal.livekit.JoinRequests;
import eu.visio.signal.livekit.MessageRate;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.ClientInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.JoinResponse;
import livekit.LivekitRtc.Ping;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The LiveKit signalling WebSocket, first steps: join, the others, pings, refusal. */
public class RtcSignalTest {
  static VisioServer server;
  static final TokenIssuer issuer = new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET);

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** A signalling client collecting what the server sends (the interop tests use it too). */
  public static final class Client implements WebSocket.Listener {
    public final LinkedBlockingQueue<SignalResponse> messages = new LinkedBlockingQueue<>();
    public final CompletableFuture<String> closed = new CompletableFuture<>();
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    public WebSocket ws;

    @Override
    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
      byte[] b = new byte[data.remaining()];
      data.get(b);
      partial.writeBytes(b);
      if (last) {
        try {
          SignalResponse r = SignalResponse.parseFrom(partial.toByteArray());
          if (r.getMessageCase() == SignalResponse.MessageCase.REFRESH_TOKEN) {
            refreshed.add(r.getRefreshToken()); // comes at any time: kept aside
          } else if (r.getMessageCase() != SignalResponse.MessageCase.CONNECTION_QUALITY) {
            messages.add(r); // connection quality comes every few seconds: not under test here
          }
        } catch (Exception e) {
          closed.completeExceptionally(e);
        }
        partial.reset();
      }
      ws.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
      closed.complete(status + " " + reason);
      return null;
    }

    /** Refreshed tokens, which come at any time, kept aside from the other messages. */
    final List<String> refreshed = new java.util.concurrent.CopyOnWriteArrayList<>();

    public SignalResponse next() throws InterruptedException {
      SignalResponse r = messages.poll(5, TimeUnit.SECONDS);
      assertThat(r).as("a message within 5 s").isNotNull();
      return r;
    }

    /** The next LeaveRequest, skipping what came before it (each within 5 s). */
    public SignalResponse nextLeave() throws InterruptedException {
      while (true) {
        SignalResponse r = next();
        if (r.hasLeave()) {
          return r;
        }
      }
    }

    String refreshedToken() throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (refreshed.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(refreshed).as("a refreshed token within 5 s").isNotEmpty();
      return refreshed.getFirst();
    }

    public void send(SignalRequest r) {
      ws.sendBinary(ByteBuffer.wrap(r.toByteArray()), true).join();
    }
  }

  static Client connect(String token) {
    return connect(server.httpPort(), token);
  }

  /** The path and query a JS client of protocol 17 joins with {@code token}. */
  static String path(String token) {
    JoinRequest join =
        JoinRequest.newBuilder()
            .setClientInfo(ClientInfo.newBuilder().setSdk(ClientInfo.SDK.JS).setProtocol(17))
            .build();
    return "/rtc/v1?access_token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8)
        + "&join_request="
        + JoinRequests.encode(join, true);
  }

  public static Client connect(int httpPort, String token) {
    String url = "ws://127.0.0.1:" + httpPort + path(token);
    Client c = new Client();
    c.ws = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), c).join();
    return c;
  }

  static eu.visio.signal.token.TokenVerifier verifier() {
    return new eu.visio.signal.token.TokenVerifier(
        eu.visio.signal.token.ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)));
  }

  static String token(String identity, VideoGrant grant) {
    return issuer.issue(
        identity,
        identity.toUpperCase(java.util.Locale.ROOT),
        null,
        Map.of(),
        grant,
        Duration.ofMinutes(5));
  }

  @Test
  void joinComesFirstAndListsTheOthers() throws Exception {
    VideoGrant cameraOnly = VideoGrant.join("standup").withSources(List.of("camera"));
    Client alice = connect(token("alice", cameraOnly));
    JoinResponse a = alice.next().getJoin();
    assertThat(a.getRoom().getName()).isEqualTo("standup");
    assertThat(a.getRoom().getSid()).startsWith("RM_");
    assertThat(a.getParticipant().getIdentity()).isEqualTo("alice");
    assertThat(a.getParticipant().getName()).isEqualTo("ALICE");
    assertThat(a.getParticipant().getSid()).startsWith("PA_");
    assertThat(a.getParticipant().getPermission().getCanPublishSourcesList())
        .containsExactly(TrackSource.CAMERA);
    assertThat(a.getServerInfo().getVersion()).isNotEmpty();
    assertThat(a.getPingInterval()).isPositive();
    assertThat(a.getOtherParticipantsList()).isEmpty();

    Client bob = connect(token("bob", VideoGrant.join("standup")));
    JoinResponse b = bob.next().getJoin();
    assertThat(b.getOtherParticipantsList())
        .extracting(p -> p.getIdentity())
        .containsExactly("alice");
    assertThat(b.getRoom().getSid()).isEqualTo(a.getRoom().getSid());

    assertThat(alice.next().getUpdate().getParticipantsList())
        .extracting(p -> p.getIdentity())
        .as("alice hears bob join")
        .containsExactly("bob");

    // Right after joining, each client gets a token to reconnect with: same identity and grants,
    // signed with the same key, valid at least as long as the one it joined with.
    var refreshed = verifier().verify(bob.refreshedToken());
    assertThat(refreshed.identity()).isEqualTo("bob");
    assertThat(refreshed.video().room()).isEqualTo("standup");
    assertThat(refreshed.expires()).isAfter(java.time.Instant.now().plus(Duration.ofMinutes(9)));

    bob.send(SignalRequest.newBuilder().setPingReq(Ping.newBuilder().setTimestamp(42)).build());
    assertThat(bob.next().getPongResp().getLastPingTimestamp()).isEqualTo(42);
    bob.send(SignalRequest.newBuilder().setPing(7).build());
    assertThat(bob.next().getPong()).isEqualTo(7);
    alice.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    var left = bob.next().getUpdate().getParticipants(0);
    assertThat(left.getIdentity()).isEqualTo("alice");
    assertThat(left.getState()).isEqualTo(livekit.LivekitModels.ParticipantInfo.State.DISCONNECTED);
    bob.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /** The same identity joining again (another tab) disconnects the first connection. */
  @Test
  void aDuplicateIdentityReplacesTheFirstConnection() throws Exception {
    Client first = connect(token("carol", VideoGrant.join("dup")));
    first.next();
    Client second = connect(token("carol", VideoGrant.join("dup")));
    assertThat(second.next().getJoin().getOtherParticipantsList()).isEmpty();
    assertThat(first.next().getLeave().getReason())
        .isEqualTo(livekit.LivekitModels.DisconnectReason.DUPLICATE_IDENTITY);
    assertThat(first.closed.get(5, TimeUnit.SECONDS)).startsWith("1000");
    second.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  @Test
  void aBadTokenClosesWithTheReason() throws Exception {
    Client c = connect("not-a-token");
    assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 malformed access token");
    assertThat(c.messages).isEmpty();
  }

  /**
   * Metadata updates are enforced server-side: refused without canUpdateOwnMetadata, applied and
   * announced to everyone with it, refused above 64,000 bytes.
   */
  @Test
  void metadataUpdatesFollowTheGrant() throws Exception {
    Client dan = connect(token("dan", VideoGrant.join("meta")));
    dan.next();
    Client erin = connect(token("erin", VideoGrant.join("meta").withAdmin(false, true)));
    erin.next();
    dan.next(); // erin joined
    dan.send(
        SignalRequest.newBuilder()
            .setUpdateMetadata(
                livekit.LivekitRtc.UpdateParticipantMetadata.newBuilder()
                    .setRequestId(1)
                    .setMetadata("{\"hand\":true}"))
            .build());
    assertThat(dan.next().getRequestResponse().getReason())
        .isEqualTo(livekit.LivekitRtc.RequestResponse.Reason.NOT_ALLOWED);

    erin.send(
        SignalRequest.newBuilder()
            .setUpdateMetadata(
                livekit.LivekitRtc.UpdateParticipantMetadata.newBuilder()
                    .setRequestId(2)
                    .setMetadata("{\"hand\":true}")
                    .putAttributes("role", "speaker"))
            .build());
    assertThat(erin.next().getRequestResponse().getReason())
        .isEqualTo(livekit.LivekitRtc.RequestResponse.Reason.OK);
    var seenByErin = erin.next().getUpdate().getParticipants(0);
    var seenByDan = dan.next().getUpdate().getParticipants(0);
    assertThat(seenByDan).isEqualTo(seenByErin);
    assertThat(seenByDan.getIdentity()).isEqualTo("erin");
    assertThat(seenByDan.getMetadata()).isEqualTo("{\"hand\":true}");
    assertThat(seenByDan.getAttributesMap()).containsEntry("role", "speaker");
    assertThat(seenByDan.getVersion()).isEqualTo(1);

    erin.send(
        SignalRequest.newBuilder()
            .setUpdateMetadata(
                livekit.LivekitRtc.UpdateParticipantMetadata.newBuilder()
                    .setRequestId(3)
                    .setMetadata("x".repeat(64_001)))
            .build());
    assertThat(erin.next().getRequestResponse().getReason())
        .isEqualTo(livekit.LivekitRtc.RequestResponse.Reason.LIMIT_EXCEEDED);
    dan.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    erin.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  static java.net.http.HttpResponse<String> twirp(String method, String token, String json)
      throws Exception {
    return HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + server.httpPort()
                            + "/twirp/livekit.RoomService/"
                            + method))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** The Room service lists and removes participants, only for an admin of that room. */
  @Test
  void roomServiceListsAndRemovesWithTheRightGrants() throws Exception {
    Client frank = connect(token("frank", VideoGrant.join("svc")));
    frank.next();
    String admin = token("ops", VideoGrant.join("svc").withAdmin(true, null));
    String notAdmin = token("nosy", VideoGrant.join("svc"));
    String otherRoomAdmin = token("ops2", VideoGrant.join("other").withAdmin(true, null));

    var list = twirp("ListParticipants", admin, "{\"room\":\"svc\"}");
    assertThat(list.statusCode()).isEqualTo(200);
    var parsed = livekit.LivekitRoom.ListParticipantsResponse.newBuilder();
    com.google.protobuf.util.JsonFormat.parser().merge(list.body(), parsed);
    assertThat(parsed.getParticipantsList())
        .extracting(p -> p.getIdentity())
        .containsExactly("frank");

    assertThat(twirp("ListParticipants", notAdmin, "{\"room\":\"svc\"}").statusCode())
        .isEqualTo(403);
    assertThat(twirp("ListParticipants", otherRoomAdmin, "{\"room\":\"svc\"}").body())
        .contains("\"code\":\"permission_denied\"");
    assertThat(twirp("ListRooms", admin, "{}").statusCode())
        .as("listing rooms needs roomList")
        .isEqualTo(403);
    assertThat(twirp("ListRooms", "garbage", "{}").statusCode()).isEqualTo(401);
    assertThat(twirp("Nope", admin, "{}").statusCode()).isEqualTo(404);

    var removed = twirp("RemoveParticipant", admin, "{\"room\":\"svc\",\"identity\":\"frank\"}");
    assertThat(removed.statusCode()).isEqualTo(200);
    assertThat(frank.next().getLeave().getReason())
        .isEqualTo(livekit.LivekitModels.DisconnectReason.PARTICIPANT_REMOVED);
    assertThat(frank.closed.get(5, TimeUnit.SECONDS)).startsWith("1000");
    assertThat(
            twirp("RemoveParticipant", admin, "{\"room\":\"svc\",\"identity\":\"frank\"}")
                .statusCode())
        .isEqualTo(404);
  }

  /** Binary (application/protobuf) calls are answered in protobuf; a body that fails is 400. */
  @Test
  void roomServiceSpeaksProtobufToo() throws Exception {
    Client gina = connect(token("gina", VideoGrant.join("proto")));
    gina.next();
    String lister = token("ops", VideoGrant.listRoomsOnly());
    var response =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + server.httpPort()
                                + "/twirp/livekit.RoomService/ListRooms"))
                    .header("Authorization", "Bearer " + lister)
                    .header("Content-Type", "application/protobuf")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                            livekit.LivekitRoom.ListRoomsRequest.newBuilder()
                                .addNames("proto")
                                .build()
                                .toByteArray()))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    var rooms = livekit.LivekitRoom.ListRoomsResponse.parseFrom(response.body());
    assertThat(rooms.getRoomsList()).extracting(r -> r.getName()).containsExactly("proto");
    assertThat(rooms.getRooms(0).getNumParticipants()).isEqualTo(1);
    assertThat(twirp("ListRooms", lister, "{not json").statusCode()).isEqualTo(400);
    gina.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /**
   * LiveKit's own Java server SDK drives the Room service: its RoomServiceClient mints the admin
   * tokens each call needs and speaks protobuf, as every LiveKit backend does.
   */
  @Test
  void liveKitsRoomServiceClientManagesRooms() throws Exception {
    io.livekit.server.RoomServiceClient sdk =
        io.livekit.server.RoomServiceClient.Companion.createClient(
            "http://127.0.0.1:" + server.httpPort(),
            TestServers.API_KEY,
            TestServers.API_SECRET,
            okhttp3.OkHttpClient::new);
    var created = sdk.createRoom("sdk-room", 60, 10, null, "hello").execute();
    assertThat(created.isSuccessful()).isTrue();
    assertThat(created.body().getName()).isEqualTo("sdk-room");
    assertThat(created.body().getMaxParticipants()).isEqualTo(10);
    assertThat(created.body().getEmptyTimeout()).isEqualTo(60);
    assertThat(created.body().getMetadata()).isEqualTo("hello");
    assertThat(sdk.listRooms().execute().body()).extracting(r -> r.getName()).contains("sdk-room");

    Client hal = connect(token("hal", VideoGrant.join("sdk-room")));
    JoinResponse join = hal.next().getJoin();
    assertThat(join.getRoom().getSid()).isEqualTo(created.body().getSid());
    assertThat(join.getRoom().getMetadata()).isEqualTo("hello");
    assertThat(sdk.listParticipants("sdk-room").execute().body())
        .extracting(p -> p.getIdentity())
        .containsExactly("hal");
    assertThat(sdk.getParticipant("sdk-room", "hal").execute().body().getSid())
        .isEqualTo(join.getParticipant().getSid());

    var updated = sdk.updateParticipant("sdk-room", "hal", "Hal 9000", "{\"pod\":1}").execute();
    assertThat(updated.body().getName()).isEqualTo("Hal 9000");
    var seen = hal.next().getUpdate().getParticipants(0);
    assertThat(seen.getMetadata()).isEqualTo("{\"pod\":1}");
    assertThat(seen.getVersion()).isEqualTo(updated.body().getVersion());

    var roomUpdated = sdk.updateRoomMetadata("sdk-room", "open the doors").execute();
    assertThat(roomUpdated.body().getMetadata()).isEqualTo("open the doors");
    assertThat(hal.next().getRoomUpdate().getRoom().getMetadata()).isEqualTo("open the doors");

    assertThat(sdk.mutePublishedTrack("sdk-room", "hal", "TR_none", true).execute().code())
        .as("no such track")
        .isEqualTo(404);
    assertThat(sdk.getParticipant("sdk-room", "nobody").execute().code()).isEqualTo(404);

    assertThat(sdk.deleteRoom("sdk-room").execute().isSuccessful()).isTrue();
    assertThat(hal.next().getLeave().getReason())
        .isEqualTo(livekit.LivekitModels.DisconnectReason.ROOM_DELETED);
    assertThat(hal.closed.get(5, TimeUnit.SECONDS)).startsWith("1000");
    assertThat(sdk.listRooms().execute().body())
        .extracting(r -> r.getName())
        .doesNotContain("sdk-room");
  }

  /** A created room refuses joins beyond its maximum. */
  @Test
  void aFullRoomRefusesTheNextParticipant() throws Exception {
    var sdk =
        io.livekit.server.RoomServiceClient.Companion.createClient(
            "http://127.0.0.1:" + server.httpPort(),
            TestServers.API_KEY,
            TestServers.API_SECRET,
            okhttp3.OkHttpClient::new);
    assertThat(sdk.createRoom("tiny", 60, 1).execute().isSuccessful()).isTrue();
    Client first = connect(token("ida", VideoGrant.join("tiny")));
    first.next();
    Client second = connect(token("jo", VideoGrant.join("tiny")));
    assertThat(second.closed.get(5, TimeUnit.SECONDS)).isEqualTo("1008 the room is full");
    sdk.deleteRoom("tiny").execute();
  }

  /**
   * Garbage and messages from newer clients are dropped and counted; the connection and the room go
   * on. A flood is cut off, then the connection closed.
   */
  @Test
  void badMessagesAreCountedAndFloodsClosed() throws Exception {
    Client kim = connect(token("kim", VideoGrant.join("bad-input")));
    kim.next();
    long malformed = scrapeCounter("visio_signal_dropped_messages_total{reason=\"malformed\"}");
    long unknown = scrapeCounter("visio_signal_dropped_messages_total{reason=\"unknown_type\"}");
    kim.ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0xff, 0x01, 0x02}), true).join();
    // Field 99 (varint 1): a message type from a newer client.
    kim.ws.sendBinary(ByteBuffer.wrap(new byte[] {(byte) 0x98, 0x06, 0x01}), true).join();
    kim.send(SignalRequest.newBuilder().setPing(99).build());
    assertThat(kim.next().getPong()).as("still served").isEqualTo(99);
    assertThat(scrapeCounter("visio_signal_dropped_messages_total{reason=\"malformed\"}"))
        .isEqualTo(malformed + 1);
    assertThat(scrapeCounter("visio_signal_dropped_messages_total{reason=\"unknown_type\"}"))
        .isEqualTo(unknown + 1);

    Client lee = connect(token("lee", VideoGrant.join("bad-input")));
    lee.next();
    // The flood goes out in one write, thousands of frames at once: far faster than the bucket
    // refills on any machine (sending them one by one, a loaded machine could keep under it).
    try (RawWebSocket moe =
        RawWebSocket.open(server.httpPort(), path(token("moe", VideoGrant.join("bad-input"))))) {
      assertThat(SignalResponse.parseFrom(moe.nextBinary(Duration.ofSeconds(5))).hasJoin())
          .isTrue();
      assertThat(lee.next().getUpdate().getParticipants(0).getIdentity()).isEqualTo("moe");
      long floods = scrapeCounter("visio_signal_dropped_messages_total{reason=\"flood\"}");
      byte[] ping = SignalRequest.newBuilder().setPing(1).build().toByteArray();
      moe.sendBinary(
          ping, (int) (MessageRate.BURST + MessageRate.CLOSE_AFTER_DROPS + MessageRate.RATE));
      // The close frame says why, unless the close reset the connection first (frames of ours
      // still unread): then the flood counter and moe's leave below show it.
      assertThat(moe.awaitClose(Duration.ofSeconds(10)))
          .isIn("1008 too many messages", RawWebSocket.RESET);
      assertThat(scrapeCounter("visio_signal_dropped_messages_total{reason=\"flood\"}"))
          .isGreaterThanOrEqualTo(floods + MessageRate.CLOSE_AFTER_DROPS);
    }
    SignalResponse gone = lee.next();
    assertThat(gone.getUpdate().getParticipants(0).getIdentity()).isEqualTo("moe");
    assertThat(gone.getUpdate().getParticipants(0).getState())
        .as("moe is gone")
        .isEqualTo(livekit.LivekitModels.ParticipantInfo.State.DISCONNECTED);
    kim.send(SignalRequest.newBuilder().setPing(6).build());
    assertThat(awaitPong(kim)).as("the others are not affected").isEqualTo(6);
    lee.send(SignalRequest.newBuilder().setPing(5).build());
    assertThat(awaitPong(lee)).as("the others are not affected").isEqualTo(5);
    lee.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /** The next pong's value, skipping the participant updates that may come before it. */
  private static long awaitPong(Client c) throws InterruptedException {
    while (true) {
      SignalResponse r = c.next();
      if (r.hasPong()) {
        return r.getPong();
      }
    }
  }

  static long scrapeCounter(String series) throws Exception {
    var response =
        HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.httpPort() + "/metrics"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    for (String line : response.body().split("\n")) {
      if (line.startsWith(series + " ")) {
        return (long) Double.parseDouble(line.substring(series.length() + 1));
      }
    }
    throw new AssertionError("no " + series + " in /metrics");
  }
}
