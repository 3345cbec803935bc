package eu.visio.media;

/** Lock-free counters of dropped packets, one per {@link DropReason}. Safe from any thread. */
public final class DropCounters {
  private final EnumCounters<DropReason> counts = new EnumCounters<>(DropReason.class);

  public void drop(DropReason reason) {
    counts.increment(reason);
  }

  public long count(DropReason reason) {
    return counts.get(reason);
  }

  public long total() {
    return counts.total();
  }

  @Override
  public String toString() {
    return "DropCounters" + counts;
  }
}
