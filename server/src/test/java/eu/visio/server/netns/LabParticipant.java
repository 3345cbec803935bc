package eu.visio.server.netns;

import eu.visio.server.browser.Chromium;
import eu.visio.server.browser.PageScripts;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * One livekit-client participant on the harness page {@code /e2e/livekit.html} (its {@code
 * window.visio} API), served by the server under test at {@code base}: either in a lab's client
 * namespace ({@link #inLab}) or in the test's own namespace ({@link #onHost}), both reaching the
 * server at its lab address.
 */
final class LabParticipant implements AutoCloseable {
  private static final Duration READY = Duration.ofSeconds(10);

  final String identity;
  private final RemoteWebDriver driver;
  private final Closeable browser;
  private final Runnable onStall;
  private boolean closed;

  private LabParticipant(
      String identity, RemoteWebDriver driver, Closeable browser, Runnable onStall) {
    this.identity = identity;
    this.driver = driver;
    this.browser = browser;
    this.onStall = onStall;
  }

  /** A participant whose browser runs in {@code lab}'s client namespace. */
  static LabParticipant inLab(NetLab lab, String base, String identity)
      throws IOException, InterruptedException {
    LabBrowser browser = new LabBrowser(lab, base);
    return opened(
        new LabParticipant(
            identity, browser.driver(), browser::close, () -> browser.keepNetLog(identity)),
        base);
  }

  /** A participant whose browser runs in the test's namespace, on no locked-down network. */
  static LabParticipant onHost(String base, String identity)
      throws IOException, InterruptedException {
    Chromium browser =
        new Chromium(o -> o.addArguments("--unsafely-treat-insecure-origin-as-secure=" + base));
    return opened(new LabParticipant(identity, browser.driver(), browser::close, () -> {}), base);
  }

  private static LabParticipant opened(LabParticipant p, String base)
      throws IOException, InterruptedException {
    try {
      p.driver.get(base + "/e2e/livekit.html");
      try {
        p.await("return document.body.dataset.ready === 'true';", Boolean.TRUE::equals, READY);
      } catch (AssertionError stalled) {
        // Stalls were seen when the lab's network changed under a starting browser (NetLab now
        // settles it first); should one come back, its network log shows why.
        p.onStall.run();
        throw stalled;
      }
      p.recordPeerConnections();
      return p;
    } catch (RuntimeException | InterruptedException | Error e) {
      p.close();
      throw e;
    }
  }

  /** Runs the inside of an async function in the page; returns its (JSON-like) value. */
  Object run(String body) {
    return Chromium.runAsync(driver, body, identity + "'s page script");
  }

  /** Polls {@code body} until {@code done} accepts its value; fails after {@code timeout}. */
  Object await(String body, Predicate<Object> done, Duration timeout) throws InterruptedException {
    return Chromium.awaitAsync(driver, body, done, timeout, identity);
  }

  /** Keeps the peer connections livekit-client creates (with the global constructor). */
  private void recordPeerConnections() {
    run(PageScripts.RECORD_PEER_CONNECTIONS);
  }

  /**
   * Joins the room {@code token} grants over {@code /rtc} (two peer connections, so both directions
   * are checked), publishing a small camera and the microphone.
   */
  void join(String wsUrl, String token) {
    run(
        "await window.visio.connect('%s', '%s', {singlePeerConnection: false, camera: true,"
                .formatted(wsUrl, token)
            + " microphone: true, width: 320, height: 180}); return 0;");
  }

  /**
   * Waits until this participant has decoded more than {@code frames} of {@code remote}'s video.
   */
  void awaitVideoFrom(String remote, long frames, Duration timeout) throws InterruptedException {
    await(
        """
        const s = await window.visio.state();
        for (const r of s.remotes)
          if (r.identity === '%s')
            for (const t of r.tracks) if (t.kind === 'video') return t.framesDecoded ?? 0;
        return 0;
        """
            .formatted(remote),
        v -> v instanceof Number n && n.longValue() > frames,
        timeout);
  }

  /** The selected candidate pair of each connected peer connection ({@link PageScripts}). */
  List<Map<?, ?>> selectedCandidatePairs() {
    List<?> pairs = (List<?>) run(PageScripts.SELECTED_CANDIDATE_PAIRS);
    return pairs.stream().<Map<?, ?>>map(p -> (Map<?, ?>) p).toList();
  }

  /** Leaves the room, then closes the browser (and, in a lab, its chromedriver); once. */
  @Override
  public void close() throws IOException {
    if (closed) {
      return; // a test may leave early, inside its try-with-resources
    }
    closed = true;
    try {
      run("await window.visio.disconnect(); return 0;");
    } catch (RuntimeException e) {
      // the page may not have joined, or be gone: the server then times the session out
    } finally {
      browser.close();
    }
  }
}
