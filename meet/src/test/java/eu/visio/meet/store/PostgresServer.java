package eu.visio.meet.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL for tests: a cluster in a temporary directory, on a free loopback port,
 * stopped and deleted on {@link #close}. Run as the {@code postgres} system user when the tests run
 * as root, which PostgreSQL refuses. Binaries: {@code -Dvisio.postgres.bin}, else the newest in
 * {@code /usr/lib/postgresql/}.
 */
public final class PostgresServer implements AutoCloseable {
  static final String USER = "visio";
  static final String PASSWORD = "visio-test-password";

  private final Path bin;
  private final Path dir;
  private final boolean asPostgres;
  private final int port;
  private int databases;

  private PostgresServer(Path bin, Path dir, boolean asPostgres, int port) {
    this.bin = bin;
    this.dir = dir;
    this.asPostgres = asPostgres;
    this.port = port;
  }

  public static PostgresServer start() throws IOException, InterruptedException {
    Path bin = binDirectory();
    Path dir = Files.createTempDirectory("visio-pg-");
    boolean root = (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") == 0;
    Path password = Files.writeString(dir.resolve("password"), PASSWORD, StandardCharsets.UTF_8);
    if (root) {
      var postgres = dir.getFileSystem().getUserPrincipalLookupService();
      Files.setOwner(dir, postgres.lookupPrincipalByName("postgres"));
      Files.setOwner(password, postgres.lookupPrincipalByName("postgres"));
    }
    PostgresServer server = new PostgresServer(bin, dir, root, freePort());
    try {
      server.run(
          "initdb",
          "-D",
          dir.resolve("data").toString(),
          "-U",
          USER,
          "--pwfile=" + password,
          "--auth-local=trust",
          "--auth-host=scram-sha-256", // so the tests exercise the password the config carries
          "-E",
          "UTF8",
          "--locale=C",
          "--no-sync");
      server.run(
          "pg_ctl",
          "-D",
          dir.resolve("data").toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          "-p " + server.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
          "start");
    } catch (IOException | RuntimeException e) {
      server.close();
      throw e;
    }
    return server;
  }

  /** A new, empty database on this server, as the meeting service would be configured for it. */
  public DatabaseConfig newDatabase() throws SQLException {
    String name = "meet_" + ++databases;
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    }
    DatabaseConfig postgres = DatabaseConfig.postgres(url(name), USER, PASSWORD);
    return new DatabaseConfig(postgres.jdbcUrl(), USER, PASSWORD, null, 4);
  }

  String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  @Override
  public void close() throws IOException {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping PostgreSQL in " + dir, e);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private void run(String program, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    if (asPostgres) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(bin.resolve(program).toString());
    command.addAll(List.of(args));
    Path log = Files.createTempFile("visio-pg-" + program, ".log");
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(program + " did not finish in 90 s");
      }
      if (p.exitValue() != 0) {
        throw new IOException(
            String.join(" ", command) + " failed:\n" + Files.readString(log) + serverLog());
      }
    } finally {
      Files.delete(log);
    }
  }

  private String serverLog() {
    try {
      Path log = dir.resolve("server.log");
      return Files.exists(log) ? "\nserver log:\n" + Files.readString(log) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Path binDirectory() throws IOException {
    String configured = System.getProperty("visio.postgres.bin");
    if (configured != null) {
      return Path.of(configured);
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(root)) {
      try (Stream<Path> versions = Files.list(root)) {
        var newest =
            versions
                .filter(v -> Files.isExecutable(v.resolve("bin/initdb")))
                .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())));
        if (newest.isPresent()) {
          return newest.get().resolve("bin");
        }
      }
    }
    throw new IllegalStateException(
        "no PostgreSQL in /usr/lib/postgresql: install Debian's postgresql package"
            + " (scripts/ensure-packages.sh), set -Dvisio.postgres.bin, or exclude the tag postgres");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
