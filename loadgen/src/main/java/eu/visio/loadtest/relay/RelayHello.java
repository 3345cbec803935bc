package eu.visio.loadtest.relay;

/**
 * The one control message of the bare relay: a bot announces itself with a datagram shaped like a
 * STUN Binding request (so the media port routes it by "ufrag" like a first ICE check) and the
 * relay echoes it as a success response.
 *
 * <pre>
 * 0x0001 | length 4 | magic cookie | transaction id (12) | flags (8) | publisher (16) | layer (8)
 * </pre>
 *
 * flags: bit 0 publishes (its packets are relayed, stamped with {@code publisher}), bit 1
 * subscribes (receives every publisher's audio and video layer {@code layer}, but not its own).
 */
public final class RelayHello {
  public static final int LENGTH = 24;
  static final int PUBLISHES = 1;
  static final int SUBSCRIBES = 2;
  private static final int MAGIC = 0x2112A442;

  private RelayHello() {}

  /** A hello for a bot publishing as {@code publisher} (or -1) and maybe subscribing. */
  public static byte[] request(int publisher, boolean subscribes, int layer) {
    byte[] b = new byte[LENGTH];
    b[0] = 0;
    b[1] = 1;
    b[3] = 4;
    b[4] = 0x21;
    b[5] = 0x12;
    b[6] = (byte) 0xA4;
    b[7] = 0x42;
    byte[] transaction = new byte[12];
    java.util.concurrent.ThreadLocalRandom.current().nextBytes(transaction);
    System.arraycopy(transaction, 0, b, 8, transaction.length);
    int flags = (publisher >= 0 ? PUBLISHES : 0) | (subscribes ? SUBSCRIBES : 0);
    b[20] = (byte) flags;
    b[21] = (byte) (Math.max(publisher, 0) >>> 8);
    b[22] = (byte) Math.max(publisher, 0);
    b[23] = (byte) layer;
    return b;
  }

  /** Whether {@code b[0..len)} is a hello request. */
  public static boolean isRequest(byte[] b, int off, int len) {
    return len == LENGTH && b[off] == 0 && b[off + 1] == 1 && cookie(b, off);
  }

  /** Whether {@code b[0..len)} is the relay's echo of a hello. */
  public static boolean isAck(byte[] b, int len) {
    return len == LENGTH && b[0] == 1 && b[1] == 1 && cookie(b, 0);
  }

  static boolean publishes(byte[] b, int off) {
    return (b[off + 20] & PUBLISHES) != 0;
  }

  static boolean subscribes(byte[] b, int off) {
    return (b[off + 20] & SUBSCRIBES) != 0;
  }

  static int publisher(byte[] b, int off) {
    return (b[off + 21] & 0xFF) << 8 | (b[off + 22] & 0xFF);
  }

  static int layer(byte[] b, int off) {
    return b[off + 23];
  }

  /** Turns a request in place into its acknowledgement. */
  static void toAck(byte[] b, int off) {
    b[off] = 1;
  }

  private static boolean cookie(byte[] b, int off) {
    return ((b[off + 4] & 0xFF) << 24
            | (b[off + 5] & 0xFF) << 16
            | (b[off + 6] & 0xFF) << 8
            | (b[off + 7] & 0xFF))
        == MAGIC;
  }
}
