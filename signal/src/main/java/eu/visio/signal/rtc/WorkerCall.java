package eu.visio.signal.rtc;

import eu.visio.media.net.MediaWorker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a task on a media worker's thread and waits for its result: how request threads (HTTP,
 * WebSocket) touch state a worker owns. Never call it on a media worker: it would wait on itself.
 */
public final class WorkerCall {
  private static final Logger log = LoggerFactory.getLogger(WorkerCall.class);

  /** A worker that does not answer within this time is stuck; the request fails. */
  static final long TIMEOUT_SECONDS = 5;

  private WorkerCall() {}

  /** The task failed, timed out, or the waiting thread was interrupted. */
  public static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static <T> T call(MediaWorker worker, Supplier<T> task) throws Failure {
    CompletableFuture<T> f = new CompletableFuture<>();
    worker.execute(
        () -> {
          try {
            f.complete(task.get());
          } catch (RuntimeException e) {
            f.completeExceptionally(e);
          }
        });
    try {
      return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("media worker task failed", e);
      throw new Failure("media worker task failed", e);
    }
  }

  public static void run(MediaWorker worker, Runnable task) throws Failure {
    call(
        worker,
        () -> {
          task.run();
          return null;
        });
  }
}
