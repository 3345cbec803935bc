package eu.visio.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import eu.visio.loadtest.bot.VideoWindow;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table and the JSON give the video per subscription, split by node when a cascade ran. */
class ReportTest {
  @TempDir Path dir;

  private static VideoSubscription sub(String s, String p, boolean cross, long low, long high) {
    return new VideoSubscription(
        s, p, cross, new VideoWindow(s, 0, new long[] {low, 0, high}, 300, 2));
  }

  private static RunResult run(String target, List<VideoSubscription> video) {
    VideoSplit local = VideoSplit.of(video.stream().filter(v -> !v.crossNode()).toList(), 10);
    VideoSplit cross =
        VideoSplit.of(video.stream().filter(VideoSubscription::crossNode).toList(), 10);
    return new RunResult(
        target, 3, 3, 10, 1000, 1000, 0, 500, 1, 0.2, 40, 1, 2, 300, List.of(), -1, -1, 60, 0.5,
        local, cross);
  }

  @Test
  void aCascadeRunShowsLocalAndCrossNodeVideoApart() throws Exception {
    RunResult r =
        run(
            "visio-cascade",
            List.of(
                sub("pub-1", "pub-0", false, 0, 400),
                sub("pub-2", "pub-0", true, 100, 0),
                new VideoSubscription("pub-0", "pub-2", true, null)));
    String table = Report.table("meeting", "abc", List.of(r));
    assertThat(table)
        .contains(
            "local: 1 subscriptions: video 40.0 pkt/s each (p10 40.0), 100 % high layer,"
                + " 30.0 frames/s, 12.0 keyframes/min; 0 silent in the window (0 never delivered)")
        .contains(
            "cross-node: 2 subscriptions: video 5.0 pkt/s each (p10 0.0), 0 % high layer,"
                + " 15.0 frames/s, 6.0 keyframes/min; 1 silent in the window (1 never delivered)")
        .contains("video 60 pkt/s (50 % high layer)");

    Path file = dir.resolve("r.json");
    Report.writeJson(file, "meeting", "abc", List.of(r));
    JsonNode json = new ObjectMapper().readTree(file.toFile()).get("runs").get(0);
    assertThat(json.get("video_packets_per_s").asDouble()).isEqualTo(60);
    assertThat(json.get("video_local").get("subscriptions").asInt()).isEqualTo(1);
    assertThat(json.get("video_local").get("high_layer_share").asDouble()).isEqualTo(1);
    JsonNode cross = json.get("video_cross_node");
    assertThat(cross.get("packets_per_s").asDouble()).isEqualTo(5);
    assertThat(cross.get("silent").asInt()).isEqualTo(1);
    assertThat(cross.get("never_delivered").asInt()).isEqualTo(1);
  }

  @Test
  void aSingleNodeRunHasOneVideoLineAndNoCrossNodeSet() throws Exception {
    RunResult r = run("visio", List.of(sub("pub-1", "pub-0", false, 0, 400)));
    String table = Report.table("meeting", "abc", List.of(r));
    assertThat(table).contains("        1 subscriptions: video 40.0 pkt/s").doesNotContain("cross");
    Path file = dir.resolve("r.json");
    Report.writeJson(file, "meeting", "abc", List.of(r));
    JsonNode json = new ObjectMapper().readTree(file.toFile()).get("runs").get(0);
    assertThat(json.has("video_local")).isTrue();
    assertThat(json.has("video_cross_node")).isFalse();
  }
}
