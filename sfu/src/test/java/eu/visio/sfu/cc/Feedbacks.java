package eu.visio.sfu.cc;

import eu.visio.media.rtcp.TransportCcFeedback;
import eu.visio.media.rtcp.TransportCcFeedback.PacketStatus;
import java.util.ArrayList;
import java.util.List;

/** Builds transport-cc feedback the way a receiver does, losses included. */
final class Feedbacks {
  private Feedbacks() {}

  /**
   * Feedback for consecutive sequence numbers from {@code base}: {@code arrivalUs[i]} is the
   * receiver-clock arrival of {@code base + i}, or {@link Long#MIN_VALUE} when lost. Reference time
   * is the 64 ms floor of the first arrival; deltas are rounded against the running clock.
   */
  static TransportCcFeedback of(int base, int fbCount, long... arrivalUs) {
    long first = Long.MIN_VALUE;
    for (long a : arrivalUs) {
      if (a != Long.MIN_VALUE) {
        first = a;
        break;
      }
    }
    long refUnits = first == Long.MIN_VALUE ? 0 : Math.floorDiv(first, 64_000L);
    long clock = refUnits * 64_000L;
    List<PacketStatus> statuses = new ArrayList<>(arrivalUs.length);
    for (int i = 0; i < arrivalUs.length; i++) {
      int seq = (base + i) & 0xFFFF;
      if (arrivalUs[i] == Long.MIN_VALUE) {
        statuses.add(new PacketStatus(seq, TransportCcFeedback.NOT_RECEIVED, 0));
        continue;
      }
      long ticks = Math.floorDiv(arrivalUs[i] - clock + 125, 250);
      ticks = Math.clamp(ticks, Short.MIN_VALUE, Short.MAX_VALUE);
      clock += ticks * 250;
      int symbol =
          ticks >= 0 && ticks <= 255
              ? TransportCcFeedback.SMALL_DELTA
              : TransportCcFeedback.LARGE_DELTA;
      statuses.add(new PacketStatus(seq, symbol, (int) ticks * 250));
    }
    return new TransportCcFeedback(
        1, 2, base & 0xFFFF, (int) (refUnits & 0xFFFFFF), fbCount & 0xFF, statuses);
  }
}
