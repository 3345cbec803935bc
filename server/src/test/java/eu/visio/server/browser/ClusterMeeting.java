package eu.visio.server.browser;

import static eu.visio.server.browser.LiveKitPage.stat;

import java.time.Duration;
import java.util.List;

/**
 * What the cluster browser tests check of one meeting, whatever the nodes are (in this JVM or
 * processes of their own): everyone decodes everyone else's video and hears their audio, and a chat
 * message reaches all the others.
 */
final class ClusterMeeting {
  static final Duration WAIT = Duration.ofSeconds(30);

  private ClusterMeeting() {}

  /** Each page decodes the others' video (over 10 frames) and receives their audio (over 1 s). */
  static void awaitSeeAndHear(List<LiveKitPage> pages) throws InterruptedException {
    for (LiveKitPage p : pages) {
      List<String> others = others(pages, p);
      p.awaitState(
          s ->
              others.stream()
                  .allMatch(
                      o ->
                          stat(s, o, "video", "framesDecoded") > 10
                              && stat(s, o, "audio", "totalSamplesReceived") > 48_000),
          WAIT);
    }
  }

  /** A data message on topic "chat" from {@code from} reaches every other page. */
  static void awaitChat(List<LiveKitPage> pages, LiveKitPage from, String text)
      throws InterruptedException {
    from.awaitEngineSettled(WAIT);
    from.publishData(text, true, "chat", List.of());
    String expected = from.identity + "/chat/" + text;
    for (LiveKitPage p : pages) {
      if (p != from) {
        p.awaitState(s -> LiveKitBrowserTest.data(s).contains(expected), WAIT);
      }
    }
  }

  static List<String> others(List<LiveKitPage> pages, LiveKitPage page) {
    return pages.stream().filter(p -> p != page).map(p -> p.identity).toList();
  }
}
