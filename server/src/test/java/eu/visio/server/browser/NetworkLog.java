package eu.visio.server.browser;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.json.Json;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * What a page put on the wire, from Chrome's DevTools performance log: each request's URL, headers
 * and body, each WebSocket's URL, handshake headers and sent frames. Fields that stay in the
 * browser (a URL's fragment, the document URL) are not wire content and are left out.
 */
final class NetworkLog {
  private NetworkLog() {}

  /** Options that make Chrome record its network events in the performance log. */
  static void enable(ChromeOptions options) {
    LoggingPreferences prefs = new LoggingPreferences();
    prefs.enable(LogType.PERFORMANCE, Level.ALL);
    options.setCapability("goog:loggingPrefs", prefs);
  }

  /** One thing sent: what kind (request, websocket...), and its text. */
  record Sent(String kind, String text) {}

  /** The log so far (reading empties Chrome's buffer: callers keep what they read). */
  static List<Sent> read(Chromium browser, List<String> fragments) {
    List<Sent> sent = new ArrayList<>();
    Json json = new Json();
    for (LogEntry e : browser.driver().manage().logs().get(LogType.PERFORMANCE)) {
      Map<?, ?> entry = json.toType(e.getMessage(), Map.class);
      Map<?, ?> message = (Map<?, ?>) entry.get("message");
      String method = String.valueOf(message.get("method"));
      Map<?, ?> params = (Map<?, ?>) message.get("params");
      switch (method) {
        case "Network.requestWillBeSent" -> {
          Map<?, ?> request = (Map<?, ?>) params.get("request");
          sent.add(new Sent("url", String.valueOf(request.get("url"))));
          sent.add(new Sent("headers", String.valueOf(request.get("headers"))));
          if (request.get("postData") != null) {
            sent.add(new Sent("body", String.valueOf(request.get("postData"))));
          }
          if (request.get("urlFragment") instanceof String f) {
            fragments.add(f);
          }
        }
        case "Network.requestWillBeSentExtraInfo" ->
            sent.add(new Sent("headers", String.valueOf(params.get("headers"))));
        case "Network.webSocketCreated" ->
            sent.add(new Sent("websocket", String.valueOf(params.get("url"))));
        case "Network.webSocketWillSendHandshakeRequest" ->
            sent.add(
                new Sent(
                    "headers", String.valueOf(((Map<?, ?>) params.get("request")).get("headers"))));
        case "Network.webSocketFrameSent" -> {
          Map<?, ?> frame = (Map<?, ?>) params.get("response");
          String payload = String.valueOf(frame.get("payloadData"));
          // Binary frames (LiveKit's protobuf signalling) come base64-encoded.
          boolean binary = frame.get("opcode") instanceof Number n && n.intValue() == 2;
          sent.add(
              new Sent(
                  "frame",
                  binary
                      ? new String(Base64.getDecoder().decode(payload), StandardCharsets.ISO_8859_1)
                      : payload));
        }
        default -> {}
      }
    }
    return sent;
  }
}
