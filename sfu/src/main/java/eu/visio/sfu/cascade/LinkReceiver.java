package eu.visio.sfu.cascade;

import eu.visio.media.rtp.RtpPacket;
import eu.visio.sfu.Participant;
import eu.visio.sfu.PublishedTrack;
import eu.visio.sfu.Room;
import eu.visio.sfu.RtpSink;
import eu.visio.sfu.TrackInfo;
import eu.visio.sfu.TrackSource;

/**
 * The remote side of one imported channel: a mirror of the origin's track, published in this node's
 * room by a relay participant that stands for the publisher (as {@code TrackPipe}'s target side
 * does). Packets arrive with their encoding index, so a simulcast mirror needs no rid extension;
 * the mirror's own NACK generator and keyframe requests reach the relay participant's transport,
 * the link's feedback sink. Runs on the room's worker.
 */
public final class LinkReceiver {
  private final int channel;
  private final Participant relay;
  private final PublishedTrack mirror;
  private final RtpPacket packet = new RtpPacket();
  private long packets;

  private LinkReceiver(int channel, Participant relay, PublishedTrack mirror) {
    this.channel = channel;
    this.relay = relay;
    this.mirror = mirror;
  }

  static LinkReceiver create(
      Room room,
      RtpSink feedback,
      int channel,
      String publisherId,
      String trackId,
      TrackInfo info,
      TrackSource source) {
    Participant relay = room.participant(publisherId);
    if (relay == null) {
      relay = room.addParticipant(publisherId, feedback, RtpSink.DISCARD, 0);
    }
    return new LinkReceiver(channel, relay, room.publish(relay, trackId, info, source));
  }

  int channel() {
    return channel;
  }

  /** RTP packets received on its channel (retransmissions included). */
  public long packets() {
    return packets;
  }

  /** The mirror it publishes. */
  public PublishedTrack mirror() {
    return mirror;
  }

  void onRtp(byte[] buf, int off, int len, int encoding, long nowNanos) {
    if (packet.wrap(buf, off, len)) {
      packets++;
      mirror.onRelayedRtp(packet, encoding, nowNanos);
    }
  }

  void onSenderReport(byte[] buf, int off, int len, long nowNanos) {
    relay.publisher().onRtcp(buf, off, len, nowNanos);
  }

  /** Unpublishes the mirror; the relay participant leaves with its last track. */
  void remove(Room room) {
    room.unpublish(mirror);
    if (relay.publisher().tracks().isEmpty()) {
      room.removeParticipant(relay);
    }
  }
}
