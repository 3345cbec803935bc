package eu.visio.signal.cluster;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import javax.crypto.Mac;

/**
 * The bus's wire format, hand-written because it is ours: a frame is authenticated as a whole by
 * HMAC-SHA256 under the cluster secret, so a node accepts only what a node holding the secret sent
 * to it, recently and once. Big-endian:
 *
 * <pre>
 *   u8   version (1)
 *   u16  type
 *   u8   sender id length, then the id (UTF-8)
 *   u8   recipient id length, then the id ("*" for every node)
 *   i64  sender boot epoch (ms)
 *   i64  timestamp (ms since the epoch)
 *   i64  sequence
 *   u32  payload length, then the payload
 *   32   HMAC-SHA256 of every byte before it
 * </pre>
 *
 * The recipient is inside the MAC so that a frame cannot be copied to another node's channel.
 */
final class BusFrame {
  static final int VERSION = 1;
  static final int MAC_LENGTH = 32;
  static final int MAX_PAYLOAD = 256 * 1024;
  static final int MAX_FRAME = MAX_PAYLOAD + 512;
  static final String BROADCAST = "*";

  private BusFrame() {}

  /** A signed frame. {@code mac} is the caller's (a Mac is not thread-safe). */
  static byte[] encode(
      Mac mac,
      int type,
      String sender,
      String recipient,
      long boot,
      long timestamp,
      long sequence,
      byte[] payload) {
    if (type < 1 || type > 0xffff) {
      throw new IllegalArgumentException("message type must be 1 to 65535: " + type);
    }
    if (payload.length > MAX_PAYLOAD) {
      throw new IllegalArgumentException(
          "payload of " + payload.length + " bytes is over " + MAX_PAYLOAD);
    }
    byte[] from = id(sender);
    byte[] to = id(recipient);
    int body = 1 + 2 + 1 + from.length + 1 + to.length + 8 + 8 + 8 + 4 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(body + MAC_LENGTH);
    b.put((byte) VERSION).putShort((short) type);
    b.put((byte) from.length).put(from).put((byte) to.length).put(to);
    b.putLong(boot).putLong(timestamp).putLong(sequence);
    b.putInt(payload.length).put(payload);
    mac.update(b.array(), 0, body);
    b.put(mac.doFinal());
    return b.array();
  }

  /** Whether the trailing HMAC is right (in constant time); false for a frame too short. */
  static boolean authentic(Mac mac, byte[] frame) {
    if (frame.length < MAC_LENGTH) {
      return false;
    }
    int body = frame.length - MAC_LENGTH;
    mac.update(frame, 0, body);
    byte[] expected = mac.doFinal();
    byte[] actual = new byte[MAC_LENGTH];
    System.arraycopy(frame, body, actual, 0, MAC_LENGTH);
    return MessageDigest.isEqual(expected, actual);
  }

  /** The fields of an authentic frame; null if they do not fill it exactly. */
  static Decoded decode(byte[] frame) {
    try {
      ByteBuffer b = ByteBuffer.wrap(frame, 0, frame.length - MAC_LENGTH);
      if ((b.get() & 0xff) != VERSION) {
        return null;
      }
      int type = b.getShort() & 0xffff;
      String sender = string(b);
      String recipient = string(b);
      long boot = b.getLong();
      long timestamp = b.getLong();
      long sequence = b.getLong();
      int length = b.getInt();
      if (length < 0 || length != b.remaining()) {
        return null;
      }
      byte[] payload = new byte[length];
      b.get(payload);
      return new Decoded(
          recipient, new BusMessage(sender, boot, timestamp, sequence, type, payload));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return null;
    }
  }

  record Decoded(String recipient, BusMessage message) {}

  private static byte[] id(String id) {
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    if (bytes.length == 0 || bytes.length > 255) {
      throw new IllegalArgumentException("node id must be 1 to 255 bytes: " + id);
    }
    return bytes;
  }

  private static String string(ByteBuffer b) {
    int length = b.get() & 0xff;
    byte[] bytes = new byte[length];
    b.get(bytes);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
