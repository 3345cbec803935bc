package eu.visio.server.turn;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunErrorCode;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.turn.TurnCredentials;
import eu.visio.media.turn.TurnReason;
import eu.visio.server.RtcSignalTest;
import eu.visio.server.ServerConfig;
import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import eu.visio.signal.token.ApiKeys;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.VideoGrant;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import livekit.LivekitRtc.ICEServer;
import livekit.LivekitRtc.JoinResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded TURN server as the running server wires it: a participant that joins over {@code
 * /rtc/v1} gets credentials of its own in {@code JoinResponse.ice_servers} (before the configured
 * servers), and they allocate on every URL handed out (UDP, TCP, TLS on the TLS port, TLS on TURN's
 * own listener); relays reach the SFU's media port and nothing else; a forged token gets nothing;
 * the connection test gets short-lived credentials; the counters reach /metrics.
 */
class TurnWiringTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ServerConfig.IceServer EXTERNAL =
      new ServerConfig.IceServer(List.of("turn:turn.example:3478?transport=udp"), "u", "p");
  private static VisioServer server;

  @BeforeAll
  static void start() {
    server =
        VisioServer.start(
            new ServerConfig(
                    "127.0.0.1",
                    0,
                    0,
                    List.of(InetAddress.getLoopbackAddress()),
                    true,
                    Optional.empty(),
                    1,
                    ApiKeys.of(Map.of(TestServers.API_KEY, TestServers.API_SECRET)),
                    List.of(EXTERNAL),
                    ServerConfig.Webhook.none())
                .withTls(ServerConfig.Tls.selfSigned(0))
                .withTurn(ServerConfig.Turn.on(0).withListeners(0, 0, 0, true).toEveryone()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aParticipantGetsItsOwnCredentialsAndTheyAllocateOnEveryUrl() throws Exception {
    Instant before = Instant.now();
    RtcSignalTest.Client alice =
        RtcSignalTest.connect(
            server.httpPort(),
            new TokenIssuer(TestServers.API_KEY, TestServers.API_SECRET)
                .issue(
                    "alice",
                    "Alice",
                    null,
                    Map.of(),
                    VideoGrant.join("turned"),
                    Duration.ofHours(3)));
    JoinResponse join = alice.next().getJoin();
    List<ICEServer> servers = join.getIceServersList();
    assertThat(servers).hasSize(2);
    assertThat(servers.get(1).getUrlsList()).isEqualTo(EXTERNAL.urls());
    ICEServer ours = servers.getFirst();
    int https = server.tlsPort();
    EmbeddedTurn turn = server.turn();
    assertThat(ours.getUrlsList())
        .containsExactly(
            "turn:127.0.0.1:" + turn.server().udpAddress().getPort() + "?transport=udp",
            "turn:127.0.0.1:" + turn.server().tcpAddress().getPort() + "?transport=tcp",
            "turns:127.0.0.1:" + https + "?transport=tcp",
            "turns:127.0.0.1:" + turn.tlsListenerPort() + "?transport=tcp");
    // The REST form for this identity, living as long as the token (three hours).
    assertThat(TurnCredentials.identity(ours.getUsername())).isEqualTo("alice");
    Instant expiry = Instant.ofEpochSecond(TurnCredentials.expiry(ours.getUsername()));
    assertThat(expiry)
        .isBetween(
            before.plus(Duration.ofHours(3)).minusSeconds(2),
            Instant.now().plus(Duration.ofHours(3)).plusSeconds(2));

    long allocations = turn.server().counters().allocationsCreated();
    for (String url : ours.getUrlsList()) {
      try (TurnProbe probe = probe(url, ours.getUsername(), ours.getCredential())) {
        StunMessage allocated = probe.allocate();
        assertThat(allocated.messageClass()).as(url).isEqualTo(StunClass.SUCCESS_RESPONSE);
        assertThat(allocated.has(StunAttribute.XOR_RELAYED_ADDRESS)).as(url).isTrue();
        // The relay reaches the SFU's media port...
        StunMessage toSfu =
            probe.createPermission(new InetSocketAddress("127.0.0.1", server.udpPort()));
        assertThat(toSfu.messageClass()).as(url).isEqualTo(StunClass.SUCCESS_RESPONSE);
        // ...and nothing else: not this host's HTTP port, not another host.
        assertThat(
                probe
                    .createPermission(new InetSocketAddress("127.0.0.1", server.httpPort()))
                    .errorCode())
            .as(url)
            .isEqualTo(StunErrorCode.FORBIDDEN);
        assertThat(
                probe
                    .createPermission(new InetSocketAddress("192.0.2.1", server.udpPort()))
                    .errorCode())
            .as(url)
            .isEqualTo(StunErrorCode.FORBIDDEN);
      }
    }
    assertThat(turn.server().counters().allocationsCreated()).isEqualTo(allocations + 4);
    assertThat(turn.server().counters().count(TurnReason.FORBIDDEN_PEER)).isGreaterThanOrEqualTo(8);

    // Someone else's password for the same user name does not verify.
    try (TurnProbe wrong =
        TurnProbe.udp(turn.server().udpAddress(), ours.getUsername(), "bm90IHRoZSBwYXNzd29yZA==")) {
      assertThat(wrong.allocate().errorCode()).isEqualTo(StunErrorCode.UNAUTHENTICATED);
    }

    String metrics = get("/metrics");
    assertThat(metrics)
        .containsPattern("visio_turn_allocations_made_total [1-9]")
        .contains("visio_turn_refused_total{reason=\"forbidden_peer\"}")
        .contains("visio_turn_relayed_to_peers_total")
        .containsPattern("visio_turn_active_allocations [0-9]");
    alice.ws.sendClose(java.net.http.WebSocket.NORMAL_CLOSURE, "bye").join();
  }

  /**
   * A TURN client naming TURN's ALPN id (RFC 7443) gets TURN on the TLS port, even offering
   * http/1.1 too, as coturn's turnutils_uclient does: it was handed to plain HTTP/1.1, which
   * answered its Allocate with 400 and closed.
   */
  @Test
  void aClientOfferingStunTurnByAlpnGetsTurnOnTheTlsPort() throws Exception {
    ServerConfig.IceServer creds = server.turn().issue("alpn", Duration.ofMinutes(5)).orElseThrow();
    InetSocketAddress tls = new InetSocketAddress("127.0.0.1", server.tlsPort());
    for (List<String> offered :
        List.of(
            List.of("stun.turn"),
            List.of("http/1.1", "stun.turn", "stun.nat-discovery"),
            List.of("h2", "http/1.1", "stun.turn"))) {
      try (TurnProbe probe = TurnProbe.tls(tls, creds.username(), creds.credential(), offered)) {
        assertThat(probe.applicationProtocol()).as("%s", offered).isEqualTo("stun.turn");
        assertThat(probe.allocate().messageClass())
            .as("%s", offered)
            .isEqualTo(StunClass.SUCCESS_RESPONSE);
      }
    }
  }

  @Test
  void credentialsLiveAsLongAsTheTokenWithinOneHourAndOneDay() {
    record Case(Duration remaining, Duration ttl) {}
    List<Case> table =
        List.of(
            new Case(Duration.ofHours(3), Duration.ofHours(3)),
            // A refreshed token (ten minutes) or an expired one on resume: an allocation is
            // refreshed with these credentials for the rest of the meeting.
            new Case(Duration.ofMinutes(10), EmbeddedTurn.MIN_TTL),
            new Case(Duration.ofMinutes(-5), EmbeddedTurn.MIN_TTL),
            new Case(Duration.ofDays(30), EmbeddedTurn.MAX_TTL));
    for (Case c : table) {
      Instant now = Instant.now();
      ServerConfig.IceServer s = server.turn().forParticipant("bob", c.remaining()).orElseThrow();
      assertThat(Instant.ofEpochSecond(TurnCredentials.expiry(s.username())))
          .as(c.toString())
          .isBetween(now.plus(c.ttl()).minusSeconds(1), Instant.now().plus(c.ttl()).plusSeconds(1));
    }
    // Identities a TURN user name cannot carry get no credentials (and the join goes on).
    assertThat(server.turn().forParticipant("", Duration.ofHours(1))).isEmpty();
    assertThat(server.turn().forParticipant("x".repeat(201), Duration.ofHours(1))).isEmpty();
    // The server's limits: wide per source (many people behind one NAT), the configured quotas.
    assertThat(server.turn().server().config().maxTcpPerSource())
        .isEqualTo(EmbeddedTurn.STREAMS_PER_SOURCE);
    assertThat(server.turn().server().config().maxAllocationsPerUser())
        .isEqualTo(ServerConfig.Turn.DEFAULT_PER_USER);
  }

  @Test
  void aForgedTokenGetsNoJoinResponseSoNoCredentials() throws Exception {
    String forged =
        new TokenIssuer(TestServers.API_KEY, "not-the-secret-not-the-secret-not-the-secret")
            .issue("mallory", null, null, Map.of(), VideoGrant.join("turned"), Duration.ofHours(1));
    RtcSignalTest.Client mallory = RtcSignalTest.connect(server.httpPort(), forged);
    assertThat(mallory.closed.get(5, TimeUnit.SECONDS)).startsWith("1008");
    assertThat(mallory.messages).isEmpty();
  }

  @Test
  void theConnectionTestGetsShortLivedCredentialsAndATokenPerRelayCheck() throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:" + server.httpPort() + "/api/v1/connection-test"))
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .header("Accept", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode body = JSON.readTree(r.body());
    JsonNode ours = body.get("ice_servers").get(0);
    List<String> urls = new ArrayList<>();
    ours.get("urls").forEach(u -> urls.add(u.asText()));
    assertThat(urls).isEqualTo(server.turn().urls());
    assertThat(body.get("ice_servers").get(1).get("urls").get(0).asText())
        .isEqualTo(EXTERNAL.urls().getFirst());
    String username = ours.get("username").asText();
    assertThat(Instant.ofEpochSecond(TurnCredentials.expiry(username)))
        .isBefore(Instant.now().plus(Duration.ofMinutes(5)).plusSeconds(2));
    assertThat(body.get("relay_tokens")).hasSize(3);
    try (TurnProbe probe =
        TurnProbe.udp(
            server.turn().server().udpAddress(), username, ours.get("credential").asText())) {
      assertThat(probe.allocate().messageClass()).isEqualTo(StunClass.SUCCESS_RESPONSE);
    }
  }

  private static TurnProbe probe(String url, String user, String pass) throws Exception {
    // turn:127.0.0.1:PORT?transport=udp, or turns:...
    String rest = url.substring(url.indexOf(':') + 1);
    int port = Integer.parseInt(rest.substring(rest.indexOf(':') + 1, rest.indexOf('?')));
    InetSocketAddress at = new InetSocketAddress("127.0.0.1", port);
    if (url.startsWith("turns:")) {
      return TurnProbe.tls(at, user, pass);
    }
    return url.endsWith("transport=udp")
        ? TurnProbe.udp(at, user, pass)
        : TurnProbe.tcp(at, user, pass);
  }

  private static String get(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
