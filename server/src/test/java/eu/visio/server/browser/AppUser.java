package eu.visio.server.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.function.Consumer;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A person using the web app in Chromium: finds controls by their {@code data-testid}, waits for
 * them, clicks and types as a user would. Screenshots go to {@code target/screenshots/}.
 */
final class AppUser implements AutoCloseable {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Path SHOTS = Path.of("target", "screenshots");

  final Chromium browser;
  private final String who;

  AppUser(String who) throws IOException {
    this(who, options -> {});
  }

  AppUser(String who, Consumer<ChromeOptions> tune) throws IOException {
    this.who = who;
    this.browser = new Chromium(tune);
  }

  void open(String url) {
    browser.open(url);
  }

  static By id(String testId) {
    return By.cssSelector("[data-testid='" + testId + "']");
  }

  /** The visible element with {@code testId}, waiting for it. */
  WebElement await(String testId) {
    return new WebDriverWait(browser.driver(), WAIT)
        .until(ExpectedConditions.visibilityOfElementLocated(id(testId)));
  }

  void click(String testId) {
    new WebDriverWait(browser.driver(), WAIT)
        .until(ExpectedConditions.elementToBeClickable(id(testId)))
        .click();
  }

  void type(String testId, String text) {
    WebElement field = await(testId);
    field.clear();
    field.sendKeys(text);
  }

  /** Waits until {@code testId}'s text is {@code text}. */
  void awaitText(String testId, String text) {
    new WebDriverWait(browser.driver(), WAIT)
        .until(ExpectedConditions.textToBePresentInElementLocated(id(testId), text));
  }

  String url() {
    return browser.driver().getCurrentUrl();
  }

  void screenshot(String step) throws IOException {
    Files.createDirectories(SHOTS);
    Path shot = browser.driver().getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SHOTS.resolve(who + "-" + step + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  @Override
  public void close() throws IOException {
    browser.close();
  }
}
