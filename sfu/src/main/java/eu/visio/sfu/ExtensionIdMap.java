package eu.visio.sfu;

import eu.visio.media.rtp.RtpPacket;
import eu.visio.media.sdp.RtpExtensions;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

/**
 * Translates RTP header extensions from the publisher's numbering to a subscriber's (RFC 8285 ids
 * are negotiated per peer connection), in place.
 *
 * <p>An extension the subscriber did not negotiate is moved to an id it does not use, so it is
 * ignored instead of misread. The stream-identifying ones (mid, rid, repaired rid) always are: they
 * name the publisher's m-lines and layers, not the subscriber's. The mid is then written back with
 * the subscriber's own value when it fits in the same bytes, so the subscriber can demultiplex by
 * mid (RFC 8843 §9.2) as well as by the signalled SSRC.
 */
final class ExtensionIdMap {
  private static final Set<String> STREAM_IDS =
      Set.of(RtpExtensions.MID, RtpExtensions.RTP_STREAM_ID, RtpExtensions.REPAIRED_RTP_STREAM_ID);

  private final int[] publisherIds;
  private final byte[] translated = new byte[RtpPacket.MAX_EXTENSION_ID + 1];
  // One-byte elements carry a 4-bit id: a subscriber id above 14 cannot be written there.
  private final byte[] translatedOneByte = new byte[RtpPacket.MAX_EXTENSION_ID + 1];
  private final boolean identity;
  private final int publisherMidId;
  private final int subscriberMidId;
  private final byte[] subscriberMid;

  /**
   * @param subscriberMid the subscriber's mid for this track's m-line, or null
   */
  ExtensionIdMap(
      Map<String, Integer> publisher, Map<String, Integer> subscriber, String subscriberMid) {
    publisherIds = publisher.values().stream().mapToInt(Integer::intValue).toArray();
    int unused = 0;
    for (int id = 14; id >= 1; id--) {
      if (!subscriber.containsValue(id)) {
        unused = id;
        break;
      }
    }
    // With no free one-byte id left, 15 tells the receiver to stop parsing (RFC 8285 §4.2).
    int aside = unused != 0 ? unused : 15;
    boolean same = true;
    for (Map.Entry<String, Integer> e : publisher.entrySet()) {
      Integer target = STREAM_IDS.contains(e.getKey()) ? null : subscriber.get(e.getKey());
      int to = target != null ? target : aside;
      translated[e.getValue()] = (byte) to;
      translatedOneByte[e.getValue()] = (byte) (to <= 14 ? to : aside);
      same &= to == e.getValue();
    }
    publisherMidId = publisher.getOrDefault(RtpExtensions.MID, 0);
    subscriberMidId = subscriber.getOrDefault(RtpExtensions.MID, 0);
    this.subscriberMid =
        subscriberMid == null ? null : subscriberMid.getBytes(StandardCharsets.US_ASCII);
    // Even when every id maps to itself, the subscriber's mid still has to be written.
    identity = same && (publisherMidId == 0 || subscriberMidId == 0 || subscriberMid == null);
  }

  /**
   * Rewrites, in {@code dst}, the extensions {@code src} carries. {@code dst} holds a copy of
   * {@code src}'s bytes shifted by {@code delta} (dst offset minus src offset).
   */
  void apply(RtpPacket src, byte[] dst, int delta) {
    if (identity || !src.hasExtension()) {
      return;
    }
    boolean oneByte = src.extensionProfile() == RtpPacket.ONE_BYTE_PROFILE;
    byte[] to = oneByte ? translatedOneByte : translated;
    for (int id : publisherIds) {
      int valueOffset = src.extensionOffset(id);
      if (valueOffset >= 0) {
        setId(dst, valueOffset + delta, to[id] & 0xFF, oneByte);
      }
    }
    if (publisherMidId != 0
        && subscriberMidId != 0
        && (subscriberMidId <= 14 || !oneByte)
        && subscriberMid != null
        && src.extensionLength(publisherMidId) == subscriberMid.length) {
      int at = src.extensionOffset(publisherMidId) + delta;
      setId(dst, at, subscriberMidId, oneByte);
      System.arraycopy(subscriberMid, 0, dst, at, subscriberMid.length);
    }
  }

  private static void setId(byte[] b, int valueOffset, int id, boolean oneByte) {
    if (oneByte) {
      int at = valueOffset - 1;
      b[at] = (byte) ((id << 4) | (b[at] & 0x0F));
    } else {
      b[valueOffset - 2] = (byte) id;
    }
  }
}
