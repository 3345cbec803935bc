package eu.visio.loadtest;

import eu.visio.loadtest.bot.Bot;
import eu.visio.loadtest.bot.BotLoop;
import eu.visio.loadtest.bot.WindowTotals;
import eu.visio.loadtest.target.BotPlan;
import eu.visio.loadtest.target.ProcessStats;
import eu.visio.loadtest.target.Target;
import eu.visio.loadtest.target.TargetSession;
import eu.visio.loadtest.target.TurnTotals;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a scenario against a target: starts the server process, joins the bots (publishers first, a
 * few at a time), waits until every subscriber hears every publisher it should (or the warm-up
 * deadline), then measures a window of the scenario's duration: what the bots received, and the
 * server's CPU time and memory from {@code /proc}.
 */
public final class Runner {
  /** Joins under way at once: hundreds of simultaneous DTLS handshakes only add noise. */
  private static final int JOIN_BATCH = 16;

  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);

  private final int botThreads;
  private final Duration warmup;
  private final Path workDir;
  private final PrintStream log;

  /**
   * @param botThreads loop threads the bots share
   * @param warmup least time between the last join and the window (the first keyframes, layer
   *     ramp-up); at most four times this is spent waiting for every subscription to deliver
   * @param workDir where servers keep logs and data
   */
  public Runner(int botThreads, Duration warmup, Path workDir, PrintStream log) {
    this.botThreads = botThreads;
    this.warmup = warmup;
    this.workDir = workDir;
    this.log = log;
  }

  /** Starts {@code target}, runs {@code scenario} on it, stops it. */
  public RunResult run(Scenario scenario, Target target) throws IOException, InterruptedException {
    Path dir = Files.createDirectories(workDir.resolve(target.name() + "-" + scenario.name()));
    log.printf("%s %s: starting the server%n", target.name(), scenario.name());
    try (TargetSession session = target.start(dir)) {
      return run(scenario, target, session);
    }
  }

  /** Runs {@code scenario} on a started target (several scenarios may share one). */
  public RunResult run(Scenario scenario, Target target, TargetSession session)
      throws InterruptedException {
    List<BotLoop> loops = new ArrayList<>();
    for (int i = 0; i < botThreads; i++) {
      loops.add(new BotLoop("loadtest-bots-" + i));
    }
    List<BotPlan> plans = scenario.plans();
    List<Bot> bots = new ArrayList<>();
    try {
      int publisherIndex = 0;
      for (int i = 0; i < plans.size(); i++) {
        BotPlan p = plans.get(i);
        int index = p.publishes() ? publisherIndex++ : -1;
        bots.add(
            new Bot(
                loops.get(i % loops.size()),
                p.identity(),
                index,
                p.publishes() ? scenario.media() : null,
                p.subscribes(),
                target.webrtc()));
      }
      log.printf("%s %s: joining %d bots%n", target.name(), scenario.name(), bots.size());
      for (int i = 0; i < bots.size(); i += JOIN_BATCH) {
        List<CompletableFuture<Void>> joins = new ArrayList<>();
        for (int k = i; k < Math.min(bots.size(), i + JOIN_BATCH); k++) {
          joins.add(session.join(bots.get(k), plans.get(k)));
        }
        await(CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)), JOIN_TIMEOUT);
      }
      long warm = System.nanoTime();
      Thread.sleep(warmup.toMillis());
      long deadline = warm + 4 * warmup.toNanos();
      List<String> missing = missing(bots, plans);
      while (!missing.isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(200);
        missing = missing(bots, plans);
      }
      log.printf("%s %s: measuring for %s%n", target.name(), scenario.name(), scenario.duration());
      List<Long> pids = session.pids();
      TurnTotals turn0 = session.turnTotals(); // before the CPU reading: scraping costs the server
      double cpu0 = cpuSeconds(pids);
      long t0 = System.nanoTime();
      for (BotLoop l : loops) {
        await(l.openWindow(), Duration.ofSeconds(5));
      }
      Thread.sleep(scenario.duration().toMillis());
      WindowTotals totals = null;
      for (BotLoop l : loops) {
        WindowTotals t = await(l.closeWindow(), Duration.ofSeconds(5));
        totals = totals == null ? t : totals.plus(t);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (Boolean.getBoolean("loadtest.debug")) {
        log.printf(
            "packets by layer (low, medium, high, audio): %s%n",
            java.util.Arrays.toString(totals.layerPackets()));
        for (double q : new double[] {0.1, 0.5, 0.9, 0.95, 0.99, 0.999}) {
          log.printf("delay q%.3f = %.3f ms%n", q, totals.delays().quantileMillis(q));
        }
      }
      double cpu = cpuSeconds(pids) - cpu0;
      TurnTotals turn = turn0 == null ? null : session.turnTotals().minus(turn0);
      double rss = pids.stream().mapToDouble(ProcessStats::rssMib).sum();
      session
          .extras()
          .forEach((k, v) -> log.printf("%s %s: %s = %s%n", target.name(), scenario.name(), k, v));
      missing = missing(bots, plans);
      int publishers = (int) plans.stream().filter(BotPlan::publishes).count();
      int[] nodes = bots.stream().mapToInt(session::node).toArray();
      List<VideoSubscription> video = VideoSubscription.of(plans, nodes, totals.video());
      logSilent(target.name() + " " + scenario.name(), video, nodes, plans);
      return result(
          target.name(),
          publishers,
          scenario.reportedSubscribers(),
          seconds,
          totals,
          cpu,
          rss,
          missing,
          turn == null ? -1 : turn.relayed() / seconds,
          turn == null ? -1 : turn.refused(),
          video);
    } finally {
      for (Bot b : bots) {
        b.close().completeOnTimeout(null, 5, TimeUnit.SECONDS).exceptionally(e -> null).join();
      }
      for (BotLoop l : loops) {
        l.close();
      }
    }
  }

  /** CPU seconds the processes {@code pids} have used so far, together. */
  private static double cpuSeconds(List<Long> pids) {
    return pids.stream().mapToDouble(ProcessStats::cpuSeconds).sum();
  }

  static RunResult result(
      String target,
      int publishers,
      int subscribers,
      double seconds,
      WindowTotals t,
      double cpuSeconds,
      double rssMib,
      List<String> missing,
      double turnRelayedPerS,
      long turnRefused,
      List<VideoSubscription> subscriptions) {
    long[] layers = t.layerPackets();
    long video = layers[0] + layers[1] + layers[2];
    double loss =
        t.expectedPackets() == 0
            ? 0
            : Math.max(0, 1 - (double) t.receivedPackets() / t.expectedPackets());
    return new RunResult(
        target,
        publishers,
        subscribers,
        seconds,
        t.expectedPackets(),
        t.receivedPackets(),
        loss,
        t.rtpPackets() / seconds,
        t.rtpBytes() * 8 / seconds / 1e6,
        cpuSeconds / seconds,
        t.rtpPackets() == 0 ? Double.NaN : cpuSeconds * 1e6 / t.rtpPackets(),
        t.delays().quantileMillis(0.5),
        t.delays().quantileMillis(0.99),
        rssMib,
        missing,
        turnRelayedPerS,
        turnRefused,
        video / seconds,
        video == 0 ? Double.NaN : (double) layers[2] / video,
        VideoSplit.of(subscriptions.stream().filter(v -> !v.crossNode()).toList(), seconds),
        VideoSplit.of(
            subscriptions.stream().filter(VideoSubscription::crossNode).toList(), seconds));
  }

  /**
   * Names the video subscriptions that received nothing in the window (a few), with the nodes of
   * publisher and subscriber, and under {@code -Dloadtest.debug=true} the video per subscription
   * from each node to each.
   */
  private void logSilent(
      String run, List<VideoSubscription> video, int[] nodes, List<BotPlan> plans) {
    java.util.Map<String, Integer> node = new java.util.HashMap<>();
    for (int i = 0; i < plans.size(); i++) {
      node.put(plans.get(i).identity(), nodes[i]);
    }
    List<String> silent = new ArrayList<>();
    for (VideoSubscription v : video) {
      if (v.packets() == 0) {
        silent.add(
            String.format(
                "%s (node %d) <- %s (node %d)%s",
                v.subscriber(),
                node.get(v.subscriber()) + 1,
                v.publisher(),
                node.get(v.publisher()) + 1,
                v.delivered() ? "" : " never delivered"));
      }
    }
    if (!silent.isEmpty()) {
      log.printf(
          "%s: %d video subscriptions silent in the window: %s%n",
          run, silent.size(), String.join(", ", silent.subList(0, Math.min(20, silent.size()))));
    }
    if (Boolean.getBoolean("loadtest.debug")) {
      java.util.Map<String, long[]> pairs = new java.util.TreeMap<>();
      for (VideoSubscription v : video) {
        String key =
            "node " + (node.get(v.publisher()) + 1) + " -> node " + (node.get(v.subscriber()) + 1);
        long[] a = pairs.computeIfAbsent(key, k -> new long[2]);
        a[0]++;
        a[1] += v.packets();
      }
      pairs.forEach(
          (k, a) -> log.printf("%s: %s: %d subscriptions, %d video packets%n", run, k, a[0], a[1]));
      java.util.Map<String, long[]> bySubscriber = new java.util.LinkedHashMap<>();
      for (VideoSubscription v : video) {
        long[] a = bySubscriber.computeIfAbsent(v.subscriber(), k -> new long[3]);
        a[0] += v.packets();
        a[1] += v.window() == null ? 0 : v.window().layerPackets()[2];
        a[2] += v.packets() == 0 ? 1 : 0;
      }
      StringBuilder sb = new StringBuilder();
      bySubscriber.forEach(
          (k, a) ->
              sb.append(
                  String.format(" %s@%d=%d/%dhi/%dsilent", k, node.get(k) + 1, a[0], a[1], a[2])));
      log.printf("%s: video packets by subscriber:%s%n", run, sb);
    }
  }

  /** Subscriptions that have delivered nothing yet: "sub-3 <- pub-1 video". */
  private static List<String> missing(List<Bot> bots, List<BotPlan> plans)
      throws InterruptedException {
    List<String> missing = new ArrayList<>();
    for (int i = 0; i < bots.size(); i++) {
      BotPlan p = plans.get(i);
      if (!p.subscribes()) {
        continue;
      }
      Bot b = bots.get(i);
      BitSet[] heard = await(b.heardFrom(), Duration.ofSeconds(5));
      for (int k = 0; k < bots.size(); k++) {
        Bot pub = bots.get(k);
        BotPlan pp = plans.get(k);
        if (k == i || !pp.publishes()) {
          continue;
        }
        if (pp.audio() && p.recvAudio() > 0 && !heard[0].get(pub.publisherIndex())) {
          missing.add(b.name() + " <- " + pub.name() + " audio");
        }
        if (pp.video() && p.recvVideo() > 0 && !heard[1].get(pub.publisherIndex())) {
          missing.add(b.name() + " <- " + pub.name() + " video");
        }
      }
    }
    return missing;
  }

  private static <T> T await(CompletableFuture<T> f, Duration timeout) throws InterruptedException {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + timeout, e);
    }
  }
}
