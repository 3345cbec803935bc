package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.TestServers;
import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Background effects and noise suppression through the web app's UI, in two real Chromiums with
 * fake devices: the host blurs their background before joining, then picks a virtual background in
 * the meeting; the guest, whose WebGL is broken on purpose, is told blur is unavailable and still
 * sees their camera, then joins with noise suppression. What each receives is measured on the
 * decoded frames (a blur flattens the fake camera's sharp pattern; a virtual background brings its
 * colours) and the peer connections' senders and stats; every model and wasm file came from our
 * server.
 */
@Tag("browser")
class EffectsBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  /**
   * Segmentation on SwiftShader is slow: loading the model and the first frames may take a while.
   */
  private static final Duration EFFECT_WAIT = Duration.ofSeconds(60);

  /**
   * Before any page script: keeps every RTCPeerConnection (the test reads senders and stats) and a
   * resource timing buffer large enough for the whole session.
   */
  private static final String RECORD_PEER_CONNECTIONS =
      """
      performance.setResourceTimingBufferSize(10000);
      window.__pcs = [];
      const Native = window.RTCPeerConnection;
      window.RTCPeerConnection = function (...args) {
        const pc = new Native(...args);
        window.__pcs.push(pc);
        return pc;
      };
      window.RTCPeerConnection.prototype = Native.prototype;
      Object.setPrototypeOf(window.RTCPeerConnection, Native);
      """;

  /** Makes WebGL unavailable in the page, as on a machine without it. */
  private static final String BREAK_WEBGL =
      """
      const getContext = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        return /webgl/.test(type) ? null : getContext.call(this, type, ...rest);
      };
      """;

  /**
   * Of the video in {@code selector}, once it plays (width set, time advancing): its mean colour
   * and its sharpness (mean absolute difference between horizontal neighbours) at 320×180.
   */
  private static String frameOf(String selector) {
    return """
        const v = document.querySelector("SELECTOR");
        if (!v || v.videoWidth === 0) return null;
        const t0 = v.currentTime;
        await new Promise(r => setTimeout(r, 300));
        if (v.currentTime <= t0) return null;
        const c = document.createElement('canvas');
        c.width = 320; c.height = 180;
        const g = c.getContext('2d', {willReadFrequently: true});
        g.drawImage(v, 0, 0, 320, 180);
        const d = g.getImageData(0, 0, 320, 180).data;
        let r = 0, gr = 0, b = 0, edges = 0;
        for (let i = 0; i < d.length; i += 4) {
          r += d[i]; gr += d[i + 1]; b += d[i + 2];
          if ((i / 4) % 320 !== 319) edges += Math.abs(d[i + 1] - d[i + 5]);
        }
        const n = d.length / 4;
        return {width: v.videoWidth, r: r / n, g: gr / n, b: b / n, sharpness: edges / n};
        """
        .replace("SELECTOR", selector);
  }

  private static final String REMOTE_VIDEO = "[data-testid='tile'][data-local='false'] video";

  /** The mean colour of one of our background pictures, drawn as the effect draws it. */
  private static final String PICTURE_COLOUR =
      """
      const img = new Image();
      img.src = '/backgrounds/lagoon.svg';
      await img.decode();
      const c = document.createElement('canvas');
      c.width = 320; c.height = 180;
      const g = c.getContext('2d', {willReadFrequently: true});
      g.drawImage(img, 0, 0, 320, 180);
      const d = g.getImageData(0, 0, 320, 180).data;
      let r = 0, gr = 0, b = 0;
      for (let i = 0; i < d.length; i += 4) { r += d[i]; gr += d[i + 1]; b += d[i + 2]; }
      const n = d.length / 4;
      return {r: r / n, g: gr / n, b: b / n};
      """;

  /** The labels of the tracks this page sends, by kind, and of its capture devices. */
  private static final String SENDERS =
      """
      const sent = window.__pcs.flatMap(pc => pc.getSenders())
          .filter(s => s.track && s.track.readyState === 'live')
          .map(s => ({kind: s.track.kind, label: s.track.label}));
      const devices = (await navigator.mediaDevices.enumerateDevices()).map(d => d.label);
      return {sent, devices};
      """;

  /** Audio packets this page has received so far, over all its peer connections. */
  private static final String AUDIO_PACKETS_RECEIVED =
      """
      let n = 0;
      for (const pc of window.__pcs) {
        (await pc.getStats()).forEach(s => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') n += s.packetsReceived || 0;
        });
      }
      return n;
      """;

  /** Every resource the page fetched, by URL. */
  private static final String RESOURCES =
      "return performance.getEntriesByType('resource').map(e => e.name);";

  @Test
  void effectsRunInTheBrowserWithOurOwnFiles() throws Exception {
    try (VisioServer server = VisioServer.start(TestServers.meetingConfig());
        AppUser host = new AppUser("effects-host");
        AppUser guest = new AppUser("effects-guest")) {
      String base = "http://127.0.0.1:" + server.httpPort();
      onEveryPage(host, RECORD_PEER_CONNECTIONS);
      onEveryPage(guest, RECORD_PEER_CONNECTIONS + BREAK_WEBGL);

      // The host signs in, starts a meeting, and blurs their background before joining.
      host.open(base + "/");
      host.type("dev-email", "ada@example.org");
      host.type("dev-name", "Ada Host");
      host.click("dev-sign-in");
      host.awaitText("account-name", "Ada Host");
      host.click("start-meeting");
      host.await("preview-video");
      String link = host.url();
      host.click("prejoin-effects");
      host.click("effect-blur");
      awaitState(host, "effect-status", "on", EFFECT_WAIT);
      host.browser.await(frameOf("[data-testid='preview-video']"), v -> v != null, WAIT);
      host.screenshot("1-prejoin-blur");
      host.click("join-meeting");
      host.await("participant-grid");

      // The guest, without WebGL, asks for a blur: told it is unavailable, they still see
      // themselves; they go back to no effect and join with noise suppression.
      guest.open(link);
      guest.type("guest-name", "Bea Guest");
      guest.click("prejoin-effects");
      guest.click("effect-blur");
      awaitState(guest, "effect-status", "failed", EFFECT_WAIT);
      assertThat(guest.await("effect-status").getText()).isNotBlank();
      guest.browser.await(frameOf("[data-testid='preview-video']"), v -> v != null, WAIT);
      guest.screenshot("1-prejoin-no-webgl");
      guest.click("effect-none");
      guest.click("effect-noise");
      guest.click("join-meeting");
      guest.await("lobby-waiting");
      host.click("lobby-admit");
      guest.await("meeting");

      // Both effects are in place, on the tracks each sends: the host's camera goes out through
      // the effect's canvas, the guest's microphone through the noise suppressor; the guest's
      // camera, with no effect, is the device itself.
      awaitAttribute(host, "toggle-effects", "data-video", "on", EFFECT_WAIT);
      awaitAttribute(guest, "toggle-effects", "data-audio", "on", EFFECT_WAIT);
      assertThat(sentLabel(host, "video")).isNotIn(deviceLabels(host));
      assertThat(sentLabel(guest, "audio")).isNotIn(deviceLabels(guest));
      assertThat(sentLabel(guest, "video")).isIn(deviceLabels(guest));

      // What the guest receives of the host is blurred: much less detail than the same fake
      // camera pattern received unprocessed from the guest.
      double plainSharpness =
          number(host.browser.await(frameOf(REMOTE_VIDEO), v -> v != null, WAIT), "sharpness");
      assertThat(plainSharpness).isGreaterThan(0.5);
      guest.browser.await(
          frameOf(REMOTE_VIDEO),
          v -> v != null && number(v, "sharpness") < 0.6 * plainSharpness,
          EFFECT_WAIT);
      guest.screenshot("2-sees-blur");

      // The host picks a virtual background in the meeting: the guest now receives its colours
      // (the fake camera's green is nowhere near them).
      host.click("toggle-effects");
      host.click("effect-image-lagoon");
      host.screenshot("2-picker");
      Object picture = guest.browser.run(PICTURE_COLOUR);
      assertThat(distance(host.browser.await(frameOf(REMOTE_VIDEO), v -> v != null, WAIT), picture))
          .isGreaterThan(100);
      guest.browser.await(
          frameOf(REMOTE_VIDEO), v -> v != null && distance(v, picture) < 40, EFFECT_WAIT);
      guest.screenshot("3-sees-lagoon");
      awaitAttribute(host, "toggle-effects", "data-video", "on", WAIT);

      // The guest's suppressed microphone keeps reaching the host.
      long before = ((Number) host.browser.run(AUDIO_PACKETS_RECEIVED)).longValue();
      host.browser.await(AUDIO_PACKETS_RECEIVED, n -> ((Number) n).longValue() > before + 25, WAIT);

      // The model, the segmentation wasm and the noise suppressor's wasm were all fetched, and
      // nothing came from anywhere but our server.
      List<String> hostFiles = resources(host);
      List<String> guestFiles = resources(guest);
      assertThat(hostFiles)
          .contains(
              base + "/effects/selfie/selfie_segmentation_landscape.tflite",
              base + "/effects/selfie/selfie_segmentation.binarypb")
          .anyMatch(u -> u.matches(".*/effects/selfie/selfie_segmentation_solution_.*\\.wasm"));
      assertThat(guestFiles).anyMatch(u -> u.matches(".*/assets/rnnoise.*\\.wasm"));
      assertThat(hostFiles).allMatch(u -> u.startsWith(base + "/"));
      assertThat(guestFiles).allMatch(u -> u.startsWith(base + "/"));

      // The choices are remembered: opened again, the pre-join screen has them.
      guest.open(link);
      guest.click("prejoin-effects");
      assertThat(checked(guest, "effect-noise")).isTrue();
      assertThat(checked(guest, "effect-none")).isTrue();
      host.open(link);
      host.click("prejoin-effects");
      assertThat(checked(host, "effect-image-lagoon")).isTrue();
      assertThat(checked(host, "effect-noise")).isFalse();
    }
  }

  private static String sentLabel(AppUser user, String kind) {
    Object senders = user.browser.run(SENDERS);
    return ((List<?>) ((Map<?, ?>) senders).get("sent"))
        .stream()
            .map(s -> (Map<?, ?>) s)
            .filter(s -> kind.equals(s.get("kind")))
            .map(s -> (String) s.get("label"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no " + kind + " sent"));
  }

  private static List<?> deviceLabels(AppUser user) {
    return (List<?>) ((Map<?, ?>) user.browser.run(SENDERS)).get("devices");
  }

  private static List<String> resources(AppUser user) {
    return ((List<?>) user.browser.run(RESOURCES)).stream().map(String.class::cast).toList();
  }

  private static boolean checked(AppUser user, String testId) {
    return Boolean.TRUE.equals(
        user.browser.run(
            "const e = document.querySelector(\"[data-testid='"
                + testId
                + "']\"); const i = e.matches('input') ? e : e.querySelector('input');"
                + " return i.checked;"));
  }

  private static double number(Object frame, String field) {
    return ((Number) ((Map<?, ?>) frame).get(field)).doubleValue();
  }

  /** Euclidean distance between two mean colours. */
  private static double distance(Object a, Object b) {
    double r = number(a, "r") - number(b, "r");
    double g = number(a, "g") - number(b, "g");
    double bl = number(a, "b") - number(b, "b");
    return Math.sqrt(r * r + g * g + bl * bl);
  }

  private static void onEveryPage(AppUser user, String script) {
    user.browser
        .driver()
        .executeCdpCommand("Page.addScriptToEvaluateOnNewDocument", Map.of("source", script));
  }

  private static void awaitState(AppUser user, String testId, String state, Duration timeout)
      throws InterruptedException {
    awaitAttribute(user, testId, "data-state", state, timeout);
  }

  private static void awaitAttribute(
      AppUser user, String testId, String attribute, String value, Duration timeout)
      throws InterruptedException {
    user.browser.await(
        "const e = document.querySelector(\"[data-testid='"
            + testId
            + "']\"); return e && e.getAttribute('"
            + attribute
            + "');",
        value::equals,
        timeout);
  }
}
