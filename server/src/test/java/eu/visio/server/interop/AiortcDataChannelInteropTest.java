package eu.visio.server.interop;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import eu.visio.server.RtcSignalTest;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import livekit.LivekitModels.DataPacket;
import livekit.LivekitModels.UserPacket;
import livekit.LivekitRtc.SessionDescription;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * aiortc, an independent SCTP and DCEP stack, exchanging LiveKit data packets with another aiortc
 * peer through our server. The test does the LiveKit signalling over the WebSocket and relays SDP
 * between it and each aiortc script. Over {@code /rtc/v1} aiortc offers and opens {@code _reliable}
 * and {@code _lossy} itself, as livekit-client does; over {@code /rtc} it also answers our offer of
 * its subscriber connection, where we open the channels we send on.
 */
@Tag("interop")
class AiortcDataChannelInteropTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String RELIABLE = "_reliable";
  private static final String LOSSY = "_lossy";

  /**
   * Large enough to take 55 DATA chunks of aiortc's 1200 bytes, small enough to stay under the
   * 65536-byte {@code max-message-size} aiortc announces once we stamp the sender on it.
   */
  private static final int LARGE = 65_400;

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

  /** A participant: its signalling, its aiortc peer, the sid we gave it, where data reaches it. */
  record Participant(
      String identity, String sid, RtcSignalTest.Client signal, AiortcDataPeer peer, String inbox)
      implements AutoCloseable {
    @Override
    public void close() throws Exception {
      signal.ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
      peer.close();
    }
  }

  private static String token(String identity, String room) {
    return issuer.issue(
        identity, identity, null, Map.of(), VideoGrant.join(room), Duration.ofMinutes(5));
  }

  private static SessionDescription.Builder sdp(String type, String sdp, int id) {
    return SessionDescription.newBuilder().setType(type).setSdp(sdp).setId(id);
  }

  /** The next signalling message of this kind, skipping the others (updates and the like). */
  private static SignalResponse next(RtcSignalTest.Client c, SignalResponse.MessageCase kind)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (System.nanoTime() < deadline) {
      SignalResponse r = c.messages.poll(100, TimeUnit.MILLISECONDS);
      if (r != null && r.getMessageCase() == kind) {
        return r;
      }
    }
    throw new AssertionError("no " + kind + " within " + WAIT);
  }

  /** Over {@code /rtc/v1}: aiortc's offer, our answer, its two channels open. */
  static Participant joinV1(String identity, String room) throws Exception {
    AiortcDataPeer peer = AiortcDataPeer.start("v1");
    String offer = peer.await(AiortcDataPeer.is("offer"), WAIT, "offer").get("offer").asText();
    RtcSignalTest.Client signal = RtcSignalTest.connect(server.httpPort(), token(identity, room));
    String sid = next(signal, SignalResponse.MessageCase.JOIN).getJoin().getParticipant().getSid();
    signal.send(SignalRequest.newBuilder().setOffer(sdp("offer", offer, 1)).build());
    String answer = next(signal, SignalResponse.MessageCase.ANSWER).getAnswer().getSdp();
    peer.send(Map.of("answer", answer));
    List<JsonNode> open = peer.awaitAll(AiortcDataPeer.is("open"), 2, WAIT, "channels open");
    assertThat(open).extracting(n -> n.get("pc").asText()).containsOnly("publisher");
    assertThat(open.getFirst().get("remote_partial_reliability").asBoolean())
        .as("we offer PR-SCTP in our INIT ACK")
        .isTrue();
    return new Participant(identity, sid, signal, peer, "publisher");
  }

  /**
   * Over {@code /rtc}: aiortc answers our offer of its subscriber connection and offers its
   * publisher one; two channels open on each.
   */
  static Participant joinDual(String identity, String room) throws Exception {
    AiortcDataPeer peer = AiortcDataPeer.start("dual");
    String offer = peer.await(AiortcDataPeer.is("offer"), WAIT, "offer").get("offer").asText();
    RtcSignalTest.Client signal = new RtcSignalTest.Client();
    String url =
        "ws://127.0.0.1:"
            + server.httpPort()
            + "/rtc?access_token="
            + URLEncoder.encode(token(identity, room), StandardCharsets.UTF_8)
            + "&auto_subscribe=1&sdk=js&protocol=15";
    signal.ws =
        HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(url), signal).join();
    String sid = next(signal, SignalResponse.MessageCase.JOIN).getJoin().getParticipant().getSid();
    SignalResponse ours = next(signal, SignalResponse.MessageCase.OFFER);
    peer.send(Map.of("offer", ours.getOffer().getSdp()));
    String answer = peer.await(AiortcDataPeer.is("answer"), WAIT, "answer").get("answer").asText();
    signal.send(
        SignalRequest.newBuilder()
            .setAnswer(sdp("answer", answer, ours.getOffer().getId()))
            .build());
    signal.send(SignalRequest.newBuilder().setOffer(sdp("offer", offer, 1)).build());
    peer.send(
        Map.of("answer", next(signal, SignalResponse.MessageCase.ANSWER).getAnswer().getSdp()));
    List<JsonNode> open = peer.awaitAll(AiortcDataPeer.is("open"), 4, WAIT, "channels open");
    JsonNode lossy =
        open.stream()
            .filter(n -> n.get("pc").asText().equals("subscriber"))
            .filter(n -> n.get("open").asText().equals(LOSSY))
            .findFirst()
            .orElseThrow(() -> new AssertionError("our _lossy not opened: " + open));
    assertThat(lossy.get("max_retransmits").asInt())
        .as("our _lossy is sent once, as livekit-server's")
        .isZero();
    assertThat(lossy.get("remote_partial_reliability").asBoolean()).isTrue();
    return new Participant(identity, sid, signal, peer, "subscriber");
  }

  private static byte[] packet(DataPacket.Kind kind, String topic, byte[] payload) {
    return DataPacket.newBuilder()
        .setKind(kind)
        // A forged sender: the server must stamp the real one over it.
        .setParticipantIdentity("mallory")
        .setUser(
            UserPacket.newBuilder()
                .setParticipantIdentity("mallory")
                .setTopic(topic)
                .setPayload(ByteString.copyFrom(payload)))
        .build()
        .toByteArray();
  }

  /** The data packets {@code to} receives on {@code label}, in the order they came. */
  private static List<DataPacket> received(Participant to, String label, int count)
      throws Exception {
    List<JsonNode> lines =
        to.peer.awaitAll(
            n -> n.has("message") && n.get("message").asText().equals(label),
            count,
            WAIT,
            "messages on " + label);
    List<DataPacket> packets = new ArrayList<>();
    for (JsonNode n : lines) {
      assertThat(n.get("pc").asText()).as("the connection data comes on").isEqualTo(to.inbox);
      packets.add(DataPacket.parseFrom(Base64.getDecoder().decode(n.get("data").asText())));
    }
    return packets;
  }

  /**
   * {@code from} sends five small packets on each channel, then a large one on {@code _reliable};
   * {@code to} receives them all, in order on {@code _reliable}, stamped with {@code from}.
   */
  private static void sendsTo(Participant from, Participant to) throws Exception {
    for (int i = 0; i < 5; i++) {
      byte[] n = ("#" + i).getBytes(StandardCharsets.UTF_8);
      from.peer.sendData(RELIABLE, packet(DataPacket.Kind.RELIABLE, "reliable", n));
      from.peer.sendData(LOSSY, packet(DataPacket.Kind.LOSSY, "lossy", n));
    }
    byte[] large = new byte[LARGE];
    new Random(7).nextBytes(large);
    from.peer.sendData(RELIABLE, packet(DataPacket.Kind.RELIABLE, "large", large));

    List<DataPacket> reliable = received(to, RELIABLE, 6);
    assertThat(reliable)
        .extracting(p -> p.getUser().getTopic())
        .containsExactly("reliable", "reliable", "reliable", "reliable", "reliable", "large");
    assertThat(reliable.subList(0, 5))
        .extracting(p -> p.getUser().getPayload().toStringUtf8())
        .containsExactly("#0", "#1", "#2", "#3", "#4");
    assertThat(Arrays.equals(reliable.get(5).getUser().getPayload().toByteArray(), large))
        .as("the large message intact")
        .isTrue();
    // Lossy packets may be reordered or lost in general; on loopback nothing is lost.
    List<DataPacket> lossy = received(to, LOSSY, 5);
    assertThat(lossy)
        .extracting(p -> p.getUser().getPayload().toStringUtf8())
        .containsExactlyInAnyOrder("#0", "#1", "#2", "#3", "#4");
    for (DataPacket p : concat(reliable, lossy)) {
      assertThat(p.getParticipantIdentity()).isEqualTo(from.identity);
      assertThat(p.getParticipantSid()).isEqualTo(from.sid);
      assertThat(p.getUser().getParticipantIdentity()).isEqualTo(from.identity);
      assertThat(p.getUser().getParticipantSid()).isEqualTo(from.sid);
    }
    assertThat(lossy).extracting(DataPacket::getKind).containsOnly(DataPacket.Kind.LOSSY);
  }

  private static List<DataPacket> concat(List<DataPacket> a, List<DataPacket> b) {
    List<DataPacket> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void twoAiortcPeersOverOneConnectionExchangeData() throws Exception {
    try (Participant alice = joinV1("alice", "dc-v1");
        Participant bob = joinV1("bob", "dc-v1")) {
      sendsTo(alice, bob);
      sendsTo(bob, alice);
    }
  }

  @Test
  void anAiortcPeerOverTwoConnectionsExchangesData() throws Exception {
    try (Participant alice = joinV1("alice", "dc-dual");
        Participant bob = joinDual("bob", "dc-dual")) {
      sendsTo(alice, bob);
      sendsTo(bob, alice);
    }
  }
}
