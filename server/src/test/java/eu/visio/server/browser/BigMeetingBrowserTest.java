package eu.visio.server.browser;

import static org.assertj.core.api.Assertions.assertThat;

import eu.visio.server.VisioServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A meeting of 51: a host in Chromium and fifty participants with a camera and a microphone each
 * (signalling bots, see {@link CameraBots}). The page renders one page of tiles and video elements
 * for those alone, never fifty; every camera is subscribed, and livekit-client's adaptive stream
 * keeps enabled the cameras whose tiles are on screen; when the host turns the page, the new page's
 * cameras are enabled and the first page's disabled (the server is asked to stop them). The
 * participants panel counts 51. Structure is asserted, not timing.
 *
 * <p>What this cannot show: a camera never shown at all is disabled by adaptive stream only once
 * its stream turns active, i.e. once media flows, and the bots send none.
 */
@Tag("browser")
class BigMeetingBrowserTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int BOTS = 50;

  /**
   * The page's livekit-client Room, found through React's fiber of a node inside the meeting (the
   * app exposes no global): the RoomContext provider's value. Kept on window for the next calls.
   */
  private static final String ROOM =
      """
      if (!window.__testRoom) {
        const el = document.querySelector("[data-testid='leave']");
        const key = el && Object.keys(el).find(k => k.startsWith('__reactFiber$'));
        for (let f = key ? el[key] : null; f; f = f.return) {
          const v = f.memoizedProps && f.memoizedProps.value;
          if (v && v.remoteParticipants instanceof Map && v.localParticipant) { window.__testRoom = v; break; }
        }
      }
      const room = window.__testRoom;
      """;

  /** What the page shows and what it asks of the server, in one look. */
  private static final String STATE =
      ROOM
          + """
      const grid = document.querySelector("[data-testid='participant-grid']");
      const tiles = [...document.querySelectorAll("[data-testid='tile']")];
      const cams = [...room.remoteParticipants.values()]
          .map(p => [p.identity, p.getTrackPublication('camera')])
          .filter(([, pub]) => pub);
      return {
        name: room.name,
        remote: room.remoteParticipants.size,
        pageSize: Number(grid ? grid.dataset.pageSize : -1),
        page: (((document.querySelector("[data-testid='page-label']") || {}).textContent || '').match(/[0-9]+/g) || []).map(Number),
        tiles: tiles.length,
        shown: tiles.filter(t => t.dataset.local === 'false').map(t => t.dataset.identity).sort(),
        videos: document.querySelectorAll('video').length,
        cameras: cams.length,
        subscribed: cams.filter(([, pub]) => pub.isSubscribed).map(([id]) => id).sort(),
        enabled: cams.filter(([, pub]) => pub.isSubscribed && pub.isEnabled).map(([id]) => id).sort(),
      };
      """;

  @Test
  void fiftyOthersFillPagesAndOnlyTheShownCamerasAreEnabled() throws Exception {
    try (VisioServer server = DevServer.start();
        AppUser host = new AppUser("big-host", o -> o.addArguments("--window-size=1280,800"))) {
      String base = DevServer.base(server);
      DevServer.hostJoins(host, base);
      Map<?, ?> before =
          (Map<?, ?>) host.browser.await(STATE, s -> !"".equals(((Map<?, ?>) s).get("name")), WAIT);
      String room = (String) before.get("name");
      assertThat(room).isNotBlank();

      try (CameraBots bots = new CameraBots(server.httpPort(), room, BOTS)) {
        // Everything below happens within the bots' 30 s: they never complete ICE, and the SFU
        // lets such a participant go after that.
        Map<?, ?> first =
            (Map<?, ?>)
                host.browser.await(
                    STATE, s -> allSubscribed((Map<?, ?>) s) && shownEnabled((Map<?, ?>) s), WAIT);
        int pageSize = ((Number) first.get("pageSize")).intValue();
        assertThat(pageSize).isBetween(4, 16);
        assertThat(((Number) first.get("tiles")).intValue())
            .as("one page of tiles, not 51")
            .isEqualTo(pageSize);
        assertThat(first.get("page"))
            .as("page 1 of as many as 51 tiles need")
            .isEqualTo(List.of(1L, (long) Math.ceilDiv(BOTS + 1, pageSize)));
        assertThat(((Number) first.get("videos")).intValue())
            .as("video elements only for the tiles on screen")
            .isLessThanOrEqualTo(pageSize);
        List<String> shownFirst = names(first.get("shown"));
        assertThat(shownFirst).hasSize(pageSize - 1); // the host's own tile leads page 1
        host.screenshot("1-page-one");

        // The next page: other tiles; their cameras are enabled, and the first page's are
        // disabled (asked of the server), as adaptive stream does for a video no longer shown.
        host.click("page-next");
        Map<?, ?> second =
            (Map<?, ?>)
                host.browser.await(
                    STATE,
                    s ->
                        ((List<?>) ((Map<?, ?>) s).get("page")).getFirst().equals(2L)
                            && shownEnabled((Map<?, ?>) s)
                            && names(((Map<?, ?>) s).get("enabled")).stream()
                                .noneMatch(shownFirst::contains),
                    WAIT);
        List<String> shownSecond = names(second.get("shown"));
        assertThat(shownSecond).hasSize(pageSize).doesNotContainAnyElementsOf(shownFirst);
        assertThat(((Number) second.get("tiles")).intValue()).isEqualTo(pageSize);
        assertThat(((Number) second.get("videos")).intValue()).isLessThanOrEqualTo(pageSize);
        assertThat(names(second.get("subscribed"))).as("still in the meeting").hasSize(BOTS);
        host.screenshot("2-page-two");

        // Everyone counted in the participants panel.
        host.click("toggle-people");
        host.await("people-panel");
        assertThat(
                host.browser.run(
                    "return document.getElementById('people-panel-title').textContent;"))
            .asString()
            .contains("(" + (BOTS + 1) + ")");
      }
    }
  }

  private static List<String> names(Object list) {
    return ((List<?>) list).stream().map(String::valueOf).toList();
  }

  /** All fifty cameras announced and their tracks arrived (auto-subscribe). */
  private static boolean allSubscribed(Map<?, ?> s) {
    return ((Number) s.get("cameras")).intValue() == BOTS
        && ((List<?>) s.get("subscribed")).size() == BOTS;
  }

  /** Every camera with a tile on screen is enabled (adaptive stream, within its debounce). */
  private static boolean shownEnabled(Map<?, ?> s) {
    List<String> shown = names(s.get("shown"));
    return !shown.isEmpty() && names(s.get("enabled")).containsAll(shown);
  }
}
