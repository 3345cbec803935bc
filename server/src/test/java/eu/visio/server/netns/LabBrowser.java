package eu.visio.server.netns;

import eu.visio.server.browser.Chromium;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.remote.RemoteWebDriver;

/**
 * Headless Chromium inside a lab's client namespace. Debian's chromedriver runs there (started with
 * {@code ip netns exec}), so the Chromium it launches is in the namespace too and talks to it over
 * the namespace's own loopback; the test drives chromedriver from the root namespace over the lab
 * link, on one of the {@link Firewall#CONTROL_PORTS} every rule set lets in. (Running only Chromium
 * in the namespace would leave chromedriver unable to reach its DevTools port there.)
 *
 * <p>The flags are {@link Chromium}'s, plus {@code --unsafely-treat-insecure-origin-as-secure} for
 * the server's plain-HTTP origin on the lab address: camera and microphone need a secure context,
 * which only loopback gives plain HTTP, and the server is not on the client's loopback.
 */
final class LabBrowser implements AutoCloseable {
  private static final String NET_LOG = "netlog.json";

  private final Path profile;
  private final Process chromedriver;
  private final RemoteWebDriver driver;

  LabBrowser(NetLab lab, String origin) throws IOException, InterruptedException {
    if (!new File(Chromium.BINARY).canExecute() || !new File(Chromium.DRIVER).canExecute()) {
      throw new IllegalStateException(
          "browser tests need Debian's chromium and chromium-driver (./test installs them)");
    }
    profile = Files.createTempDirectory("visio-lab-chromium-");
    int port = lab.controlPort();
    chromedriver =
        new ProcessBuilder(
                lab.command(
                    Chromium.DRIVER,
                    "--port=" + port,
                    "--allowed-ips=" + lab.serverAddress().getHostAddress()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    try {
      URI base = URI.create("http://" + lab.clientAddress().getHostAddress() + ":" + port);
      awaitReady(base);
      ChromeOptions options = options(profile, origin);
      // Kept for a stalled page load (a network change once did it; see NetLab): see keepNetLog.
      options.addArguments("--log-net-log=" + profile.resolve(NET_LOG));
      driver = new RemoteWebDriver(base.toURL(), options);
      driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
    } catch (IOException | InterruptedException | RuntimeException e) {
      chromedriver.destroyForcibly();
      deleteProfile();
      throw e;
    }
  }

  /**
   * {@link Chromium}'s options with a fresh profile, {@code origin} treated as secure, the lab
   * server's self-signed certificate accepted.
   */
  static ChromeOptions options(Path profile, String origin) {
    ChromeOptions options = Chromium.options(profile);
    options.addArguments("--unsafely-treat-insecure-origin-as-secure=" + origin);
    // The lab server's certificate is self-signed, and Chromium verifies a turns: server's as it
    // does an HTTPS one.
    options.addArguments("--ignore-certificate-errors");
    return options;
  }

  RemoteWebDriver driver() {
    return driver;
  }

  /**
   * Copies Chromium's network log so far to {@code target/netlog-<name>-<time>.json} (the profile
   * goes with the browser), for a failure to be read with Chromium's netlog viewer afterwards.
   */
  void keepNetLog(String name) {
    try {
      Path kept = Path.of("target", "netlog-" + name + "-" + System.currentTimeMillis() + ".json");
      Files.copy(profile.resolve(NET_LOG), kept);
      System.err.println("lab browser's network log kept in " + kept.toAbsolutePath());
    } catch (IOException e) {
      System.err.println("lab browser's network log not kept: " + e);
    }
  }

  /** Polls chromedriver's {@code /status} until it answers ready (a few hundred ms normally). */
  private void awaitReady(URI base) throws InterruptedException, IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    HttpRequest status =
        HttpRequest.newBuilder(base.resolve("/status")).timeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      if (!chromedriver.isAlive()) {
        throw new IOException("chromedriver exited (" + chromedriver.exitValue() + ")");
      }
      try {
        HttpResponse<String> r = http.send(status, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("\"ready\":true")) {
          return;
        }
        last = r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new IOException("chromedriver in the lab not ready at " + base + ": " + last);
  }

  @Override
  public void close() throws IOException {
    try {
      driver.quit();
    } finally {
      chromedriver.destroy();
      try {
        if (!chromedriver.waitFor(3, java.util.concurrent.TimeUnit.SECONDS)) {
          chromedriver.destroyForcibly();
        }
      } catch (InterruptedException e) {
        chromedriver.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      deleteProfile();
    }
  }

  private void deleteProfile() throws IOException {
    try (Stream<Path> files = Files.walk(profile)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
