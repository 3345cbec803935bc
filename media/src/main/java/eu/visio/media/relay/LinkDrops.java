package eu.visio.media.relay;

import eu.visio.media.EnumCounters;

/** Lock-free counters of a link's drops, one per {@link LinkDropReason}. Safe from any thread. */
public final class LinkDrops {
  private final EnumCounters<LinkDropReason> counts = new EnumCounters<>(LinkDropReason.class);

  public void drop(LinkDropReason reason) {
    counts.increment(reason);
  }

  public long count(LinkDropReason reason) {
    return counts.get(reason);
  }

  public long total() {
    return counts.total();
  }

  @Override
  public String toString() {
    return "LinkDrops" + counts;
  }
}
