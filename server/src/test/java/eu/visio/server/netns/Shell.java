package eu.visio.server.netns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to completion (ip, nft, bash), with a deadline, capturing its output. */
final class Shell {
  /** What a command said: its exit code and its standard output and error, merged. */
  record Result(int code, String output) {
    boolean ok() {
      return code == 0;
    }
  }

  private Shell() {}

  /**
   * Runs {@code command}, feeding it {@code input}; a command still running at the deadline dies.
   */
  static Result run(List<String> command, String input, Duration timeout) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try {
        try (var in = p.getOutputStream()) {
          in.write(input.getBytes(StandardCharsets.UTF_8));
        }
        // Commands here print a few lines at most: reading after the wait cannot block the child.
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          return new Result(-1, String.join(" ", command) + ": still running after " + timeout);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.exitValue(), out);
      } finally {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      return new Result(-1, String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, String.join(" ", command) + ": interrupted");
    }
  }

  static Result run(String... command) {
    return run(List.of(command), "", Duration.ofSeconds(10));
  }

  /** Runs {@code command} and fails the test setup when it does not succeed. */
  static String check(List<String> command, String input) {
    Result r = run(command, input, Duration.ofSeconds(10));
    if (!r.ok()) {
      throw new IllegalStateException(
          String.join(" ", command) + " failed (" + r.code() + "): " + r.output().strip());
    }
    return r.output();
  }

  static String check(String... command) {
    return check(List.of(command), "");
  }
}
