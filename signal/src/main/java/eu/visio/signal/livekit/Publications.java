package eu.visio.signal.livekit;

import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.NegotiatedMedia;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.sfu.PublishedTrack;
import eu.visio.signal.rtc.MediaNegotiation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackType;
import livekit.LivekitRtc.AddTrackRequest;
import livekit.LivekitRtc.MuteTrackRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.TrackPublishedResponse;
import livekit.LivekitRtc.TrackUnpublishedResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracks one participant publishes: announced by {@code AddTrackRequest} (checked against its
 * token), live once an offer carries a send m-line whose {@code a=msid} names the request's {@code
 * cid}, gone when the m-line stops sending. Confined to the room's worker.
 */
final class Publications {
  private static final Logger log = LoggerFactory.getLogger(Publications.class);

  private final LiveKitParticipant owner;
  private final Map<String, Publication> publications = new LinkedHashMap<>();
  private final Map<String, Publication> pendingByCid = new LinkedHashMap<>();

  Publications(LiveKitParticipant owner) {
    this.owner = owner;
  }

  List<Publication> list() {
    return List.copyOf(publications.values());
  }

  Publication get(String trackSid) {
    return publications.get(trackSid);
  }

  int size() {
    return publications.size();
  }

  /** Publishing was revoked: announced tracks are forgotten, live ones unpublished. */
  void revoke() {
    pendingByCid.clear();
    for (Publication pub : List.copyOf(publications.values())) {
      unpublish(pub);
    }
  }

  /**
   * Unpublishes what the permission no longer allows: a source taken out of {@code
   * canPublishSources} (an empty list allows every source, as in LiveKit).
   */
  void revokeSourcesNotIn(List<livekit.LivekitModels.TrackSource> allowed) {
    if (allowed.isEmpty()) {
      return;
    }
    pendingByCid.values().removeIf(p -> !allowed.contains(p.info().getSource()));
    for (Publication pub : List.copyOf(publications.values())) {
      if (!allowed.contains(pub.info().getSource())) {
        unpublish(pub);
      }
    }
  }

  /** {@code AddTrackRequest}: checked against the token, answered with the track's info. */
  void addTrack(AddTrackRequest add) {
    Publication existing = pendingByCid.get(add.getCid());
    if (existing == null) {
      for (Publication p : publications.values()) {
        if (p.cid.equals(add.getCid())) {
          existing = p;
        }
      }
    }
    if (existing != null) {
      sendPublished(existing);
      return;
    }
    String refusal = owner.state().publishRefusal(add);
    if (refusal != null) {
      log.info(
          "room={} participant={} may not publish {}: {}",
          owner.room().name(),
          owner.identity(),
          add.getSource(),
          refusal);
      // LiveKit answers nothing: the client's publish times out with its own error.
      return;
    }
    TrackInfo info = TrackInfos.announced(LiveKitRooms.sid("TR_"), add);
    Publication pub = new Publication(owner, add.getCid(), info);
    pendingByCid.put(add.getCid(), pub);
    sendPublished(pub);
  }

  private void sendPublished(Publication pub) {
    owner.send(
        SignalResponse.newBuilder()
            .setTrackPublished(
                TrackPublishedResponse.newBuilder().setCid(pub.cid).setTrack(pub.info()))
            .build());
  }

  void mute(MuteTrackRequest m) {
    Publication pub = publications.get(m.getSid());
    if (pub == null || pub.info().getMuted() == m.getMuted()) {
      return;
    }
    pub.setInfo(pub.info().toBuilder().setMuted(m.getMuted()).build());
    owner.state().setTracks(trackInfos());
    log.debug(
        "room={} participant={} track={} muted={}",
        owner.room().name(),
        owner.identity(),
        m.getSid(),
        m.getMuted());
    owner.room().announce(owner, null);
  }

  /** Mutes or unmutes a track for the Room service: the client is told to, everyone sees it. */
  boolean muteByAdmin(String trackSid, boolean muted) {
    Publication pub = publications.get(trackSid);
    if (pub == null) {
      return false;
    }
    owner.send(
        SignalResponse.newBuilder()
            .setMute(MuteTrackRequest.newBuilder().setSid(trackSid).setMuted(muted))
            .build());
    mute(MuteTrackRequest.newBuilder().setSid(trackSid).setMuted(muted).build());
    return true;
  }

  /** Publishes what the offer now sends us, unpublishes what it stopped sending. */
  void sync(SessionDescription offer, SdpAnswer answer) {
    for (Publication pub : List.copyOf(publications.values())) {
      NegotiatedMedia m = answer.media(pub.mid());
      if (m == null || !m.direction().receives()) {
        unpublish(pub);
      }
    }
    for (NegotiatedMedia m : answer.media()) {
      if (m.primaryCodec() == null || !m.direction().receives() || publishedOn(m.mid())) {
        continue;
      }
      MediaDescription offered = offer.media(m.mid());
      String cid = m.remoteMsid() != null ? m.remoteMsid().trackId() : null;
      Publication pub = cid == null ? null : pendingByCid.remove(cid);
      if (pub == null) {
        pub = pendingOfKind(m, offered);
      }
      if (pub == null) {
        continue; // a send m-line no AddTrackRequest announced: its packets are dropped
      }
      eu.visio.sfu.TrackInfo in = MediaNegotiation.publishedInfo(m);
      PublishedTrack t =
          owner.room().sfu().publish(owner.sfu(), pub.sid(), in, TrackInfos.source(pub.info()));
      pub.negotiated(m.mid(), t);
      owner.room().rooms().stats().publications.incrementAndGet();
      pub.setInfo(TrackInfos.negotiated(pub.info(), m));
      publications.put(pub.sid(), pub);
      owner.state().setTracks(trackInfos());
      log.info(
          "room={} participant={} published track={} {} mid={}",
          owner.room().name(),
          owner.identity(),
          pub.sid(),
          in.codec(),
          m.mid());
      owner.room().published(owner, pub);
    }
  }

  /** A pending track for a send m-line whose msid names none (an older client): same kind. */
  private Publication pendingOfKind(NegotiatedMedia m, MediaDescription offered) {
    if (offered == null || !offered.msids().isEmpty()) {
      return null;
    }
    TrackType type =
        m.kind() == eu.visio.media.sdp.MediaKind.AUDIO ? TrackType.AUDIO : TrackType.VIDEO;
    for (Publication p : pendingByCid.values()) {
      if (p.info().getType() == type) {
        pendingByCid.remove(p.cid);
        return p;
      }
    }
    return null;
  }

  private boolean publishedOn(String mid) {
    for (Publication p : publications.values()) {
      if (mid.equals(p.mid())) {
        return true;
      }
    }
    return false;
  }

  void unpublish(Publication pub) {
    publications.remove(pub.sid());
    owner.room().rooms().stats().publications.decrementAndGet();
    if (pub.track() != null) {
      owner.room().sfu().unpublish(pub.track());
    }
    owner.state().setTracks(trackInfos());
    owner.send(
        SignalResponse.newBuilder()
            .setTrackUnpublished(TrackUnpublishedResponse.newBuilder().setTrackSid(pub.sid()))
            .build());
    log.info(
        "room={} participant={} unpublished track={}",
        owner.room().name(),
        owner.identity(),
        pub.sid());
    owner.room().unpublished(owner, pub);
  }

  private List<TrackInfo> trackInfos() {
    List<TrackInfo> list = new ArrayList<>();
    for (Publication p : publications.values()) {
      list.add(p.info());
    }
    return list;
  }
}
