package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One LiveKit participant: headless Chromium running the real {@code livekit-client} (bundled by
 * the web module) on the harness page {@code /e2e/livekit.html}, driven through its {@code
 * window.visio} API.
 */
final class LiveKitPage implements AutoCloseable {
  private final Chromium browser;
  final String identity;

  LiveKitPage(int httpPort, String identity) throws IOException, InterruptedException {
    this("http://127.0.0.1:" + httpPort, identity, options -> {});
  }

  /**
   * The harness page from {@code origin} (e.g. an https one), the browser tuned by {@code tune}.
   */
  LiveKitPage(
      String origin,
      String identity,
      java.util.function.Consumer<org.openqa.selenium.chrome.ChromeOptions> tune)
      throws IOException, InterruptedException {
    this.identity = identity;
    this.browser = new Chromium(tune);
    browser.open(origin + "/e2e/livekit.html");
    browser.await(
        "return document.body.dataset.ready === 'true';",
        Boolean.TRUE::equals,
        Duration.ofSeconds(10));
  }

  /**
   * Keeps every peer connection the page creates from now on (livekit-client makes them with the
   * global constructor), for {@link #selectedCandidatePairs()}.
   */
  void recordPeerConnections() {
    browser.run(PageScripts.RECORD_PEER_CONNECTIONS);
  }

  /**
   * For each recorded, connected peer connection: its selected candidate pair ({@link
   * PageScripts#SELECTED_CANDIDATE_PAIRS}).
   */
  List<?> selectedCandidatePairs() {
    return (List<?>) browser.run(PageScripts.SELECTED_CANDIDATE_PAIRS);
  }

  /** The local candidate of each selected pair ({@link #selectedCandidatePairs()}). */
  List<Map<?, ?>> selectedLocalCandidates() {
    return selectedCandidatePairs().stream()
        .<Map<?, ?>>map(o -> (Map<?, ?>) ((Map<?, ?>) o).get("local"))
        .toList();
  }

  /**
   * Asserts that both of the participant's peer connections (publisher and subscriber, on {@code
   * /rtc}) are connected, and hands each selected pair's local and remote candidates to {@code
   * check}.
   */
  void checkBothSelectedPairs(BiConsumer<Map<?, ?>, Map<?, ?>> check) {
    List<?> pairs = selectedCandidatePairs();
    assertThat(pairs).as(identity + "'s publisher and subscriber connections").hasSize(2);
    for (Object o : pairs) {
      Map<?, ?> pair = (Map<?, ?>) o;
      check.accept((Map<?, ?>) pair.get("local"), (Map<?, ?>) pair.get("remote"));
    }
  }

  /**
   * Makes every peer connection the page creates from now on relay-only ({@code iceTransportPolicy:
   * 'relay'}, as livekit-client's {@code rtcConfig} would) with the ICE servers {@code servers}
   * returns: a JS function body given {@code config.iceServers} (those the server handed out) as
   * {@code given}. Kept on {@code setConfiguration} too (livekit-client calls it on reconnection).
   */
  void forceRelay(String servers) {
    browser.run(
        ("const Previous = window.RTCPeerConnection;\n"
                + "const pick = (given) => { %s };\n"
                + "const relay = (c) => ({...(c ?? {}), iceTransportPolicy: 'relay',"
                + " iceServers: pick((c ?? {}).iceServers ?? [])});\n"
                + "window.RTCPeerConnection = class extends Previous {\n"
                + "  constructor(config, ...rest) { super(relay(config), ...rest); }\n"
                + "  setConfiguration(config) { return super.setConfiguration(relay(config)); }\n"
                + "};\n"
                + "return 0;")
            .formatted(servers));
  }

  /** Joins with the given options (a JS object literal), publishing as they say. */
  Map<?, ?> connect(int httpPort, String token, String options) {
    return connect("ws://127.0.0.1:" + httpPort, token, options);
  }

  /** Joins the server at {@code url} (ws: or wss:). */
  Map<?, ?> connect(String url, String token, String options) {
    return (Map<?, ?>)
        browser.run(
            "return await window.visio.connect('" + url + "', '" + token + "', " + options + ");");
  }

  /** Runs {@code js} (a function body, which may await) in the page; returns its result. */
  Object run(String js) {
    return browser.run(js);
  }

  /**
   * Waits until livekit-client's engine is out of its reconnection (see the harness's {@code
   * engineReconnecting}): reliable data sent before is lost after a full reconnect.
   */
  void awaitEngineSettled(Duration timeout) throws InterruptedException {
    browser.await(
        "return window.visio.engineReconnecting();", r -> Boolean.FALSE.equals(r), timeout);
  }

  /** What this participant sees: its remotes with per-track receive stats, its recent events. */
  Map<?, ?> state() {
    return (Map<?, ?>) browser.run("return await window.visio.state();");
  }

  /** Waits until {@code condition} holds on {@link #state()}. */
  Map<?, ?> awaitState(java.util.function.Predicate<Map<?, ?>> condition, Duration timeout)
      throws InterruptedException {
    return (Map<?, ?>)
        browser.await(
            "return await window.visio.state();", s -> condition.test((Map<?, ?>) s), timeout);
  }

  void setVideoSize(String remote, int width, int height) {
    browser.run(
        "window.visio.setVideoSize('" + remote + "', " + width + ", " + height + "); return 0;");
  }

  void muteTrack(String kind, boolean muted) {
    browser.run("await window.visio.muteTrack('" + kind + "', " + muted + "); return 0;");
  }

  void killSignal() {
    browser.run("await window.visio.killSignal(); return 0;");
  }

  double firstFrameMs() {
    return ((Number) browser.run("return window.visio.firstFrameMs();")).doubleValue();
  }

