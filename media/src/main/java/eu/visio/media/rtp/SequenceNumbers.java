package eu.visio.media.rtp;

/**
 * Wrap-aware arithmetic on RTP's 16-bit sequence numbers and 32-bit timestamps (RFC 3550 §A.1): the
 * "newer" of two values is the one reached by going forward less than half the number space. Values
 * are taken modulo 2^16 (or 2^32), so callers may pass raw header fields.
 */
public final class SequenceNumbers {
  private SequenceNumbers() {}

  /**
   * Signed distance from {@code b} to {@code a} in -32768..32767: positive when {@code a} is newer.
   * Exactly half the space apart (32768) is reported as -32768, i.e. {@code a} is treated as older.
   */
  public static int diff(int a, int b) {
    return (short) (a - b);
  }

  /** True when {@code a} is strictly newer than {@code b}. */
  public static boolean isNewer(int a, int b) {
    return diff(a, b) > 0;
  }

  /** Comparator-style ordering: negative, zero or positive as {@code a} is older, equal, newer. */
  public static int compare(int a, int b) {
    return Integer.signum(diff(a, b));
  }

  /** {@code seq + delta} modulo 2^16. */
  public static int add(int seq, int delta) {
    return (seq + delta) & 0xFFFF;
  }

  /**
   * Signed 32-bit distance from timestamp {@code b} to {@code a}: positive when {@code a} is newer.
   */
  public static int timestampDiff(int a, int b) {
    return a - b;
  }

  /** True when timestamp {@code a} is strictly newer than {@code b}. */
  public static boolean isNewerTimestamp(int a, int b) {
    return timestampDiff(a, b) > 0;
  }
}
