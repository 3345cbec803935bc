package eu.visio.loadtest;

import java.util.List;
import java.util.Map;

/**
 * One target's numbers for one scenario, as the report gives them (the JSON fields of issue 8).
 *
 * @param missing subscriptions that delivered nothing ("sub-3 <- pub-1 video"): empty when every
 *     subscriber received media from every publisher it should
 * @param turnRelayedPerS datagrams per second the server's TURN relays carried in the window, both
 *     ways, or -1 when the bots went straight to the server
 * @param turnRefused requests TURN refused and datagrams it dropped in the window, or -1
 * @param videoPacketsPerS video media packets the subscribers received per second (first arrivals,
 *     not retransmissions): a server short of CPU or bandwidth pauses video before it loses
 *     packets, which the loss ratio alone does not show
 * @param highLayerShare the share of those packets that were the highest simulcast layer, NaN when
 *     there were none
 * @param localVideo per-subscription video of the subscriptions whose publisher joined the
 *     subscriber's node (all of them on a target of one server)
 * @param crossNodeVideo the same for subscriptions whose publisher joined another node of a cascade
 *     (none on a target of one server)
 */
public record RunResult(
    String target,
    int publishers,
    int subscribers,
    double durationS,
    long expectedPackets,
    long receivedPackets,
    double lossRatio,
    double forwardedPacketsPerS,
    double forwardedMbitPerS,
    double serverCpuSPerS,
    double cpuUsPerForwardedPacket,
    double delayMsP50,
    double delayMsP99,
    double serverRssMib,
    List<String> missing,
    double turnRelayedPerS,
    long turnRefused,
    double videoPacketsPerS,
    double highLayerShare,
    VideoSplit localVideo,
    VideoSplit crossNodeVideo) {

  public RunResult {
    missing = List.copyOf(missing);
  }

  /** The fields of the JSON report, in its order. */
  Map<String, Object> json() {
    Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("target", target);
    m.put("publishers", publishers);
    m.put("subscribers", subscribers);
    m.put("duration_s", round(durationS, 3));
    m.put("expected_packets", expectedPackets);
    m.put("received_packets", receivedPackets);
    m.put("loss_ratio", round(lossRatio, 6));
    m.put("forwarded_packets_per_s", round(forwardedPacketsPerS, 1));
    m.put("forwarded_mbit_per_s", round(forwardedMbitPerS, 3));
    m.put("server_cpu_s_per_s", round(serverCpuSPerS, 4));
    m.put("cpu_us_per_forwarded_packet", round(cpuUsPerForwardedPacket, 3));
    m.put("delay_ms_p50", round(delayMsP50, 3));
    m.put("delay_ms_p99", round(delayMsP99, 3));
    m.put("server_rss_mib", round(serverRssMib, 1));
    m.put("video_packets_per_s", round(videoPacketsPerS, 1));
    if (!Double.isNaN(highLayerShare)) {
      m.put("video_high_layer_share", round(highLayerShare, 3));
    }
    if (localVideo.subscriptions() > 0) {
      m.put("video_local", localVideo.json());
    }
    if (crossNodeVideo.subscriptions() > 0) {
      m.put("video_cross_node", crossNodeVideo.json());
    }
    if (turnRelayedPerS >= 0) {
      m.put("turn_relayed_packets_per_s", round(turnRelayedPerS, 1));
      m.put("turn_refused", turnRefused);
    }
    return m;
  }

  static Object round(double v, int digits) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    return java.math.BigDecimal.valueOf(v).setScale(digits, java.math.RoundingMode.HALF_UP);
  }
}
