package eu.visio.server.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the independent WebRTC peers of the interop tests: Python scripts on Debian's python3, using
 * GStreamer's webrtcbin or aiortc. Each run copies its script out of the test resources and
 * captures its output to a file.
 */
final class PythonPeers {
  /** Debian's Python, which has python3-gi and python3-aiortc (the default python3 may not). */
  static final String PYTHON = "/usr/bin/python3";

  private PythonPeers() {}

  /** A running script; closing it stops the process and deletes its files. */
  static final class Peer implements AutoCloseable {
    private final Process process;
    private final Path script;
    private final Path output;

    private Peer(Process process, Path script, Path output) {
      this.process = process;
      this.script = script;
      this.output = output;
    }

    String output() throws IOException {
      return Files.readString(output);
    }

    /** Waits for the script to end and returns its output. */
    String await(long seconds) throws IOException, InterruptedException {
      if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError("peer did not finish in " + seconds + " s:\n" + output());
      }
      return output();
    }

    @Override
    public void close() throws IOException, InterruptedException {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
      Files.deleteIfExists(script);
      Files.deleteIfExists(output);
    }
  }

  /** Copies a script out of the test resources into a temporary file. */
  static Path script(String resource) throws IOException {
    Path script = Files.createTempFile("visio-peer", ".py");
    try (InputStream in = PythonPeers.class.getResourceAsStream("/interop/" + resource)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource " + resource);
      }
      Files.write(script, in.readAllBytes());
    }
    return script;
  }

  static Peer start(String resource, String... args) throws IOException {
    Path script = script(resource);
    Path output = Files.createTempFile("visio-peer", ".log");
    List<String> command = new ArrayList<>(List.of(PYTHON, script.toString()));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(output.toFile())
            .start();
    return new Peer(process, script, output);
  }
}
