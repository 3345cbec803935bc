package eu.visio.server.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The axe-core accessibility engine (Deque's, the one RGAA auditors' tools embed), run in the page
 * through WebDriver against the WCAG 2.0 and 2.1 level A and AA rules: contrast, names of controls,
 * ARIA use, landmarks, language, headings. The script comes from the web module's node_modules (a
 * pinned dev dependency); injecting it through WebDriver leaves the page's CSP untouched.
 */
final class Axe {
  private static final Path SCRIPT = Path.of("..", "web", "node_modules", "axe-core", "axe.min.js");
  private static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa");

  private static String source;

  private Axe() {}

  /**
   * The violations on the page as it is now, one line each: rule id, impact, and the first few
   * offending nodes with axe's explanation. Empty when the page passes.
   */
  static List<String> violations(AppUser user) {
    if (!Boolean.TRUE.equals(user.browser.driver().executeScript("return !!window.axe;"))) {
      // As a WebDriver script, not eval: the page's CSP forbids eval, and rightly.
      user.browser.driver().executeScript(script());
    }
    Object result =
        user.browser.run(
            "const r = await axe.run(document, {runOnly: {type: 'tag', values: "
                + TAGS.stream().map(t -> "'" + t + "'").collect(Collectors.joining(",", "[", "]"))
                + "}, resultTypes: ['violations']});"
                + "return r.violations.map(v => v.id + ' (' + v.impact + '): '"
                + " + v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' — '"
                + " + (n.failureSummary || '').replace(/\\s+/g, ' ')).join(' | '));");
    return ((List<?>) result).stream().map(String::valueOf).toList();
  }

  /**
   * Proves the audit can fail: a grey-on-white paragraph and a button without a name are added to
   * the page, must be reported as such, and are removed.
   */
  static List<String> canary(AppUser user) {
    user.browser.run(
        """
        const c = document.createElement('div');
        c.id = 'axe-canary';
        const p = document.createElement('p');
        p.textContent = 'faint';
        // Through the CSSOM: the page's CSP rightly ignores style attributes in markup.
        p.style.color = '#bbb';
        p.style.background = '#fff';
        c.append(p, document.createElement('button'));
        document.body.prepend(c);
        return true;
        """);
    try {
      return violations(user);
    } finally {
      user.browser.run("document.getElementById('axe-canary').remove(); return true;");
    }
  }

  private static synchronized String script() {
    if (source == null) {
      try {
        source = Files.readString(SCRIPT);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "axe-core is a dev dependency of web/: run npm ci there (the build does)", e);
      }
    }
    return source;
  }

  /** For assertion messages: the page, then its violations. */
  static String describe(String screen, List<String> violations) {
    return screen + ": " + violations.size() + " violations\n  " + String.join("\n  ", violations);
  }
}
