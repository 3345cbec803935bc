package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (tag {@code benchmark}, run by {@code scripts/bench-web}): the home page's
 * weight and first render in headless Chromium on loopback.
 *
 * <ul>
 *   <li>Initial JavaScript: every script the home page fetched by the time its heading is painted
 *       (the entry and the chunks it imports; the meeting's chunks load later, lazily), each
 *       gzipped at level 9 as a compressing proxy would send it.
 *   <li>First render: navigation start to the first paint of the home page's main heading (Element
 *       Timing API), median and worst of {@code visio.bench.loads} loads with the HTTP cache off.
 * </ul>
 *
 * Writes the numbers to {@code server/target/web-speed.txt}.
 */
@Tag("benchmark")
class WebSpeedBenchmark {
  static final int LOADS = Integer.getInteger("visio.bench.loads", 15);

  /** Resolves with the heading's first paint (ms from navigation start), or rejects. */
  private static final String HEADING_PAINT =
      """
      return await new Promise((resolve, reject) => {
        const seen = (list) => {
          const e = list.getEntries().find(e => e.identifier === 'home-title');
          if (e) resolve(e.renderTime || e.loadTime);
        };
        new PerformanceObserver(seen).observe({type: 'element', buffered: true});
        setTimeout(() => reject(new Error('no element timing for home-title')), 10000);
      });
      """;

  private static final String SCRIPTS =
      """
      return performance.getEntriesByType('resource')
          .map(e => e.name).filter(u => new URL(u).pathname.endsWith('.js'));
      """;

  @Test
  void homePageWeightAndFirstRender() throws Exception {
    try (VisioServer server = DevServer.start();
        Chromium browser = new Chromium()) {
      String base = DevServer.base(server);
      browser.driver().executeCdpCommand("Network.setCacheDisabled", Map.of("cacheDisabled", true));
      List<Double> paints = new ArrayList<>();
      List<?> scripts = List.of();
      for (int i = 0; i < LOADS + 2; i++) {
        browser.open(base + "/");
        double ms = ((Number) browser.run(HEADING_PAINT)).doubleValue();
        scripts = (List<?>) browser.run(SCRIPTS);
        if (i >= 2) { // two warm-up loads: the JVM's and Chromium's first requests
          paints.add(ms);
        }
      }
      Collections.sort(paints);

      HttpClient http = HttpClient.newHttpClient();
      long raw = 0;
      long gzipped = 0;
      for (Object url : scripts) {
        byte[] body =
            http.send(
                    HttpRequest.newBuilder(URI.create((String) url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray())
                .body();
        raw += body.length;
        gzipped += gzip(body).length;
      }
      assertThat(scripts).isNotEmpty();
      String report =
          """
          home page initial JavaScript: %d files, %.1f KB, %.1f KB gzipped (level 9)
          home page heading first paint: %d loads, median %.0f ms, p90 %.0f ms, max %.0f ms
          """
              .formatted(
                  scripts.size(),
                  raw / 1024.0,
                  gzipped / 1024.0,
                  paints.size(),
                  paints.get(paints.size() / 2),
                  paints.get((int) Math.ceil(paints.size() * 0.9) - 1),
                  paints.getLast());
      System.out.print(report);
      Files.writeString(Path.of("target", "web-speed.txt"), report);
    }
  }

  private static byte[] gzip(byte[] in) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream z =
        new GZIPOutputStream(out) {
          {
            def.setLevel(Deflater.BEST_COMPRESSION);
          }
        }) {
      z.write(in);
    }
    return out.toByteArray();
  }
}
