package eu.visio.sfu;

import eu.visio.media.rtp.RtpPacket;
import java.util.Map;

/**
 * Translates RTP header extension ids from the publisher's numbering to a subscriber's (RFC 8285
 * ids are negotiated per peer connection). An extension the subscriber did not negotiate is moved
 * to an id it does not use, so it is ignored instead of misread.
 */
final class ExtensionIdMap {
  private final int[] publisherIds;
  private final byte[] translated = new byte[RtpPacket.MAX_EXTENSION_ID + 1];
  private final boolean identity;

  ExtensionIdMap(Map<String, Integer> publisher, Map<String, Integer> subscriber) {
    publisherIds = publisher.values().stream().mapToInt(Integer::intValue).toArray();
    int unused = 0;
    for (int id = 14; id >= 1; id--) {
      if (!subscriber.containsValue(id)) {
        unused = id;
        break;
      }
    }
    boolean same = true;
    for (Map.Entry<String, Integer> e : publisher.entrySet()) {
      Integer target = subscriber.get(e.getKey());
      // With no free one-byte id left, 15 tells the receiver to stop parsing (RFC 8285 §4.2).
      int to = target != null ? target : unused != 0 ? unused : 15;
      translated[e.getValue()] = (byte) to;
      same &= to == e.getValue();
    }
    identity = same;
  }

  /**
   * Rewrites, in {@code dst}, the ids of the extensions {@code src} found. {@code dst} holds a copy
   * of {@code src}'s bytes shifted by {@code delta} (dst offset minus src offset).
   */
  void apply(RtpPacket src, byte[] dst, int delta) {
    if (identity || !src.hasExtension()) {
      return;
    }
    boolean oneByte = src.extensionProfile() == RtpPacket.ONE_BYTE_PROFILE;
    byte[] b = dst;
    for (int id : publisherIds) {
      int valueOffset = src.extensionOffset(id);
      if (valueOffset < 0) {
        continue;
      }
      valueOffset += delta;
      int to = translated[id] & 0xFF;
      if (oneByte) {
        int at = valueOffset - 1;
        b[at] = (byte) ((to << 4) | (b[at] & 0x0F));
      } else {
        b[valueOffset - 2] = (byte) to;
      }
    }
  }
}
