package eu.visio.media.net;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs test code on a port's event loop, where its routing state may be read. */
public final class OnLoop {
  private OnLoop() {}

  /**
   * Runs {@code task} on the loop and returns its result. Tasks run in order, so this is also a
   * barrier: everything posted before it (e.g. an ICE restart) has happened when it returns.
   */
  public static <T> T call(UdpMediaPort port, Supplier<T> task) {
    return call(port.worker(0), task);
  }

  /** Runs {@code task} on {@code worker}'s loop and returns its result; see above. */
  public static <T> T call(MediaWorker worker, Supplier<T> task) {
    CompletableFuture<T> result = new CompletableFuture<>();
    worker.execute(
        () -> {
          try {
            result.complete(task.get());
          } catch (RuntimeException | AssertionError e) {
            result.completeExceptionally(e);
          }
        });
    try {
      return result.get(Poll.DEADLINE.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("event loop task failed", e);
    }
  }

  public static int boundAddressCount(UdpMediaPort port) {
    return call(port, port::boundAddressCount);
  }
}
