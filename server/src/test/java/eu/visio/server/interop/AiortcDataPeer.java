package eu.visio.server.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The aiortc data channel peer ({@code aiortc_livekit_data.py}) driven over its stdin and stdout in
 * JSON lines: SDP to relay to and from the signalling, data packets to send, and what it reports
 * (channels open, messages received). Its stderr goes to a file shown when something is missing.
 */
final class AiortcDataPeer implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final Path script;
  private final Path errors;
  private final OutputStream stdin;
  private final LinkedBlockingQueue<JsonNode> arriving = new LinkedBlockingQueue<>();

  /** Lines read but not yet taken by {@link #await}, in their order. Test thread only. */
  private final List<JsonNode> pending = new ArrayList<>();

  /** Everything the peer said, for failure messages. */
  private final List<String> transcript = new java.util.concurrent.CopyOnWriteArrayList<>();

  private AiortcDataPeer(Process process, Path script, Path errors) {
    this.process = process;
    this.script = script;
    this.errors = errors;
    this.stdin = process.getOutputStream();
    Thread.ofPlatform()
        .daemon()
        .name("aiortc-stdout")
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  transcript.add(line.length() > 300 ? line.substring(0, 300) + "…" : line);
                  arriving.add(parse(line));
                }
              } catch (IOException e) {
                // the process ended
              }
            });
  }

  private static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return TextNode.valueOf(line); // a Python warning on stdout: kept for the transcript
    }
  }

  /** Starts the script in {@code mode} ({@code v1} or {@code dual}). */
  static AiortcDataPeer start(String mode) throws IOException {
    Path script = PythonPeers.script("aiortc_livekit_data.py");
    Path errors = Files.createTempFile("visio-peer", ".log");
    Process process =
        new ProcessBuilder(PythonPeers.PYTHON, script.toString(), mode)
            .redirectError(errors.toFile())
            .start();
    return new AiortcDataPeer(process, script, errors);
  }

  /** Sends one request line. */
  void send(Map<String, String> request) throws IOException {
    stdin.write(JSON.writeValueAsBytes(request));
    stdin.write('\n');
    stdin.flush();
  }

  /** Asks the peer to send {@code packet} on its channel {@code label}. */
  void sendData(String label, byte[] packet) throws IOException {
    send(Map.of("send", label, "data", Base64.getEncoder().encodeToString(packet)));
  }

  /** The first line not yet taken that matches, waiting up to {@code timeout} for it. */
  JsonNode await(Predicate<JsonNode> match, Duration timeout, String what)
      throws InterruptedException, IOException {
    return awaitAll(match, 1, timeout, what).getFirst();
  }

  /** The first {@code count} lines not yet taken that match, in the order the peer wrote them. */
  List<JsonNode> awaitAll(Predicate<JsonNode> match, int count, Duration timeout, String what)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<JsonNode> found = new ArrayList<>();
    while (true) {
      for (Iterator<JsonNode> it = pending.iterator(); it.hasNext() && found.size() < count; ) {
        JsonNode n = it.next();
        if (match.test(n)) {
          found.add(n);
          it.remove();
        }
      }
      if (found.size() == count) {
        return found;
      }
      long left = deadline - System.nanoTime();
      JsonNode next = left > 0 ? arriving.poll(left, TimeUnit.NANOSECONDS) : null;
      if (next == null) {
        throw new AssertionError(
            "aiortc: "
                + found.size()
                + " of "
                + count
                + " "
                + what
                + " within "
                + timeout
                + "\nstdout:\n"
                + String.join("\n", transcript)
                + "\nstderr:\n"
                + Files.readString(errors));
      }
      pending.add(next);
    }
  }

  /** A line of this type ({@code offer}, {@code answer}, {@code open}, {@code message}). */
  static Predicate<JsonNode> is(String type) {
    return n -> n.has(type);
  }

  @Override
  public void close() throws IOException, InterruptedException {
    stdin.close(); // the script closes its peer connections at the end of its input
    if (!process.waitFor(3, TimeUnit.SECONDS)) {
      process.destroy();
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    Files.deleteIfExists(script);
    Files.deleteIfExists(errors);
  }
}
