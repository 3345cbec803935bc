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
  static final String PASSWORD = "visio-test-redis-password";
  private static final Path BINARY =
      Path.of(System.getProperty("visio.redis.bin", "/usr/bin/redis-server"));

  private final Path dir;
  private final int port;
  private Process process;

  private RedisServer(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  public static RedisServer start() throws IOException, InterruptedException {
    if (!Files.isExecutable(BINARY)) {
      throw new IllegalStateException(
          "no "
              + BINARY
              + ": install Debian's redis-server package"
              + " (scripts/ensure-packages.sh), set -Dvisio.redis.bin, or exclude the tag redis");
    }
    RedisServer server = new RedisServer(Files.createTempDirectory("visio-redis-"), freePort());
    try {
      server.restart();
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** Starts it again on the same port (after {@link #stop} or {@link #kill}), empty. */
  public void restart() throws IOException, InterruptedException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException("redis-server is running");
    }
    process =
        new ProcessBuilder(
                List.of(
                    BINARY.toString(),
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--dir",
                    dir.toString(),
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--protected-mode",
                    "yes",
                    "--requirepass",
                    PASSWORD,
                    "--daemonize",
                    "no",
                    "--logfile",
                    dir.resolve("redis.log").toString()))
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

  // Redis is ready when it answers AUTH on its port (it listens before it loads, if it loads).
  private boolean answers() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      s.setSoTimeout(1000);
      s.getOutputStream()
          .write(("AUTH " + PASSWORD + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
      byte[] reply = new byte[64];
      int read = 0;
      while (read < 12) { // "+OK\r\n+PONG\r\n"
        int n = s.getInputStream().read(reply, read, reply.length - read);
        if (n < 0) {
          return false;
        }
        read += n;
      }
      return new String(reply, 0, read, StandardCharsets.US_ASCII).contains("+PONG");
    } catch (IOException e) {
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
