package eu.visio.server;

import eu.visio.meet.room.RoomCode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The web app's single page (the web module's {@code index.html}) for the paths the app routes in
 * the browser: a meeting link {@code /abc-defg-hij} and the app's own pages ({@link #PAGES}) get it
 * with 200; any other unknown page a browser navigates to gets it with 404 (the app shows its "not
 * found" screen). Only where nothing else answered, so it never shadows a static file or an
 * endpoint, and never under the prefixes of machine endpoints, whose 404s stay as they are.
 */
final class AppPage {
  static final String RESOURCE = "/web/index.html";

  /** Paths of endpoints and files that are not app pages. */
  static final List<String> RESERVED =
      List.of(
          "/api/", "/auth/", "/rtc", "/twirp/", "/whip", "/whep", "/metrics", "/e2e/", "/assets/");

  /** The app's pages besides home and meetings (the web module's router knows the same). */
  static final Set<String> PAGES = Set.of("/connection-test", "/accessibility");

  private final byte[] html;

  private AppPage(byte[] html) {
    this.html = html;
  }

  /** The page from the classpath, or empty when the web module was not built into the jar. */
  static Optional<AppPage> load() {
    try (InputStream in = AppPage.class.getResourceAsStream(RESOURCE)) {
      return in == null ? Optional.empty() : Optional.of(new AppPage(in.readAllBytes()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void register(RoutesConfig routes) {
    routes.error(404, this::fallback);
  }

  private void fallback(Context ctx) {
    if (!"GET".equals(ctx.method().name())) {
      return;
    }
    String path = ctx.path();
    if (RESERVED.stream().anyMatch(path::startsWith)) {
      return;
    }
    boolean known =
        PAGES.contains(path)
            || path.lastIndexOf('/') == 0 && RoomCode.tryParse(path.substring(1)).isPresent();
    // Scripts, images and fetches of a missing file keep a plain 404; only page loads get the app.
    String accept = ctx.header("Accept");
    if (!known && (accept == null || !accept.contains("text/html"))) {
      return;
    }
    ctx.status(known ? 200 : 404).contentType("text/html; charset=utf-8").result(html);
  }
}
