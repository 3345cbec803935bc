package eu.visio.loadtest.bot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * One thread that runs many bots: a NIO selector over their UDP sockets and a timer scan for what
 * they send (frames, audio, feedback, checks). Everything a bot does with media happens here, so
 * bots need no locks; other threads (signalling, DTLS) post tasks with {@link #execute}.
 *
 * <p>Per packet nothing is allocated: datagrams are read into one array, sent from one direct
 * buffer, and selected keys are visited without an iterator.
 */
public final class BotLoop implements AutoCloseable {
  private static final long MAX_SLEEP_NANOS = 10_000_000L;

  private final Selector selector;
  private final Thread thread;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final List<Bot> bots = new ArrayList<>();
  final byte[] rx = new byte[2048];
  final ByteBuffer rxBuffer = ByteBuffer.wrap(rx);
  final ByteBuffer tx = ByteBuffer.allocateDirect(2048);
  private final DelayHistogram delays = new DelayHistogram();
  private boolean measuring;
  private volatile boolean running = true;

  public BotLoop(String name) {
    try {
      selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    thread = Thread.ofPlatform().name(name).daemon(true).start(this::run);
  }

  /** Runs {@code task} on the loop thread. */
  public void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Runs {@code task} on the loop thread and returns its result. */
  public <T> CompletableFuture<T> call(Supplier<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    execute(
        () -> {
          try {
            f.complete(task.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    return f;
  }

  Selector selector() {
    return selector;
  }

  /** Whether the measurement window is open. Loop thread only. */
  boolean measuring() {
    return measuring;
  }

  DelayHistogram delays() {
    return delays;
  }

  void add(Bot bot) {
    bots.add(bot);
  }

  void remove(Bot bot) {
    bots.remove(bot);
  }

  /** Opens the measurement window for every bot of this loop. Loop thread only. */
  void startWindow() {
    measuring = true;
    delays.clear();
    for (Bot b : bots) {
      b.startWindow();
    }
  }

  /** Opens the measurement window: counts from now on. */
  public CompletableFuture<Void> openWindow() {
    return call(
        () -> {
          startWindow();
          return null;
        });
  }

  /** Closes the window and returns what this loop's bots received in it. */
  public CompletableFuture<WindowTotals> closeWindow() {
    return call(
        () -> {
          measuring = false;
          long[] t = new long[8];
          List<VideoWindow> video = new ArrayList<>();
          for (Bot b : bots) {
            b.addWindow(t, video);
          }
          DelayHistogram copy = new DelayHistogram();
          copy.addAll(delays);
          return new WindowTotals(
              t[0], t[1], t[2], t[3], new long[] {t[4], t[5], t[6], t[7]}, copy, video);
        });
  }

  private void run() {
    while (running) {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (RuntimeException e) {
          System.err.println("loadtest: bot task failed: " + e);
        }
      }
      long now = System.nanoTime();
      long next = now + MAX_SLEEP_NANOS;
      for (int i = 0; i < bots.size(); i++) {
        Bot b = bots.get(i);
        if (b.nextDue <= now) {
          b.nextDue = b.tick(now);
        }
        next = Math.min(next, b.nextDue);
      }
      long wait = next - System.nanoTime();
      try {
        if (wait <= 0) {
          selector.selectNow(BotLoop::readable);
        } else {
          selector.select(BotLoop::readable, Math.max(1, wait / 1_000_000));
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private static void readable(SelectionKey key) {
    ((Leg) key.attachment()).onReadable();
  }

  @Override
  public void close() {
    running = false;
    selector.wakeup();
    try {
      thread.join(2000);
      selector.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
