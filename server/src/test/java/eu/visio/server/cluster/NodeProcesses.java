package eu.visio.server.cluster;

import eu.visio.server.TestServers;
import eu.visio.signal.cluster.RedisServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of server processes on loopback, each a JVM of its own started from this JVM's java and
 * class path ({@code eu.visio.server.Main} with a generated configuration file: the test keys and a
 * {@code cluster} section on the given Redis), so that one can be killed with SIGKILL as a crashed
 * machine would be. Every process is killed when the test JVM exits, even if {@link #close} is not
 * reached.
 */
public final class NodeProcesses implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final String SECRET = "node-processes-test-cluster-secret-32-bytes-at-least";

  /** One server process: its node id, HTTP port, log. */
  public static final class Node {
    private final String id;
    private final int httpPort;
    private final Process process;
    private final Path log;
    private final Thread killer;

    private Node(String id, int httpPort, Process process, Path log) {
      this.id = id;
      this.httpPort = httpPort;
      this.process = process;
      this.log = log;
      this.killer = new Thread(process::destroyForcibly, "kill-" + id);
      Runtime.getRuntime().addShutdownHook(killer);
    }

    public String id() {
      return id;
    }

    public int httpPort() {
      return httpPort;
    }

    public URI url() {
      return URI.create("http://127.0.0.1:" + httpPort);
    }

    public boolean alive() {
      return process.isAlive();
    }

    /** The end of its log, for failure messages. */
    public String logTail() {
      try {
        String s = Files.exists(log) ? Files.readString(log) : "";
        return s.length() <= 6000 ? s : "..." + s.substring(s.length() - 6000);
      } catch (IOException e) {
        return "(log unreadable: " + e.getMessage() + ")";
      }
    }

    /** kill -9: no shutdown hook runs, nothing is released; returns once it is gone. */
    public void kill() throws InterruptedException {
      process.destroyForcibly();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException(id + " survived SIGKILL");
      }
    }

    /**
     * SIGTERM, as a rolling upgrade sends: the server drains, then exits; returns its exit status.
     *
     * @throws IllegalStateException it was still running after {@code within}
     */
    public int terminate(Duration within) throws InterruptedException {
      sigterm();
      return awaitExit(within);
    }

    /** SIGTERM, returning at once: the server drains meanwhile (see {@link #awaitExit}). */
    public void sigterm() {
      process.destroy();
    }

    /**
     * Its exit status, once it has exited.
     *
     * @throws IllegalStateException it was still running after {@code within}
     */
    public int awaitExit(Duration within) throws InterruptedException {
      if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(id + " still running " + within + " after SIGTERM");
      }
      return process.exitValue();
    }

    private void stop() {
      process.destroy(); // SIGTERM: it leaves the cluster and releases its leases
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      try {
        Runtime.getRuntime().removeShutdownHook(killer);
      } catch (IllegalStateException e) {
        // the JVM is exiting: the hook kills the process anyway
      }
    }
  }

  private final List<Node> nodes;
  private final HttpClient http = HttpClient.newHttpClient();

  private NodeProcesses(List<Node> nodes) {
    this.nodes = nodes;
  }

  /**
   * Starts {@code count} nodes ({@code node1}...) on {@code redis}, each with its files in a
   * directory of {@code dir}, and waits until every one answers {@code /readyz}.
   */
  public static NodeProcesses start(RedisServer redis, int count, Path dir)
      throws IOException, InterruptedException {
    List<Node> nodes = new ArrayList<>();
    NodeProcesses cluster = new NodeProcesses(nodes);
    try {
      for (int i = 1; i <= count; i++) {
        nodes.add(launch("node" + i, redis, Files.createDirectories(dir.resolve("node" + i))));
      }
      for (Node n : nodes) {
        cluster.awaitReady(n);
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /**
   * One server process alone (no {@code cluster} section) with {@code drainTimeoutSeconds}, its
   * files in {@code dir}; returns once it answers {@code /readyz}.
   */
  public static NodeProcesses alone(Path dir, int drainTimeoutSeconds)
      throws IOException, InterruptedException {
    return alone(dir, drainTimeoutSeconds, List.of());
  }

  /** {@link #alone(Path, int)}, its JVM given {@code jvmOptions} too (its logging file, say). */
  public static NodeProcesses alone(Path dir, int drainTimeoutSeconds, List<String> jvmOptions)
      throws IOException, InterruptedException {
    List<Node> nodes = new ArrayList<>();
    NodeProcesses one = new NodeProcesses(nodes);
    try {
      nodes.add(launch("alone", "", drainTimeoutSeconds, dir, jvmOptions));
      one.awaitReady(nodes.getFirst());
      return one;
    } catch (IOException | InterruptedException | RuntimeException e) {
      one.close();
      throw e;
    }
  }

  private static Node launch(String id, RedisServer redis, Path dir) throws IOException {
    String cluster =
        """
        cluster:
          redis:
            address: "127.0.0.1:%d"
            password: "%s"
          node_id: %s
          region: local
          secret: "%s"
        """
            .formatted(redis.port(), RedisServer.PASSWORD, id, SECRET);
    return launch(id, cluster, 10, dir, List.of());
  }

  private static Node launch(
      String id, String cluster, int drainTimeoutSeconds, Path dir, List<String> jvmOptions)
      throws IOException {
    int port = portBelowEphemeral();
    Path config = dir.resolve("visio.yaml");
    Files.writeString(
        config,
        """
        keys:
          %s: "%s"
        drain_timeout: %d
        """
                .formatted(TestServers.API_KEY, TestServers.API_SECRET, drainTimeoutSeconds)
            + cluster);
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-Xmx256m",
            // The nodes' log level: -Dvisio.nodes.log=DEBUG on the test's command line to see
            // their decisions (layer switches, keyframe requests) when timing a failover.
            "-DVISIO_TEST_LOG=" + System.getProperty("visio.nodes.log", "INFO")));
    command.addAll(jvmOptions);
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            "eu.visio.server.Main",
            "--config",
            config.toString(),
            "--bind",
            "127.0.0.1",
            "--http-port",
            Integer.toString(port),
            "--udp-port",
            "0",
            "--tcp-port",
            "0",
            "--no-turn",
            "--data-dir",
            Files.createDirectories(dir.resolve("data")).toString()));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().keySet().removeIf(k -> k.startsWith("VISIO_") || k.startsWith("LIVEKIT_"));
    pb.directory(dir.toFile());
    pb.redirectErrorStream(true);
    Path log = dir.resolve("visio.log");
    pb.redirectOutput(log.toFile());
    return new Node(id, port, pb.start(), log);
  }

  /**
   * A free loopback port below the kernel's ephemeral range (32768 and up on Linux). A process
   * binds its HTTP port seconds after the port is chosen (a JVM starting); an ephemeral port can
   * meanwhile become some client socket's local port, and the node then fails to start.
   */
  private static int portBelowEphemeral() throws IOException {
    java.util.concurrent.ThreadLocalRandom random =
        java.util.concurrent.ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = random.nextInt(20_000, 32_000);
      try (java.net.ServerSocket s =
          new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      } catch (IOException inUse) {
        // try another
      }
    }
    throw new IOException("no free port between 20000 and 32000");
  }

  private void awaitReady(Node n) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    HttpRequest readyz =
        HttpRequest.newBuilder(n.url().resolve("/readyz")).timeout(Duration.ofSeconds(2)).build();
    while (true) {
      if (!n.alive()) {
        throw new IOException(n.id + " exited:\n" + n.logTail());
      }
      try {
        if (http.send(readyz, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(n.id + " not ready after " + START_TIMEOUT + ":\n" + n.logTail());
      }
      Thread.sleep(200);
    }
  }

  public List<Node> nodes() {
    return List.copyOf(nodes);
  }

  public Node node(String id) {
    return nodes.stream()
        .filter(n -> n.id.equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node " + id));
  }

  /**
   * A node's Prometheus metric (the sum of its series matching {@code name} and, when not empty,
   * {@code label} such as {@code event="home_evicted"}); 0 when absent.
   */
  public double metric(Node n, String name, String label) throws IOException, InterruptedException {
    String body =
        http.send(
                HttpRequest.newBuilder(n.url().resolve("/metrics"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    double sum = 0;
    for (String line : body.split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        if (label.isEmpty() || line.contains(label)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }

  /** Every node's log tail, for a failure message. */
  public String logs() {
    StringBuilder b = new StringBuilder();
    for (Node n : nodes) {
      b.append("==== ").append(n.id).append(" ====\n").append(n.logTail()).append('\n');
    }
    return b.toString();
  }

  @Override
  public void close() {
    for (Node n : nodes) {
      n.stop();
    }
    http.close();
  }
}
