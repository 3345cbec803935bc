package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

/**
 * The web app counts the Content-Security-Policy violations of its page on {@code <html
 * data-csp-violations>} (web/src/app/cspWatch.ts); a browser test asserts the count is still zero
 * before it leaves a page (a full navigation starts a new count).
 */
final class CspViolations {
  private CspViolations() {}

  private static final String READ =
      """
      const d = document.documentElement.dataset;
      return {count: d.cspViolations ?? null, last: d.cspLast ?? ''};
      """;

  static void assertNone(AppUser user) {
    Map<?, ?> r = (Map<?, ?>) user.browser.run(READ);
    assertThat(r.get("count")).as("the app's CSP counter (is the app loaded?)").isNotNull();
    assertThat(r.get("count")).as("CSP violations; last: %s", r.get("last")).isEqualTo("0");
  }
}
