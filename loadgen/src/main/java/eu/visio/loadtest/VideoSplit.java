package eu.visio.loadtest;

import eu.visio.loadtest.bot.VideoWindow;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The video a set of subscriptions received in the window (the local ones, or those that crossed a
 * cascade link), per subscription: whether a cascade delivers less video over its links than on one
 * node, or less everywhere.
 *
 * @param subscriptions video subscriptions in the set
 * @param packetsPerS video media packets per second and subscription (first arrivals), the mean
 * @param p10PacketsPerS the tenth percentile of the same: the worst-served tenth gets at most this
 * @param highLayerShare share of those packets that were the highest simulcast layer, NaN when none
 * @param framesPerS frames (last packet arrived) per second and subscription
 * @param keyframesPerMin keyframes (first packet arrived) per minute and subscription
 * @param silent subscriptions that received no video packet in the window (never-delivered ones
 *     included)
 * @param neverDelivered subscriptions that never received any of the publisher's video
 */
public record VideoSplit(
    int subscriptions,
    double packetsPerS,
    double p10PacketsPerS,
    double highLayerShare,
    double framesPerS,
    double keyframesPerMin,
    int silent,
    int neverDelivered) {

  /** The set's numbers over a window of {@code seconds}. */
  public static VideoSplit of(List<VideoSubscription> subs, double seconds) {
    int n = subs.size();
    if (n == 0) {
      return new VideoSplit(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);
    }
    long[] packets = new long[n];
    long high = 0;
    long frames = 0;
    long keyframes = 0;
    int silent = 0;
    int never = 0;
    for (int i = 0; i < n; i++) {
      VideoSubscription s = subs.get(i);
      packets[i] = s.packets();
      if (packets[i] == 0) {
        silent++;
      }
      VideoWindow w = s.window();
      if (w == null) {
        never++;
      } else {
        high += w.layerPackets()[2];
        frames += w.frames();
        keyframes += w.keyframes();
      }
    }
    long total = Arrays.stream(packets).sum();
    Arrays.sort(packets);
    long p10 = packets[(int) Math.floor(0.1 * (n - 1))];
    return new VideoSplit(
        n,
        total / seconds / n,
        p10 / seconds,
        total == 0 ? Double.NaN : (double) high / total,
        frames / seconds / n,
        keyframes * 60 / seconds / n,
        silent,
        never);
  }

  /** One line of the report's table. */
  String describe() {
    return String.format(
        Locale.ROOT,
        "%d subscriptions: video %.1f pkt/s each (p10 %.1f), %.0f %% high layer, %.1f frames/s,"
            + " %.1f keyframes/min; %d silent in the window (%d never delivered)",
        subscriptions,
        packetsPerS,
        p10PacketsPerS,
        100 * highLayerShare,
        framesPerS,
        keyframesPerMin,
        silent,
        neverDelivered);
  }

  /** Its fields in the JSON report. */
  Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("subscriptions", subscriptions);
    m.put("packets_per_s", RunResult.round(packetsPerS, 2));
    m.put("p10_packets_per_s", RunResult.round(p10PacketsPerS, 2));
    m.put("high_layer_share", RunResult.round(highLayerShare, 3));
    m.put("frames_per_s", RunResult.round(framesPerS, 2));
    m.put("keyframes_per_min", RunResult.round(keyframesPerMin, 2));
    m.put("silent", silent);
    m.put("never_delivered", neverDelivered);
    return m;
  }
}
