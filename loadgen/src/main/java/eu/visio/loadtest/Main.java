package eu.visio.loadtest;

import eu.visio.loadtest.target.CascadeTarget;
import eu.visio.loadtest.target.JanusTarget;
import eu.visio.loadtest.target.RelayTarget;
import eu.visio.loadtest.target.ServerProcess;
import eu.visio.loadtest.target.Target;
import eu.visio.loadtest.target.VisioTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./loadtest SCENARIO [options]}: see docs/BENCHMARKS.md. */
@Command(
    name = "loadtest",
    mixinStandardHelpOptions = true,
    description =
        "Runs bots (LiveKit signalling, our media stack as the browser) against servers started on"
            + " loopback, and reports forwarding throughput, loss, delay and the server's CPU.")
public final class Main implements Callable<Integer> {
  @Parameters(index = "0", description = "audio, meeting or livestream")
  String scenario;

  @Option(names = "--publishers", description = "Speakers, meeting participants (default 10).")
  Integer publishers;

  @Option(
      names = "--subscribers",
      description = "Listeners or viewers (default 100; a meeting's default is its participants).")
  Integer subscribers;

  @Option(names = "--duration", description = "Measurement window (default 30s).")
  String duration = "30s";

  @Option(
      names = "--warmup",
      description =
          "Least time between joins and the window (default 10s: the bandwidth estimate ramps up).")
  String warmup = "10s";

  @Option(
      names = "--target",
      description =
          "visio, relay, janus, all, or visio-cascade (one room over three nodes; not in all)"
              + " (default visio).")
  String target = "visio";

  @Option(names = "--json", description = "Also write the report as JSON to this file.")
  Path json;

  @Option(names = "--layers", description = "Simulcast layers each camera sends (default 3).")
  int layers = 3;

  @Option(
      names = "--layer",
      description = "Layer subscribers ask for: low, medium or high (default high).")
  String layer = "high";

  @Option(
      names = "--bitrates",
      split = ",",
      description = "Layer bitrates in kbit/s, low to high (default 150,500,1700).")
  List<Integer> bitrates = List.of(150, 500, 1700);

  @Option(names = "--bot-threads", description = "Threads running the bots (default 1).")
  int botThreads = 1;

  @Option(
      names = "--server-arg",
      description = "An extra option for the visio server, e.g. --server-arg=--media-workers=1.")
  List<String> serverArgs = new ArrayList<>();

  @Option(
      names = "--server-jvm-arg",
      description = "An extra JVM option for the visio server, e.g. -XX:StartFlightRecording=...")
  List<String> serverJvmArgs = new ArrayList<>();

  @Option(
      names = "--via-turn",
      description =
          "Bots send their media through the visio server's embedded TURN over UDP (a channel"
              + " each) instead of straight to its media port.")
  boolean viaTurn;

  @Option(
      names = "--server-cpus",
      description =
          "Run the servers on these CPUs only (taskset list, e.g. 0); with --bot-cpus, a run can"
              + " saturate the server without the bots taking its time.")
  String serverCpus = "";

  @Option(
      names = "--bot-cpus",
      description = "Run this process (the bots) on these CPUs only (taskset list, e.g. 1).")
  String botCpus = "";

  @Option(
      names = "--work-dir",
      description = "Logs and data of the servers (default target/loadtest).")
  Path workDir = Path.of("loadgen", "target", "loadtest");

  @Override
  public Integer call() throws Exception {
    int pubs = publishers != null ? publishers : Scenario.defaultPublishers(scenario);
    int subs = subscribers != null ? subscribers : Scenario.defaultSubscribers(scenario, pubs);
    int wanted = Arrays.asList("low", "medium", "high").indexOf(layer);
    if (wanted < 0) {
      System.err.println("loadtest: --layer is low, medium or high");
      return 2;
    }
    Scenario s =
        new Scenario(
            scenario,
            pubs,
            subs,
            Scenario.parseDuration(duration),
            layers,
            Math.min(wanted, layers - 1),
            bitrates.stream().map(k -> k * 1000).toList());
    if (viaTurn && !target.equals("visio")) {
      System.err.println("loadtest: --via-turn is for --target visio (our TURN server)");
      return 2;
    }
    List<Target> targets = new ArrayList<>();
    switch (target) {
      case "visio" -> targets.add(new VisioTarget(serverArgs, serverJvmArgs, viaTurn));
      case "relay" -> targets.add(new RelayTarget());
      case "all" -> {
        targets.add(new VisioTarget(serverArgs, serverJvmArgs));
        targets.add(new RelayTarget());
        targets.add(new JanusTarget());
      }
      case "janus" -> targets.add(new JanusTarget());
      case "visio-cascade" -> targets.add(new CascadeTarget(serverArgs, serverJvmArgs));
      default -> {
        System.err.println("loadtest: unknown target " + target);
        return 2;
      }
    }
    if (!serverCpus.isBlank()) {
      System.setProperty(ServerProcess.CPUS_PROPERTY, serverCpus);
    }
    if (!botCpus.isBlank() && !pin(botCpus)) {
      return 2;
    }
    String commit = System.getProperty("visio.commit", "unknown");
    Duration warm = Scenario.parseDuration(warmup);
    Runner runner = new Runner(botThreads, warm, workDir.toAbsolutePath(), System.err);
    List<RunResult> runs = new ArrayList<>();
    for (Target t : targets) {
      runs.add(runner.run(s, t));
    }
    System.out.print(Report.table(s.name(), commit, runs));
    if (json != null) {
      Report.writeJson(json, s.name(), commit, runs);
    }
    return 0;
  }

  /** Pins every thread of this process to {@code cpus} (taskset -a -p), saying why if it fails. */
  private static boolean pin(String cpus) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "taskset", "-a", "-p", "-c", cpus, Long.toString(ProcessHandle.current().pid()))
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      System.err.println("loadtest: --bot-cpus " + cpus + ": taskset failed: " + out.strip());
      return false;
    }
    return true;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }
}