  /** The local camera's simulcast encodings by rid: whether each is being sent. */
  Map<?, ?> publishedLayers() {
    return (Map<?, ?>) browser.run("return window.visio.publishedLayers();");
  }

  /** Waits until the published layers satisfy {@code condition}. */
  Map<?, ?> awaitLayers(java.util.function.Predicate<Map<?, ?>> condition, Duration timeout)
      throws InterruptedException {
    return (Map<?, ?>)
        browser.await(
            "return window.visio.publishedLayers();", s -> condition.test((Map<?, ?>) s), timeout);
  }

  /** A remote participant's field in {@link #state()} (connectionQuality, speaking). */
  static Object remote(Map<?, ?> state, String remote, String field) {
    for (Object r : (List<?>) state.get("remotes")) {
      Map<?, ?> p = (Map<?, ?>) r;
      if (remote.equals(p.get("identity"))) {
        return p.get(field);
      }
    }
    return null;
  }

  void publishData(String text, boolean reliable, String topic, List<String> to) {
    StringBuilder ids = new StringBuilder("[");
    for (String t : to) {
      ids.append(ids.length() > 1 ? "," : "").append("'").append(t).append("'");
    }
    browser.run(
        "await window.visio.publishData('"
            + text
            + "', "
            + reliable
            + ", '"
            + topic
            + "', "
            + ids
            + "]); return 0;");
  }

  /** A JS array literal of single-quoted strings (test identities: no quotes inside). */
  static String jsList(List<String> items) {
    StringBuilder b = new StringBuilder("[");
    for (String t : items) {
      b.append(b.length() > 1 ? "," : "").append("'").append(t).append("'");
    }
    return b.append("]").toString();
  }

  /** publishData of {@code n} pattern bytes; the client's error message, empty when sent. */
  String publishBytes(int n, boolean reliable, String topic) {
    return (String)
        browser.run(
            "return await window.visio.publishBytes("
                + n
                + ", "
                + reliable
                + ", '"
                + topic
                + "');");
  }

  /** The publisher connection's SCTP max message size as the browser has it. */
  /** A user packet of n pattern bytes sent raw on the reliable channel (harness sendRawData). */
  String sendRawData(int n, String topic) {
    return (String) browser.run("return window.visio.sendRawData(%d, '%s');".formatted(n, topic));
  }

  /** The states of an extra data channel opened, used and closed (harness openAndCloseChannel). */
  List<String> openAndCloseChannel(String label) {
    List<?> states =
        (List<?>)
            browser.run("return await window.visio.openAndCloseChannel('%s');".formatted(label));
    return states.stream().map(String::valueOf).toList();
  }

  long maxMessageSize() {
    return ((Number) browser.run("return window.visio.maxMessageSize();")).longValue();
  }

  /** A text stream (sendText) on {@code topic} to everyone or {@code to}. */
  void sendText(String text, String topic, List<String> to) {
    browser.run(
        "return await window.visio.sendText('" + text + "', '" + topic + "', " + jsList(to) + ");");
  }

  void sendChatMessage(String text) {
    browser.run("await window.visio.sendChatMessage('" + text + "'); return 0;");
  }

  /** A file of {@code n} pattern bytes as a byte stream (sendFile). */
  void sendFile(String name, int n, String topic, List<String> to) {
    browser.run(
        "return await window.visio.sendFile('"
            + name
            + "', "
            + n
            + ", '"
            + topic
            + "', "
            + jsList(to)
            + ");");
  }

  /** performRpc: {@code {response}} or {@code {code, message, data}}. */
  Map<?, ?> performRpc(String to, String method, String payload) {
    return (Map<?, ?>)
        browser.run(
            "return await window.visio.performRpc('"
                + to
                + "', '"
                + method
                + "', '"
                + payload
                + "');");
  }

  /** Every URL the page loaded. */
  List<String> requests() {
    return ((List<?>) browser.run("return window.visio.requests();"))
        .stream().map(String::valueOf).toList();
  }

  Map<?, ?> marks() {
    return (Map<?, ?>) browser.run("return window.visio.marks();");
  }

  /** Sends {@code count} timestamped data packets {@code intervalMs} apart (harness pingData). */
  void pingData(int count, int intervalMs, boolean reliable, String topic) {
    browser.run(
        "await window.visio.pingData(%d, %d, %b, '%s'); return 0;"
            .formatted(count, intervalMs, reliable, topic));
  }

  void disconnect() {
    browser.run("await window.visio.disconnect(); return 0;");
  }

  /** The track of {@code kind} this participant receives from {@code remote}, or null. */
  static Map<?, ?> track(Map<?, ?> state, String remote, String kind) {
    for (Object r : (List<?>) state.get("remotes")) {
      Map<?, ?> p = (Map<?, ?>) r;
      if (remote.equals(p.get("identity"))) {
        for (Object t : (List<?>) p.get("tracks")) {
          if (kind.equals(((Map<?, ?>) t).get("kind"))) {
            return (Map<?, ?>) t;
          }
        }
      }
    }
    return null;
  }

  /** A numeric field of that track, 0 when absent. */
  static long stat(Map<?, ?> state, String remote, String kind, String field) {
    Map<?, ?> t = track(state, remote, kind);
    return t != null && t.get(field) instanceof Number n ? n.longValue() : 0;
  }

  static List<String> events(Map<?, ?> state) {
    return ((List<?>) state.get("events")).stream().map(String::valueOf).toList();
  }

  /** Leaves the room (a LeaveRequest, as closing a tab does) and closes the browser. */
  @Override
  public void close() throws IOException {
    try {
      disconnect();
    } catch (RuntimeException e) {
      // the page may be gone already; the server then times the session out
    } finally {
      browser.close();
    }
  }
}
