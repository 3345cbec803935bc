package eu.visio.sfu.cascade;

import java.util.Arrays;

/**
 * A link's channels, by number (1 to {@link RelayLink#MAX_CHANNELS}): an array that grows by
 * doubling as higher channels are used, so that a packet finds its sender or receiver by index.
 * Worker only.
 */
final class ChannelTable<T> {
  private Object[] slots = new Object[16];

  /** What {@code channel} holds, or null (also for a channel out of range). */
  @SuppressWarnings("unchecked")
  T get(int channel) {
    return channel > 0 && channel < slots.length ? (T) slots[channel] : null;
  }

  /** Puts {@code value} (null: empties it) on {@code channel}, which the caller has checked. */
  void put(int channel, T value) {
    if (channel >= slots.length) {
      int n = slots.length;
      while (n <= channel) {
        n *= 2;
      }
      slots = Arrays.copyOf(slots, Math.min(RelayLink.MAX_CHANNELS + 1, n));
    }
    slots[channel] = value;
  }

  /** One past the highest channel this table has room for. */
  int capacity() {
    return slots.length;
  }
}
