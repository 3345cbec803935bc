package eu.visio.loadtest.bot;

import java.util.Arrays;

/**
 * An open-addressing map from int keys (SSRCs) to values: lookups neither box nor allocate, unlike
 * a {@code HashMap<Integer, V>} for SSRCs above 127. Grows at half full. Single-threaded.
 */
final class IntMap<V> {
  private int[] keys = new int[16];
  private Object[] values = new Object[16];
  private int size;

  @SuppressWarnings("unchecked")
  V get(int key) {
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == key) {
        return (V) v;
      }
    }
  }

  void put(int key, V value) {
    if (value == null) {
      throw new IllegalArgumentException("null value");
    }
    if (2 * (size + 1) > keys.length) {
      grow();
    }
    int mask = keys.length - 1;
    for (int i = mix(key) & mask; ; i = (i + 1) & mask) {
      if (values[i] == null) {
        keys[i] = key;
        values[i] = value;
        size++;
        return;
      }
      if (keys[i] == key) {
        values[i] = value;
        return;
      }
    }
  }

  int size() {
    return size;
  }

  /** The values, in no particular order. */
  @SuppressWarnings("unchecked")
  void forEach(java.util.function.Consumer<V> action) {
    for (Object v : values) {
      if (v != null) {
        action.accept((V) v);
      }
    }
  }

  private void grow() {
    int[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new int[oldKeys.length * 2];
    values = new Object[oldValues.length * 2];
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        @SuppressWarnings("unchecked")
        V v = (V) oldValues[i];
        put(oldKeys[i], v);
      }
    }
    Arrays.fill(oldValues, null);
  }

  private static int mix(int key) {
    int h = key * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
