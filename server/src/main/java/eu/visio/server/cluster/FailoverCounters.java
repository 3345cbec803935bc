package eu.visio.server.cluster;

import eu.visio.media.EnumCounters;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * What this node decided when a room's home went away, counted by {@link Event} and exported as
 * {@code visio_cluster_failover{event=...}}: how often a home could not be reached, whether the
 * probe found it alive or dead, the homes replaced and the ones this node gave up.
 */
public final class FailoverCounters {

  /** One failover decision. */
  public enum Event {
    /** A relayed session's connection to the room's home broke (the client then resumes). */
    RELAY_BROKEN,
    /** A join could not reach the room's home: its /healthz was probed. */
    HOME_UNREACHABLE,
    /** The probe had an HTTP answer (or timed out): the home is not proven dead, nothing moved. */
    HOME_NOT_DEAD,
    /** The probe's connection was refused or reset: the home's registration was removed. */
    HOME_EVICTED,
    /**
     * A session (a join, or a broken relay) found its room's home dead and the room on a new node
     * (placed there by this call under a higher epoch, or already by another).
     */
    HOME_REPLACED,
    /** A lease renewal found another node holding one of this node's rooms. */
    LEASE_LOST,
    /** Participants of a lost room told to reconnect (they land on the lease's holder). */
    PARTICIPANT_MOVED,
    /** A room this node gave up because it drains (its participants are then sent on). */
    ROOM_DRAINED
  }

  private final EnumCounters<Event> counts = new EnumCounters<>(Event.class);

  void count(Event e) {
    counts.increment(e);
  }

  /** How many times {@code e} happened since start. */
  public long get(Event e) {
    return counts.get(e);
  }

  /** Exports the counters to {@code registry}, read when scraped. */
  public void register(MeterRegistry registry) {
    for (Event e : Event.values()) {
      FunctionCounter.builder("visio_cluster_failover", this, c -> c.get(e))
          .description("Failover decisions of this node: homes found unreachable, dead, replaced")
          .tag("event", e.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }
}
