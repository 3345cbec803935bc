package eu.visio.loadtest;

import eu.visio.loadtest.bot.VideoWindow;
import eu.visio.loadtest.target.BotPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One video subscription of a run: who receives whose video, whether the two bots joined different
 * nodes of a cascade (so the video crossed a relay link), and what arrived in the window.
 *
 * @param window what arrived in the window, or null when nothing of this publisher's video ever
 *     reached the subscriber
 */
public record VideoSubscription(
    String subscriber, String publisher, boolean crossNode, VideoWindow window) {

  /** Whether any of the publisher's video ever reached the subscriber. */
  public boolean delivered() {
    return window != null;
  }

  /** Media packets in the window (0 when never delivered). */
  public long packets() {
    return window == null ? 0 : window.packets();
  }

  /**
   * Every video subscription {@code plans} call for (each subscriber of video, each other video
   * publisher), with what {@code windows} say it received.
   *
   * @param plans the run's bots, in order; publishers take their index among publishers
   * @param nodes the node each bot of {@code plans} joined
   * @param windows what each subscriber's streams received, keyed by the publisher's index (a
   *     subscription spread over two streams is added up)
   */
  public static List<VideoSubscription> of(
      List<BotPlan> plans, int[] nodes, List<VideoWindow> windows) {
    if (nodes.length != plans.size()) {
      throw new IllegalArgumentException("one node per bot");
    }
    Map<String, VideoWindow> received = new HashMap<>();
    for (VideoWindow w : windows) {
      received.merge(w.subscriber() + "\n" + w.publisher(), w, VideoWindow::plus);
    }
    int[] publisherIndex = new int[plans.size()];
    int next = 0;
    for (int i = 0; i < plans.size(); i++) {
      publisherIndex[i] = plans.get(i).publishes() ? next++ : -1;
    }
    List<VideoSubscription> out = new ArrayList<>();
    for (int s = 0; s < plans.size(); s++) {
      BotPlan sub = plans.get(s);
      if (sub.recvVideo() == 0) {
        continue;
      }
      for (int p = 0; p < plans.size(); p++) {
        BotPlan pub = plans.get(p);
        if (p == s || !pub.video()) {
          continue;
        }
        out.add(
            new VideoSubscription(
                sub.identity(),
                pub.identity(),
                nodes[s] != nodes[p],
                received.get(sub.identity() + "\n" + publisherIndex[p])));
      }
    }
    return out;
  }
}
