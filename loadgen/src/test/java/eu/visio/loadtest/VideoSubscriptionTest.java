package eu.visio.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import eu.visio.loadtest.bot.VideoWindow;
import eu.visio.loadtest.target.BotPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Subscriptions named from the plans, told local from cross-node, and summed up per set. */
class VideoSubscriptionTest {
  private static BotPlan publisher(String name) {
    return new BotPlan("r", name, true, true, 3, 2, 2, 2);
  }

  private static VideoWindow window(String sub, int pub, long low, long high, long frames) {
    return new VideoWindow(sub, pub, new long[] {low, 0, high}, frames, 1);
  }

  @Test
  void everySubscriptionIsLocalOrCrossNodeByTheNodesItsBotsJoined() {
    // Three publishers who watch each other, and a viewer; pub-0 and the viewer share node 0.
    List<BotPlan> plans =
        List.of(
            publisher("pub-0"),
            publisher("pub-1"),
            publisher("pub-2"),
            new BotPlan("r", "sub-0", false, false, 3, 3, 3, 2));
    int[] nodes = {0, 1, 2, 0};
    List<VideoWindow> windows =
        List.of(
            window("pub-1", 0, 10, 90, 30),
            window("pub-1", 0, 5, 0, 0), // a second stream of the same subscription adds up
            window("pub-2", 0, 0, 0, 0), // delivered once, silent in the window
            window("sub-0", 0, 0, 200, 30),
            window("sub-0", 1, 40, 0, 30),
            window("pub-0", 1, 20, 20, 30),
            window("pub-0", 2, 20, 20, 30),
            window("pub-1", 2, 100, 0, 30),
            window("pub-2", 1, 100, 0, 30));

    List<VideoSubscription> subs = VideoSubscription.of(plans, nodes, windows);

    assertThat(subs).hasSize(9); // 3 × 2 among the publishers, 3 for the viewer
    assertThat(subs)
        .filteredOn(s -> !s.crossNode())
        .extracting(s -> s.subscriber() + "<-" + s.publisher())
        .containsExactly("sub-0<-pub-0");
    VideoSubscription merged =
        subs.stream()
            .filter(s -> s.subscriber().equals("pub-1") && s.publisher().equals("pub-0"))
            .findFirst()
            .orElseThrow();
    assertThat(merged.packets()).isEqualTo(105);
    assertThat(merged.window().keyframes()).isEqualTo(2);
    VideoSubscription never =
        subs.stream()
            .filter(s -> s.subscriber().equals("sub-0") && s.publisher().equals("pub-2"))
            .findFirst()
            .orElseThrow();
    assertThat(never.delivered()).isFalse();
    assertThat(never.crossNode()).isTrue();

    VideoSplit cross =
        VideoSplit.of(subs.stream().filter(VideoSubscription::crossNode).toList(), 2);
    assertThat(cross.subscriptions()).isEqualTo(8);
    assertThat(cross.silent()).as("pub-2 <- pub-0 and sub-0 <- pub-2").isEqualTo(2);
    assertThat(cross.neverDelivered()).isEqualTo(1);
    // 105 + 0 + 40 + 40 + 40 + 100 + 100 + 0 = 425 packets, 8 subscriptions, 2 s.
    assertThat(cross.packetsPerS()).isCloseTo(425 / 2.0 / 8, within(1e-9));
    assertThat(cross.highLayerShare()).isCloseTo((90 + 20 + 20) / 425.0, within(1e-9));
    assertThat(cross.p10PacketsPerS()).as("the worst-served tenth got nothing").isZero();
    VideoSplit local = VideoSplit.of(subs.stream().filter(s -> !s.crossNode()).toList(), 2);
    assertThat(local.subscriptions()).isEqualTo(1);
    assertThat(local.packetsPerS()).isEqualTo(100);
    assertThat(local.highLayerShare()).isEqualTo(1);
    assertThat(local.framesPerS()).isEqualTo(15);
    assertThat(local.keyframesPerMin()).isEqualTo(30);
    assertThat(local.silent()).isZero();
  }

  @Test
  void onOneNodeEverySubscriptionIsLocal() {
    List<BotPlan> plans = List.of(publisher("pub-0"), publisher("pub-1"));
    List<VideoSubscription> subs =
        VideoSubscription.of(
            plans,
            new int[2],
            List.of(window("pub-0", 1, 0, 50, 30), window("pub-1", 0, 0, 70, 30)));
    assertThat(subs).hasSize(2).noneMatch(VideoSubscription::crossNode);
    VideoSplit none = VideoSplit.of(List.of(), 1);
    assertThat(none.subscriptions()).isZero();
    assertThat(none.packetsPerS()).isNaN();
  }

  @Test
  void theTenthPercentileIsTheWorstServedTenth() {
    List<VideoSubscription> subs = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      VideoWindow w = window("s" + i, 0, 10L * (i + 1), 0, 0);
      subs.add(new VideoSubscription("s" + i, "pub-0", false, w));
    }
    // 10, 20, ..., 200 packets over 10 s: the tenth percentile of 20 is the second, 2 pkt/s.
    assertThat(VideoSplit.of(subs, 10).p10PacketsPerS()).isEqualTo(2);
  }
}
