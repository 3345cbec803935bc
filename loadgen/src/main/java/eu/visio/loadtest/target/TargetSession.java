package eu.visio.loadtest.target;

import eu.visio.loadtest.bot.Bot;
import java.util.concurrent.CompletableFuture;

/** A started target: one server process, into which bots are joined. */
public interface TargetSession extends AutoCloseable {
  /**
   * Joins {@code bot} as {@code plan} says (signalling, then its media link); completes when media
   * flows both ways, or fails with the reason.
   */
  CompletableFuture<Void> join(Bot bot, BotPlan plan);

  /**
   * The server node {@code bot} joined (0 for a target of one server): subscriptions whose
   * publisher joined another node cross a cascade link.
   */
  default int node(Bot bot) {
    return 0;
  }

  /** The server's process id, for {@link ProcessStats}. */
  long pid();

  /** Every server process of the target (several for a cluster), whose CPU and memory add up. */
  default java.util.List<Long> pids() {
    return java.util.List.of(pid());
  }

  /** Counters worth reporting besides the bots' (name to value), read from the servers. */
  default java.util.Map<String, String> extras() {
    return java.util.Map.of();
  }

  /** What the server's TURN relays have done so far, or null when the bots do not use TURN. */
  default TurnTotals turnTotals() {
    return null;
  }

  /** Disconnects what {@link #join} connected and stops the server. */
  @Override
  void close();
}
