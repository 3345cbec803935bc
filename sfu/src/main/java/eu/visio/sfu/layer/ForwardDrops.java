package eu.visio.sfu.layer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Totals of packets the down tracks of one media worker did not send, per {@link LayerDropReason}
 * (the per-track counts live in each selector), for metrics. Single writer: only the worker's
 * thread counts, with opaque writes (a plain store on x86), so counting costs no atomic operation;
 * any thread may read, and sees every count eventually. One instance per worker, never shared by
 * two.
 */
// Indexed by reason ordinal: no boxing, no map lookup per drop.
@SuppressWarnings("EnumOrdinal")
public final class ForwardDrops {
  private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);
  private static final LayerDropReason[] REASONS = LayerDropReason.values();

  private final long[] counts = new long[REASONS.length];

  /** Counts one drop; call only on the owning worker. */
  public void count(LayerDropReason reason) {
    int i = reason.ordinal();
    COUNTS.setOpaque(counts, i, (long) COUNTS.getOpaque(counts, i) + 1);
  }

  /** Drops counted for {@code reason}; any thread. */
  public long get(LayerDropReason reason) {
    return (long) COUNTS.getOpaque(counts, reason.ordinal());
  }
}
