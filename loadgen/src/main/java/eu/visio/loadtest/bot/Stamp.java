package eu.visio.loadtest.bot;

/**
 * The 16 bytes a bot's publisher puts at the end of every RTP payload, so that a receiving bot
 * knows whose packet it is and how long it took, whatever SSRC and sequence the server rewrote:
 *
 * <pre>
 * magic "VBot" (4) | publisher (16) | kind (8) | layer (8) | send time, System.nanoTime() (64)
 * </pre>
 *
 * <p>At the end rather than after the VP8 descriptor: the payload header of a frame's first packet
 * (3 bytes, 10 on a keyframe) need not be parsed to find it, and an RTX packet (original sequence
 * number first) keeps it at the same place. Publishers and subscribers run in one process, so
 * {@code nanoTime} is one clock (on Linux it is CLOCK_MONOTONIC, shared by all processes anyway).
 */
public final class Stamp {
  public static final int LENGTH = 16;
  static final int MAGIC = 0x56426f74; // "VBot"

  public static final int AUDIO = 0;
  public static final int VIDEO = 1;

  private Stamp() {}

  /** Writes a stamp at {@code b[off..off+16)}. */
  public static void write(byte[] b, int off, int publisher, int kind, int layer, long nanos) {
    putInt(b, off, MAGIC);
    b[off + 4] = (byte) (publisher >>> 8);
    b[off + 5] = (byte) publisher;
    b[off + 6] = (byte) kind;
    b[off + 7] = (byte) layer;
    putInt(b, off + 8, (int) (nanos >>> 32));
    putInt(b, off + 12, (int) nanos);
  }

  /** Whether a payload ending at {@code end} (exclusive) carries a stamp. */
  public static boolean present(byte[] b, int payloadOff, int end) {
    return end - payloadOff >= LENGTH && getInt(b, end - LENGTH) == MAGIC;
  }

  public static int publisher(byte[] b, int end) {
    int at = end - LENGTH;
    return (b[at + 4] & 0xFF) << 8 | (b[at + 5] & 0xFF);
  }

  public static int kind(byte[] b, int end) {
    return b[end - LENGTH + 6];
  }

  public static int layer(byte[] b, int end) {
    return b[end - LENGTH + 7];
  }

  public static long nanos(byte[] b, int end) {
    int at = end - LENGTH + 8;
    return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xFFFFFFFFL);
  }

  static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static int getInt(byte[] b, int off) {
    return (b[off] & 0xFF) << 24
        | (b[off + 1] & 0xFF) << 16
        | (b[off + 2] & 0xFF) << 8
        | (b[off + 3] & 0xFF);
  }
}
