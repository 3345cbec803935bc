package eu.visio.server.browser;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium with fake camera and microphone, driven by Debian's chromedriver. Each
 * instance has a fresh profile directory, deleted on close. Selenium is given both binaries
 * explicitly: it must never try to download a browser.
 */
public final class Chromium implements AutoCloseable {
  public static final String BINARY = "/usr/bin/chromium";
  public static final String DRIVER = "/usr/bin/chromedriver";

  private final Path profile;
  private final ChromeDriver driver;

  public Chromium() throws IOException {
    this(options -> {});
  }

  /** A browser with {@code tune} applied to its options last (e.g. to turn on DevTools logs). */
  public Chromium(Consumer<ChromeOptions> tune) throws IOException {
    if (!new File(BINARY).canExecute() || !new File(DRIVER).canExecute()) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver (./test installs them)");
    }
    profile = Files.createTempDirectory("visio-chromium-");
    ChromeOptions options = options(profile);
    tune.accept(options);
    ChromeDriverService service =
        new ChromeDriverService.Builder().usingDriverExecutable(new File(DRIVER)).build();
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  /**
   * The options every test browser starts with: the project's standard flags (headless, fake
   * devices, no background traffic) and the fresh profile directory {@code profile}.
   */
  public static ChromeOptions options(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(BINARY);
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-quic",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--user-data-dir=" + profile);
    return options;
  }

  /** The WebDriver, for tests that use the page as a person does (clicks, typing). */
  public ChromeDriver driver() {
    return driver;
  }

  public void open(String url) {
    driver.get(url);
  }

  /**
   * Runs an async script: {@code body} is the inside of an async function whose return value
   * (JSON-compatible) is returned here; a thrown error fails the call.
   */
  public Object run(String body) {
    return runAsync(driver, body, "browser script");
  }

  /** {@link #run} on any driver; a thrown error fails the call with {@code who} in its message. */
  public static Object runAsync(WebDriver driver, String body, String who) {
    String script =
        "const done = arguments[arguments.length - 1];"
            + "(async () => {"
            + body
            + "})().then(v => done({ok: v}), e => done({error: String(e && e.message || e)}));";
    Object result = ((JavascriptExecutor) driver).executeAsyncScript(script);
    if (!(result instanceof Map<?, ?> map)) {
      throw new IllegalStateException("unexpected script result " + result);
    }
    if (map.containsKey("error")) {
      throw new IllegalStateException(who + " failed: " + map.get("error"));
    }
    return map.get("ok");
  }

  /** Polls {@code body} until {@code done} accepts its result, or fails after {@code timeout}. */
  public Object await(String body, Predicate<Object> done, Duration timeout)
      throws InterruptedException {
    return awaitAsync(driver, body, done, timeout, "browser");
  }

  /** {@link #await} on any driver; the failure names {@code who}. */
  public static Object awaitAsync(
      WebDriver driver, String body, Predicate<Object> done, Duration timeout, String who)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (System.nanoTime() < deadline) {
      last = runAsync(driver, body, who + "'s script");
      if (done.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        who + ": condition not met within " + timeout + "; last value: " + last);
  }

  /** A field of {@code VisioDemo.stats()}'s inbound summary for {@code kind}, or 0. */
  public static long inbound(Object stats, String kind, String field) {
    Object inbound = stats instanceof Map<?, ?> m ? m.get("inbound") : null;
    if (!(inbound instanceof Map<?, ?> in) || !(in.get(kind) instanceof Map<?, ?> k)) {
      return 0;
    }
    return k.get(field) instanceof Number n ? n.longValue() : 0;
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      try (Stream<Path> files = Files.walk(profile)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
