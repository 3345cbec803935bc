package eu.visio.server;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline, for tests of asynchronous I/O. */
final class Poll {
  /** Long enough on a loaded two-core builder. */
  static final Duration DEADLINE = Duration.ofSeconds(10);

  private Poll() {}

  /** Returns once {@code condition} holds; fails with {@code what} after {@link #DEADLINE}. */
  static void until(String what, BooleanSupplier condition) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - end > 0) {
        throw new AssertionError("timed out waiting for " + what);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }
}
