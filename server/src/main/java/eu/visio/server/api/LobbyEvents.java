package eu.visio.server.api;

import eu.visio.meet.LobbyWatch;
import eu.visio.meet.Meetings;
import eu.visio.meet.abuse.ClientRateLimit;
import eu.visio.meet.identity.Session;
import eu.visio.meet.lobby.Lobby;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /api/v1/rooms/{code}/events}: a room's lobby pushed as server-sent events, so that a
 * waiting guest learns its decision at once instead of polling {@code POST .../join}.
 *
 * <ul>
 *   <li>A participant at the door gets {@code event: lobby} with {@code {"status": "waiting" |
 *       "admitted" | "denied" | "expired"}} whenever its place changes. Never a token: admitted,
 *       the page asks {@code POST .../join} for it, where the CSRF check and the lobby's check
 *       stand.
 *   <li>A host gets {@code event: knock} with everyone waiting (the JSON of {@code GET .../lobby})
 *       whenever someone knocks or a knock is decided or lapses.
 * </ul>
 *
 * Each stream starts with the current state, so whatever happened before it opened is not missed. A
 * read-only GET: the session cookie authenticates it (EventSource sends cookies same-origin; the
 * cookie is SameSite=Lax), no CSRF token, as it changes nothing.
 *
 * <p>Threads: the lobby calls a stream's listener on the thread that knocked or decided; the
 * listener only marks the stream dirty and, if no writer runs for it, starts one on a virtual
 * thread, which reads the lobby afresh and writes what changed. A slow client blocks only its own
 * writer (Jetty's idle timeout ends a write that never completes), and changes that arrive while it
 * writes fold into one: a stream never queues more than one pending state.
 *
 * <p>Bounds: at most {@link Limits#perSession} streams per session (429) and {@link Limits#total}
 * in all (503, with Retry-After); openings are rate limited per principal (429). A stream ends when
 * its client goes: a write fails (at the latest the next keep-alive comment, every {@link
 * Limits#keepAlive}, which also keeps proxies from cutting a quiet stream) or Jetty fails the
 * request. A ticker runs while any stream is open: keep-alives, and the lobby's sweep, which is how
 * a knock lapsing in a room nobody looks at becomes an {@code expired} event.
 */
final class LobbyEvents {
  static final String PATH = "/api/v1/rooms/{code}/events";

  /**
   * @param keepAlive the longest a stream stays silent (proxies commonly cut idle connections after
   *     30 to 60 s, Jetty after 30 s)
   * @param perSession a page needs one stream; a browser holds at most six HTTP/1.1 connections to
   *     an origin, so eight covers several tabs plus reloads whose old stream is not yet seen gone
   *     (up to two keep-alives)
   * @param total each stream is an open socket and a few kilobytes, no thread while idle: 10,000
   *     stays far below the descriptors a server process gets while covering every guest and host
   *     at the doors of hundreds of busy meetings
   */
  record Limits(Duration keepAlive, int perSession, int total) {
    static final Limits DEFAULT = new Limits(Duration.ofSeconds(15), 8, 10_000);
  }

  /**
   * How often lapsed knocks are looked for (a ten-minute knock expiring up to 1 s late is fine).
   */
  private static final Duration SWEEP = Duration.ofSeconds(1);

  private static final ThreadFactory WRITERS =
      Thread.ofVirtual().name("visio-lobby-events-", 0).factory();

  private final Api api;
  private final Meetings meetings;
  private final Limits limits;
  // EventSource reconnects about every 3 s after a drop: 20 a minute; more is a loop or abuse.
  private final ClientRateLimit openLimit = new ClientRateLimit(Clock.systemUTC(), 20, 30, 100_000);

  // Guarded by this: the open streams, how many each session has, the ticker while any is open.
  private final Set<Stream> streams = new HashSet<>();
  private final Map<String, Integer> bySession = new HashMap<>();
  private Thread ticker;

  LobbyEvents(Api api, Meetings meetings) {
    this(api, meetings, Limits.DEFAULT);
  }

  LobbyEvents(Api api, Meetings meetings, Limits limits) {
    this.api = api;
    this.meetings = meetings;
    this.limits = limits;
  }

  List<Route> routes() {
    return List.of(new Route("get", PATH, this::open));
  }

  /** How many streams are open. */
  synchronized int openStreams() {
    return streams.size();
  }

  private void open(Context ctx) throws IOException {
    Session s = api.required(ctx);
    Api.limit(ctx, openLimit, s.principal().id());
    Stream stream = new Stream(s.id());
    reserve(ctx, stream);
    try {
      stream.watch = meetings.watch(ctx.pathParam("code"), api.caller(s), stream::signal);
      HttpServletResponse res = ctx.res();
      res.setStatus(200);
      res.setCharacterEncoding("UTF-8");
      res.setContentType("text/event-stream");
      res.setHeader("Cache-Control", "no-store");
      res.setHeader("X-Accel-Buffering", "no"); // nginx: pass each event on, do not buffer
      res.flushBuffer();
    } catch (IOException | RuntimeException e) {
      release(stream);
      throw e;
    }
    SseClient client = new SseClient(ctx);
    client.onClose(() -> release(stream));
    // Javalin holds the request open while this future is pending and starts the servlet's async
    // cycle before asking for it. The stream ends through that cycle, never by completing the
    // future: Javalin would then write its response to an exchange Jetty may already have ended
    // (a client that went is noticed by Jetty and by a failing write, in either order).
    ctx.future(
        () -> {
          AsyncContext async = ctx.req().getAsyncContext();
          async.addListener(new Ended(client));
          stream.start(client, async);
          return new CompletableFuture<Void>();
        });
  }

  /** Jetty ended the exchange (the client went, a failure, the server stopping). */
  private record Ended(SseClient client) implements AsyncListener {
    @Override
    public void onComplete(AsyncEvent event) {
      client.close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
      client.close();
    }

    @Override
    public void onError(AsyncEvent event) {
      client.close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {}
  }

  /** Takes a slot for {@code stream} or refuses: 429 over the session's share, 503 when full. */
  private void reserve(Context ctx, Stream stream) {
    synchronized (this) {
      int mine = bySession.getOrDefault(stream.session, 0);
      if (mine < limits.perSession() && streams.size() < limits.total()) {
        bySession.put(stream.session, mine + 1);
        streams.add(stream);
        if (ticker == null) {
          ticker = Thread.ofVirtual().name("visio-lobby-ticker").start(this::tick);
        }
        return;
      }
      ctx.header("Retry-After", Long.toString(limits.keepAlive().toSeconds() * 2 + 1));
      if (mine >= limits.perSession()) {
        throw new ApiError(
            429, "RATE_LIMITED", "too many event streams open for this session; close one");
      }
    }
    throw new ApiError(503, "UNAVAILABLE", "too many event streams open; retry later");
  }

  /** Gives back {@code stream}'s slot and stops its watch; the second call does nothing. */
  private void release(Stream stream) {
    synchronized (this) {
      if (!streams.remove(stream)) {
        return;
      }
      bySession.computeIfPresent(stream.session, (k, n) -> n > 1 ? n - 1 : null);
    }
    LobbyWatch w = stream.watch;
    if (w != null) {
      w.close();
    }
  }

  /** While streams are open: keep-alives to quiet ones, and the lobby's sweep. */
  private void tick() {
    long period = Math.min(limits.keepAlive().toNanos(), SWEEP.toNanos());
    long keepAlive = limits.keepAlive().toNanos();
    while (true) {
      try {
        Thread.sleep(Duration.ofNanos(period));
      } catch (InterruptedException e) {
        return;
      }
      List<Stream> open;
      synchronized (this) {
        if (streams.isEmpty()) {
          ticker = null;
          return;
        }
        open = List.copyOf(streams);
      }
      meetings.sweepLobbies();
      long now = System.nanoTime();
      for (Stream s : open) {
        if (now - s.lastWrite >= keepAlive) {
          s.keepAliveDue = true;
          s.signal();
        }
      }
    }
  }

  static String wire(Lobby.Status status) {
    return switch (status) {
      case WAITING -> "waiting";
      case ADMITTED -> "admitted";
      case DENIED -> "denied";
      case UNKNOWN -> "expired";
    };
  }

  /**
   * One open stream. {@link #signal} may come from any thread at any time; at most one writer
   * drains at a time ({@code writing}), and a signal while it writes leaves {@code dirty} for it to
   * see, so none is lost and none waits.
   */
  private final class Stream {
    final String session;
    volatile LobbyWatch watch;
    private volatile SseClient client;
    private volatile AsyncContext async;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean writing = new AtomicBoolean();
    volatile boolean keepAliveDue;
    volatile long lastWrite = System.nanoTime();
    private LobbyWatch.View shown; // the writer's own

    Stream(String session) {
      this.session = session;
    }

    /** The response is ready: send the current state, then whatever changes. */
    void start(SseClient c, AsyncContext a) {
      async = a;
      client = c;
      signal();
    }

    /** Ends the stream from this side: released, and the exchange completed if Jetty has not. */
    private void end() {
      client.close();
      try {
        async.complete();
      } catch (IllegalStateException alreadyEnded) {
        // Jetty ended it first
      }
    }

    void signal() {
      dirty.set(true);
      if (client != null && writing.compareAndSet(false, true)) {
        WRITERS.newThread(this::drain).start();
      }
    }

    private void drain() {
      do {
        try {
          while (dirty.getAndSet(false)) {
            write();
          }
        } catch (RuntimeException e) {
          end(); // the lobby or JSON failed, or the exchange is gone: the page reconnects
        } finally {
          writing.set(false);
        }
      } while (dirty.get() && writing.compareAndSet(false, true));
    }

    private void write() {
      SseClient c = client;
      if (c.terminated()) {
        return;
      }
      LobbyWatch.View now = watch.current();
      if (!now.equals(shown)) {
        shown = now;
        switch (now) {
          case LobbyWatch.View.Hosting h ->
              c.sendEvent(
                  "knock", api.json(h.waiting().stream().map(LobbyRoutes::describe).toList()));
          case LobbyWatch.View.Knocking k ->
              c.sendEvent("lobby", api.json(Map.of("status", wire(k.status()))));
        }
      } else if (keepAliveDue) {
        c.sendComment("keep-alive");
      } else {
        return;
      }
      if (c.terminated()) {
        end(); // the write failed: the client went
        return;
      }
      keepAliveDue = false;
      lastWrite = System.nanoTime();
    }
  }
}
