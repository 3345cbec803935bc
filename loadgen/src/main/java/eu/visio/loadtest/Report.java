package eu.visio.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The report: a table for people, JSON for machines (issue 8's schema). */
public final class Report {
  private Report() {}

  /** A table, one row per target, with each target's CPU per packet relative to ours. */
  public static String table(String scenario, String commit, List<RunResult> runs) {
    RunResult ours = runs.stream().filter(r -> r.target().equals("visio")).findFirst().orElse(null);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "scenario %s, commit %s%n", scenario, commit));
    sb.append(
        String.format(
            Locale.ROOT,
            "%-7s %5s %5s %7s %11s %11s %9s %10s %9s %8s %10s %8s %8s %8s%n",
            "target",
            "pubs",
            "subs",
            "secs",
            "expected",
            "received",
            "loss",
            "fwd pkt/s",
            "fwd Mb/s",
            "cpu s/s",
            "cpu us/pkt",
            "vs visio",
            "p50 ms",
            "p99 ms"));
    for (RunResult r : runs) {
      String ratio =
          ours == null || Double.isNaN(ours.cpuUsPerForwardedPacket())
              ? "-"
              : String.format(
                  Locale.ROOT,
                  "%.2fx",
                  r.cpuUsPerForwardedPacket() / ours.cpuUsPerForwardedPacket());
      sb.append(
          String.format(
              Locale.ROOT,
              "%-7s %5d %5d %7.1f %11d %11d %9.5f %10.0f %9.1f %8.3f %10.2f %8s %8.2f %8.2f%n",
              r.target(),
              r.publishers(),
              r.subscribers(),
              r.durationS(),
              r.expectedPackets(),
              r.receivedPackets(),
              r.lossRatio(),
              r.forwardedPacketsPerS(),
              r.forwardedMbitPerS(),
              r.serverCpuSPerS(),
              r.cpuUsPerForwardedPacket(),
              ratio,
              r.delayMsP50(),
              r.delayMsP99()));
      sb.append(String.format(Locale.ROOT, "        server RSS %.0f MiB", r.serverRssMib()));
      if (r.videoPacketsPerS() > 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                ", video %.0f pkt/s (%.0f %% high layer)",
                r.videoPacketsPerS(),
                100 * r.highLayerShare()));
      }
      if (r.turnRelayedPerS() >= 0) {
        sb.append(
            String.format(
                Locale.ROOT,
                ", TURN relayed %.0f datagrams/s, refused or dropped %d",
                r.turnRelayedPerS(),
                r.turnRefused()));
      }
      if (!r.missing().isEmpty()) {
        sb.append(", ")
            .append(r.missing().size())
            .append(" subscriptions delivered nothing, e.g. ")
            .append(r.missing().getFirst());
      }
      if (r.crossNodeVideo().subscriptions() > 0) {
        sb.append(System.lineSeparator())
            .append("        local: ")
            .append(r.localVideo().describe())
            .append(System.lineSeparator())
            .append("        cross-node: ")
            .append(r.crossNodeVideo().describe());
      } else if (r.localVideo().subscriptions() > 0) {
        sb.append(System.lineSeparator()).append("        ").append(r.localVideo().describe());
      }
      sb.append(System.lineSeparator());
    }
    return sb.toString();
  }

  /** Writes {@code {"scenario", "commit", "runs": [...]}} to {@code file}. */
  public static void writeJson(Path file, String scenario, String commit, List<RunResult> runs)
      throws IOException {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("scenario", scenario);
    root.put("commit", commit);
    List<Map<String, Object>> list = new ArrayList<>();
    for (RunResult r : runs) {
      list.add(r.json());
    }
    root.put("runs", list);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
  }
}
