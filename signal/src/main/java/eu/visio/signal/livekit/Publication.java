package eu.visio.signal.livekit;

import eu.visio.sfu.PublishedTrack;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.VideoQuality;

/**
 * A track a participant publishes: announced by an {@code AddTrackRequest} (its {@code cid} is the
 * client's track id, which its SDP carries in {@code a=msid}), live in the SFU once an offer
 * negotiated it. Confined to the room's worker.
 */
final class Publication {
  final TrackOwner owner;
  final String cid;
  private TrackInfo info;
  private String mid;
  private PublishedTrack track;

  Publication(TrackOwner owner, String cid, TrackInfo info) {
    this.owner = owner;
    this.cid = cid;
    this.info = info;
  }

  String sid() {
    return info.getSid();
  }

  TrackInfo info() {
    return info;
  }

  void setInfo(TrackInfo info) {
    this.info = info;
  }

  /** The m-line it arrives on, once negotiated. */
  String mid() {
    return mid;
  }

  /** The SFU's track, once negotiated; null before. */
  PublishedTrack track() {
    return track;
  }

  void negotiated(String mid, PublishedTrack track) {
    this.mid = mid;
    this.track = track;
  }

  /**
   * The quality LiveKit names the {@code index}th encoding from the lowest: the client's layers say
   * which qualities it sends, lowest first.
   */
  VideoQuality quality(int index) {
    var layers =
        info.getLayersList().stream()
            .map(l -> l.getQuality())
            .filter(q -> q != VideoQuality.OFF && q != VideoQuality.UNRECOGNIZED)
            .sorted()
            .distinct()
            .toList();
    if (index < layers.size()) {
      return layers.get(index);
    }
    return VideoQuality.forNumber(Math.min(index, VideoQuality.HIGH_VALUE));
  }
}
