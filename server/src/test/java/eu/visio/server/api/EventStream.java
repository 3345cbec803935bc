package eu.visio.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A server-sent event stream read as EventSource reads it (WHATWG HTML, "event stream
 * interpretation"): lines of {@code event:} and {@code data:} fields, an empty line dispatching the
 * event, lines starting with {@code :} comments. A virtual thread reads the body line by line and
 * queues each event with the time it arrived.
 */
public final class EventStream implements AutoCloseable {
  /** One event, {@code at} its arrival ({@link System#nanoTime}). */
  public record Event(String name, String data, long at) {
    public JsonNode json() throws Exception {
      return ApiBrowser.JSON.readTree(data);
    }
  }

  private static final Event END = new Event("", "", 0);

  private final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final AtomicInteger comments = new AtomicInteger();

  private EventStream(HttpResponse<Stream<String>> response) {
    this.response = response;
    Thread.ofVirtual().start(this::read);
  }

  /** GET {@code path} as EventSource does; the response, its body left unread. */
  public static HttpResponse<Stream<String>> request(int port, String path, String cookie)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", "text/event-stream");
    if (!cookie.isEmpty()) {
      b.header("Cookie", cookie);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofLines());
  }

  /** Opens the stream and checks it is one. */
  public static EventStream open(int port, String path, String cookie) throws Exception {
    HttpResponse<Stream<String>> r = request(port, path, cookie);
    if (r.statusCode() != 200) {
      String body = String.join("\n", r.body().toList());
      throw new AssertionError("GET " + path + ": " + r.statusCode() + " " + body);
    }
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
    return new EventStream(r);
  }

  private void read() {
    String name = "message";
    StringBuilder data = new StringBuilder();
    try (Stream<String> lines = response.body()) {
      for (var it = lines.iterator(); it.hasNext(); ) {
        String line = it.next();
        if (line.isEmpty()) {
          if (!data.isEmpty()) {
            events.add(new Event(name, data.toString(), System.nanoTime()));
          }
          name = "message";
          data.setLength(0);
        } else if (line.startsWith(":")) {
          comments.incrementAndGet();
        } else if (line.startsWith("event:")) {
          name = line.substring(6).strip();
        } else if (line.startsWith("data:")) {
          if (!data.isEmpty()) {
            data.append('\n');
          }
          data.append(line.substring(5).stripLeading());
        }
      }
    } catch (RuntimeException e) {
      // closed by the test, or by the server: the stream ends either way
    } finally {
      events.add(END);
    }
  }

  /** The next event; fails if none comes within {@code timeout} or the stream ended. */
  public Event next(Duration timeout) throws InterruptedException {
    Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (e == null) {
      throw new AssertionError("no event within " + timeout);
    }
    if (e == END) {
      events.add(END);
      throw new AssertionError("the stream ended");
    }
    return e;
  }

  /** The next event, which must be {@code name}; its data as JSON. */
  public JsonNode next(String name) throws Exception {
    Event e = next(Duration.ofSeconds(5));
    assertThat(e.name()).as(e.data()).isEqualTo(name);
    return e.json();
  }

  /** Whether no event is pending now (what was sent has been read: use after a later event). */
  public boolean quiet() {
    return events.isEmpty();
  }

  /** Comment lines (keep-alives) read so far. */
  public int comments() {
    return comments.get();
  }

  /** Whether the server ended the stream (within {@code timeout}). */
  public boolean ended(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Event e = events.poll(10, TimeUnit.MILLISECONDS);
      if (e == END) {
        events.add(END);
        return true;
      }
    }
    return false;
  }

  /** Hangs up, as a closed page does. */
  @Override
  public void close() {
    response.body().close();
  }
}
