package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitBrowserTest.token;
import static eu.visio.server.browser.LiveKitPage.events;
import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * livekit-client's data features browser to browser through our server, over both signalling paths:
 * text and byte streams, chat messages, RPC, the largest message the client sends, and reliable
 * messages across a signalling resume.
 */
@Tag("browser")
class DataBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static VisioServer server;

  @BeforeAll
  static void start() {
    server = TestServers.withKeys();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static String opts(boolean singlePc) {
    return "{singlePeerConnection: " + singlePc + "}";
  }

  static List<Map<?, ?>> list(Map<?, ?> state, String field) {
    return ((List<?>) state.get(field)).stream().<Map<?, ?>>map(m -> (Map<?, ?>) m).toList();
  }

  /** Each item of {@code field} as "from/value" (a stream's text or name:size:pattern). */
  static List<String> received(Map<?, ?> state, String field) {
    return list(state, field).stream()
        .map(
            m ->
                m.get("from")
                    + "/"
                    + ("bytes".equals(m.get("kind"))
                        ? m.get("name") + ":" + m.get("size") + ":" + m.get("pattern")
                        : m.containsKey("topic") && !field.equals("chats")
                            ? m.get("topic") + "/" + m.get("text")
                            : m.get("text")))
        .toList();
  }

  /**
   * Text streams (sendText) to everyone and to one identity, a chat message, and RPC: a response,
   * an application error, and the caller's own client's error for a method nobody registered.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void streamsChatAndRpc(boolean singlePc) throws Exception {
    String room = "streams-" + singlePc;
    try (LiveKitPage ana = new LiveKitPage(server.httpPort(), "ana");
        LiveKitPage bea = new LiveKitPage(server.httpPort(), "bea");
        LiveKitPage cid = new LiveKitPage(server.httpPort(), "cid")) {
      ana.connect(server.httpPort(), token("ana", room), opts(singlePc));
      bea.connect(server.httpPort(), token("bea", room), opts(singlePc));
      cid.connect(server.httpPort(), token("cid", room), opts(singlePc));
      for (LiveKitPage p : List.of(ana, bea, cid)) {
        p.awaitState(s -> ((List<?>) s.get("remotes")).size() == 2, WAIT);
      }

      ana.sendText("hello in a stream", "text", List.of());
      ana.sendText("only for cid", "text", List.of("cid"));
      bea.sendChatMessage("a chat line");
      cid.awaitState(
          s ->
              received(s, "streams")
                      .containsAll(List.of("ana/text/hello in a stream", "ana/text/only for cid"))
                  && received(s, "chats").contains("bea/a chat line"),
          WAIT);
      bea.awaitState(s -> received(s, "streams").contains("ana/text/hello in a stream"), WAIT);
      ana.awaitState(s -> received(s, "chats").contains("bea/a chat line"), WAIT);
      assertThat(received(bea.state(), "streams"))
          .as("the stream to cid went to cid only")
          .doesNotContain("ana/text/only for cid");

      assertThat(ana.performRpc("bea", "shout", "hey").get("response")).isEqualTo("ana:HEY");
      Map<?, ?> failed = ana.performRpc("bea", "shout", "fail");
      assertThat(((Number) failed.get("code")).intValue()).isEqualTo(2001);
      assertThat(failed.get("message")).isEqualTo("told to fail");
      assertThat(failed.get("data")).isEqualTo("by ana");
      Map<?, ?> unknown = cid.performRpc("ana", "nobody", "x");
      assertThat(((Number) unknown.get("code")).intValue())
          .as("UNSUPPORTED_METHOD, answered by ana's client")
          .isEqualTo(1400);
    }
  }

  /**
   * Our answer's a=max-message-size (256 KiB) reaches the browser, but livekit-client 2.23.0 caps
   * what it sends at 64 000 bytes a packet whatever the SDP says (RTCEngine: "libwebrtc advertises
   * larger than LiveKit/pion can deliver"): a 256 KiB publishData is refused by the client itself,
   * and the largest it accepts arrives whole, reliable and lossy; so does a 200 kB file (sendFile:
   * a header, 15 kB chunks, a trailer).
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void theLargestMessageTheClientSendsArrivesWhole(boolean singlePc) throws Exception {
    String room = "large-" + singlePc;
    try (LiveKitPage ana = new LiveKitPage(server.httpPort(), "ana");
        LiveKitPage bea = new LiveKitPage(server.httpPort(), "bea")) {
      ana.connect(server.httpPort(), token("ana", room), opts(singlePc));
      bea.connect(server.httpPort(), token("bea", room), opts(singlePc));
      ana.awaitState(s -> ((List<?>) s.get("remotes")).size() == 1, WAIT);
      assertThat(ana.publishBytes(16, true, "warmup")).isEmpty(); // opens the data connection
      assertThat(ana.maxMessageSize()).as("a=max-message-size in the browser").isEqualTo(262_144);
      assertThat(ana.publishBytes(256 * 1024, true, "big"))
          .contains("cannot publish data packet larger than 64000 bytes");
      int n = 64_000;
      while (!ana.publishBytes(n, true, "big").isEmpty()) {
        n--; // the packet's framing (topic, identity, sequence) takes a few bytes
      }
      assertThat(n).as("the largest payload livekit-client sends").isGreaterThan(63_900);
      assertThat(ana.publishBytes(n, false, "BIG")).as("lossy: one byte less framing").isEmpty();
      ana.sendFile("f.bin", 200_000, "file", List.of());
      bea.awaitState(s -> received(s, "streams").contains("ana/f.bin:200000:true"), WAIT);
      int size = n;
      // both messages whole: the payload size and bytes the receiver checked
      bea.awaitState(
          s ->
              list(s, "data").stream()
                      .filter(d -> String.valueOf(d.get("topic")).equalsIgnoreCase("big"))
                      .filter(d -> ((Number) d.get("size")).intValue() == size)
                      .filter(d -> Boolean.TRUE.equals(d.get("pattern")))
                      .count()
                  == 2,
          WAIT);
    }
  }

  /**
   * Chromium closes a data channel by resetting its stream (RFC 6525) and reports it closed only
   * when our server has reset its direction in turn; twice, so the stream's sequence numbers start
   * over for the second channel on a freed stream number.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void aChannelTheBrowserClosesClosesBothWays(boolean singlePc) throws Exception {
    String room = "close-" + singlePc;
    try (LiveKitPage ana = new LiveKitPage(server.httpPort(), "ana")) {
      ana.connect(server.httpPort(), token("ana", room), opts(singlePc));
      assertThat(ana.publishBytes(16, true, "warmup")).isEmpty(); // the data connection is up
      assertThat(ana.openAndCloseChannel("extra")).containsExactly("open", "close", "closed");
      assertThat(ana.openAndCloseChannel("again")).containsExactly("open", "close", "closed");
      assertThat(ana.publishBytes(16, true, "still")).as("the LiveKit channels go on").isEmpty();
    }
  }

  /**
   * A message as large as both browsers' a=max-message-size allows (256 KiB): livekit-client will
   * not send one, so the harness writes the DataPacket itself on the reliable channel. It crosses
   * our SCTP both ways (about 225 DATA chunks each), is relayed with the sender stamped, and
   * arrives whole. The payload leaves room for the packet's framing and the server's stamps, which
   * must stay within the receiver's 262,144 bytes.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void aMessageOfTheAgreedMaximumArrivesWhole(boolean singlePc) throws Exception {
    String room = "max-" + singlePc;
    try (LiveKitPage ana = new LiveKitPage(server.httpPort(), "ana");
        LiveKitPage bea = new LiveKitPage(server.httpPort(), "bea")) {
      ana.connect(server.httpPort(), token("ana", room), opts(singlePc));
      bea.connect(server.httpPort(), token("bea", room), opts(singlePc));
      ana.awaitState(s -> ((List<?>) s.get("remotes")).size() == 1, WAIT);
      assertThat(ana.publishBytes(16, true, "warmup")).isEmpty(); // opens the data connection
      int n = 262_144 - 128;
      assertThat(ana.sendRawData(n, "max")).isEmpty();
      bea.awaitState(
          s ->
              list(s, "data").stream()
                  .anyMatch(
                      d ->
                          "max".equals(d.get("topic"))
                              && "ana".equals(d.get("from"))
                              && ((Number) d.get("size")).intValue() == n
                              && Boolean.TRUE.equals(d.get("pattern"))),
          WAIT);
    }
  }

  /**
   * Reliable messages sent while the client resumes a dropped signalling connection wait in the
   * client, which re-sends those past the ReconnectResponse's last_message_seq: every message
   * arrives once, in order.
   */
  @ParameterizedTest(name = "singlePeerConnection={0}")
  @ValueSource(booleans = {true, false})
  void reliableMessagesAcrossAResumeArriveOnceInOrder(boolean singlePc) throws Exception {
    String room = "resume-data-" + singlePc;
    try (LiveKitPage ana = new LiveKitPage(server.httpPort(), "ana");
        LiveKitPage bea = new LiveKitPage(server.httpPort(), "bea")) {
      ana.connect(server.httpPort(), token("ana", room), opts(singlePc));
      bea.connect(server.httpPort(), token("bea", room), opts(singlePc));
      ana.awaitState(s -> ((List<?>) s.get("remotes")).size() == 1, WAIT);
      bea.publishData("m0", true, "seq", List.of());
      ana.awaitState(s -> LiveKitBrowserTest.data(s).contains("bea/seq/m0"), WAIT);
      bea.killSignal();
      bea.awaitState(s -> events(s).contains("signalReconnecting"), WAIT);
      for (int i = 1; i <= 5; i++) {
        bea.publishData("m" + i, true, "seq", List.of()); // held by the client until resumed
      }
      bea.awaitState(s -> events(s).contains("reconnected"), WAIT);
      bea.publishData("m6", true, "seq", List.of());
      List<String> all =
          List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6").stream()
              .map(m -> "bea/seq/" + m)
              .toList();
      Map<?, ?> s = ana.awaitState(x -> LiveKitBrowserTest.data(x).containsAll(all), WAIT);
      assertThat(LiveKitBrowserTest.data(s)).containsExactlyElementsOf(all);
    }
  }
}
