package eu.visio.signal.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway Redis for tests: Debian's {@code redis-server} on a free loopback port, in a
 * temporary directory, without persistence, with a password (so clients authenticate as in
 * production). {@link #stop} and {@link #kill} take it down and {@link #restart} brings it back on
 * the same port, empty, as a Redis without persistence comes back from an outage.
 */
public final class RedisServer implements AutoCloseable {
  public static final String PASSWORD = "visio-test-redis-password";
  private static final Path BINARY =
      Path.of(System.getProperty("visio.redis.bin", "/usr/bin/redis-server"));

  private final Path dir;
  private final int port;
  private final List<String> command;
  private Process process;

  private RedisServer(Path dir, int port, List<String> command) {
    this.dir = dir;
    this.port = port;
    this.command = List.copyOf(command);
  }

  public static RedisServer start() throws IOException, InterruptedException {
    requireBinary();
    Path dir = Files.createTempDirectory("visio-redis-");
    int port = freePort();
    List<String> command = new ArrayList<>(ScratchRedis.command(BINARY.toString(), port, dir));
    command.addAll(
        List.of(
            "--protected-mode",
            "yes",
            "--requirepass",
            PASSWORD,
            "--logfile",
            dir.resolve("redis.log").toString()));
    return started(new RedisServer(dir, port, command));
  }

  /**
   * A Sentinel (the same binary in sentinel mode) watching {@code master} under {@code name}; it
   * needs no password itself, and knows the master's.
   */
  public static RedisServer sentinel(RedisServer master, String name)
      throws IOException, InterruptedException {
    requireBinary();
    Path dir = Files.createTempDirectory("visio-sentinel-");
    int port = freePort();
    Path conf =
        Files.writeString(
            dir.resolve("sentinel.conf"),
            String.join(
                "\n",
                "port " + port,
                "bind 127.0.0.1",
                "dir " + dir,
                "logfile " + dir.resolve("redis.log"),
                "sentinel monitor " + name + " 127.0.0.1 " + master.port + " 1",
                "sentinel auth-pass " + name + " " + PASSWORD,
                ""));
    return started(
        new RedisServer(dir, port, List.of(BINARY.toString(), conf.toString(), "--sentinel")));
  }

  private static RedisServer started(RedisServer server) throws IOException, InterruptedException {
    try {
      server.restart();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  private static void requireBinary() {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "no "
              + BINARY
              + ": install Debian's redis-server package"
              + " (scripts/ensure-packages.sh), set -Dvisio.redis.bin, or exclude the tag redis");
    }
  }

  /** Starts it again on the same port (after {@link #stop} or {@link #kill}), empty. */
  public void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server is running");
    }
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!answers()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly();
        throw new IOException("redis-server did not start on port " + port + ":\n" + logs());
      }
      Thread.sleep(20);
    }
  }

  /** A clean shutdown (SIGTERM). */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  /** Dies at once (SIGKILL), as a crashed Redis. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  // Ready when it answers PING on its port (after AUTH, which a sentinel without a password
  // answers with an error, and so cannot be told apart by the first reply).
  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      s.setSoTimeout(1000);
      s.getOutputStream()
          .write(("AUTH " + PASSWORD + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
      StringBuilder reply = new StringBuilder();
      byte[] buffer = new byte[256];
      while (reply.indexOf("PONG") < 0 && reply.indexOf("NOAUTH") < 0) {
        int n = s.getInputStream().read(buffer);
        if (n < 0) {
          return false;
        }
        reply.append(new String(buffer, 0, n, StandardCharsets.US_ASCII));
      }
      return reply.indexOf("+PONG") >= 0;
    } catch (IOException e) { // refused, or no answer within the second
      return false;
    }
  }

  private String logs() {
    try {
      Path log = dir.resolve("redis.log");
      Path out = dir.resolve("stdout.log");
      return (Files.exists(log) ? Files.readString(log) : "")
          + (Files.exists(out) ? Files.readString(out) : "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
