package eu.visio.loadtest.target;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A server started as a JVM of its own from this JVM's own java and class path (the load
 * generator's class path holds the server and the relay), or as a native program (Janus), its
 * output in a log file. Killed with the load generator if that exits first, so no server outlives a
 * run.
 */
public final class ServerProcess implements AutoCloseable {
  private static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /**
   * The system property naming the CPUs every server runs on (a taskset list such as "0" or "0-1"),
   * set from {@code --server-cpus}: with the bots pinned elsewhere, the server's CPU time is its
   * own and a run can saturate it.
   */
  public static final String CPUS_PROPERTY = "loadtest.server-cpus";

  private final Process process;
  private final Path log;
  private final Thread killer;

  private ServerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.killer = new Thread(process::destroyForcibly, "loadtest-kill-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /**
   * Starts {@code java [jvmArgs] -cp CLASSPATH mainClass [args]} with its output in {@code log}.
   * The server's settings come from {@code args} alone: the environment's {@code VISIO_*} and
   * {@code LIVEKIT_*} variables (keys, configuration file, database) are not passed on.
   */
  static ServerProcess start(String mainClass, List<String> jvmArgs, List<String> args, Path log)
      throws IOException {
    return start(mainClass, jvmArgs, args, Map.of(), log);
  }

  /**
   * As {@link #start(String, List, List, Path)}, with {@code env} added to the environment after
   * the {@code VISIO_*} variables are removed (a secret the server reads from there).
   */
  static ServerProcess start(
      String mainClass, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    List<String> command = new ArrayList<>(pinning());
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmArgs);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("VISIO_") || k.startsWith("LIVEKIT_"));
    pb.environment().putAll(env);
    pb.directory(log.getParent().toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return new ServerProcess(pb.start(), log);
  }

  /**
   * Starts {@code command} (a native server such as Janus) with its output in {@code log}, in the
   * log's directory.
   */
  static ServerProcess exec(List<String> command, Path log) throws IOException {
    List<String> pinned = new ArrayList<>(pinning());
    pinned.addAll(command);
    ProcessBuilder pb = new ProcessBuilder(pinned);
    pb.directory(log.getParent().toFile());
    pb.redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    return new ServerProcess(pb.start(), log);
  }

  /** {@code taskset -c LIST} when the servers are pinned, else nothing. */
  private static List<String> pinning() {
    String cpus = System.getProperty(CPUS_PROPERTY, "");
    return cpus.isBlank() ? List.of() : List.of("taskset", "-c", cpus);
  }

  long pid() {
    return process.pid();
  }

  /**
   * Polls {@code ready} until it holds; fails with the end of the log when the process exits or
   * {@code timeout} passes first.
   */
  void awaitReady(String what, BooleanSupplier ready, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IOException(what + " exited with " + process.exitValue() + ":\n" + logTail());
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IOException(what + " not ready after " + timeout + ":\n" + logTail());
      }
      Thread.sleep(100);
    }
  }

  /** The log so far. */
  String log() throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private String logTail() throws IOException {
    String s = log();
    return s.length() <= 4000 ? s : "..." + s.substring(s.length() - 4000);
  }

  /** Asks the server to stop (SIGTERM: its shutdown hooks run), then kills it if it lingers. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    try {
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down: the hook kills the process, which has exited anyway.
    }
  }
}
