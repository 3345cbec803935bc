package eu.visio.signal.livekit;

import eu.visio.media.sdp.Direction;
import eu.visio.media.sdp.LocalTrack;
import eu.visio.media.sdp.MediaDescription;
import eu.visio.media.sdp.MediaKind;
import eu.visio.media.sdp.NegotiatedMedia;
import eu.visio.media.sdp.SdpAnswer;
import eu.visio.media.sdp.SessionDescription;
import eu.visio.sfu.DownTrack;
import eu.visio.signal.rtc.MediaNegotiation;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import livekit.LivekitModels.ParticipantTracks;
import livekit.LivekitModels.SubscriptionError;
import livekit.LivekitModels.TrackType;
import livekit.LivekitModels.VideoQuality;
import livekit.LivekitRtc.MediaSectionsRequirement;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.StreamState;
import livekit.LivekitRtc.StreamStateInfo;
import livekit.LivekitRtc.StreamStateUpdate;
import livekit.LivekitRtc.SubscriptionResponse;
import livekit.LivekitRtc.UpdateSubscription;
import livekit.LivekitRtc.UpdateTrackSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tracks one participant receives, over its single peer connection where it always offers.
 *
 * <p>A LiveKit client offers receive-only m-lines ("slots"); each subscription takes a free slot of
 * its kind, and our answer sends the track there ({@code a=msid} is {@code
 * participantSid|trackSid}, which the client reads to know whose track it is). When no slot is free
 * we ask for more with a {@code MediaSectionsRequirement}; when one is free, or a slot must go
 * inactive after an unsubscription, an empty requirement makes the client offer again. A slot freed
 * by an unsubscription is reused only after an answer made it inactive, so the client sees the old
 * track end before a new one starts there. Confined to the room's worker.
 */
final class Subscriptions {
  private static final Logger log = LoggerFactory.getLogger(Subscriptions.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** An offer we asked for that does not come within this time is asked for again. */
  static final long OFFER_WAIT_NANOS = 5_000_000_000L;

  private final LiveKitParticipant owner;
  // Two peer connections (/rtc): we offer the receiving one, and create its m-lines ourselves.
  private final boolean serverOffers;
  private int nextMid = 1; // mid 0 is the data channel of our offers
  private final Map<String, Sub> subs = new LinkedHashMap<>();
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final Map<String, UpdateTrackSettings> settings = new HashMap<>();
  private int askedAudio;
  private int askedVideo;
  private boolean renegotiate;
  private long offerAskedAt = -1;

  Subscriptions(LiveKitParticipant owner, boolean serverOffers) {
    this.owner = owner;
    this.serverOffers = serverOffers;
    this.renegotiate = serverOffers; // the first offer opens the connection
  }

  /** A track this participant should receive. */
  private static final class Sub {
    final Publication pub;
    final MediaKind kind;
    Slot slot;
    LocalTrack local;
    NegotiatedMedia negotiated; // what the answer agreed for its slot
    DownTrack down;

    Sub(Publication pub) {
      this.pub = pub;
      this.kind = pub.info().getType() == TrackType.AUDIO ? MediaKind.AUDIO : MediaKind.VIDEO;
    }
  }

  /** A receive m-line of the client. */
  private static final class Slot {
    final String mid;
    final MediaKind kind;
    Sub sub;
    boolean draining;

    Slot(String mid, MediaKind kind) {
      this.mid = mid;
      this.kind = kind;
    }

    boolean free() {
      return sub == null && !draining;
    }
  }

  boolean has(String trackSid) {
    return subs.containsKey(trackSid);
  }

  void subscribe(Publication pub) {
    if (!owner.info().getPermission().getCanSubscribe()
        || pub.track() == null
        || subs.containsKey(pub.sid())
        || !pub.owner.allows(owner, pub.sid())) {
      return;
    }
    subs.put(pub.sid(), new Sub(pub));
    renegotiate = true;
  }

  void unsubscribe(String trackSid) {
    Sub s = subs.remove(trackSid);
    if (s == null) {
      return;
    }
    if (s.down != null) {
      owner.room().sfu().unsubscribe(owner.sfu(), s.down);
      owner.room().rooms().stats().subscriptions.decrementAndGet();
    }
    if (s.slot != null) {
      s.slot.sub = null;
      s.slot.draining = true;
      renegotiate = true;
    }
  }

  void unsubscribeAll() {
    for (String sid : List.copyOf(subs.keySet())) {
      unsubscribe(sid);
    }
  }

  /** {@code UpdateSubscription}: explicit subscription changes (the client's autoSubscribe off). */
  void update(UpdateSubscription u) {
    List<String> sids = new ArrayList<>(u.getTrackSidsList());
    for (ParticipantTracks pt : u.getParticipantTracksList()) {
      sids.addAll(pt.getTrackSidsList());
    }
    for (String sid : sids) {
      if (!u.getSubscribe()) {
        unsubscribe(sid);
        continue;
      }
      Publication pub = owner.room().publication(sid);
      if (pub == null || pub.owner == owner) {
        owner.send(
            SignalResponse.newBuilder()
                .setSubscriptionResponse(
                    SubscriptionResponse.newBuilder()
                        .setTrackSid(sid)
                        .setErr(SubscriptionError.SE_TRACK_NOTFOUND))
                .build());
      } else if (!pub.owner.allows(owner, sid)) {
        owner.send(
            SignalResponse.newBuilder()
                .setSubscriptionPermissionUpdate(
                    livekit.LivekitRtc.SubscriptionPermissionUpdate.newBuilder()
                        .setParticipantSid(pub.owner.sid())
                        .setTrackSid(sid)
                        .setAllowed(false))
                .build());
      } else {
        subscribe(pub);
      }
    }
  }

  /** {@code UpdateTrackSettings}: adaptive stream's element sizes, disabled tracks, quality. */
  void settings(UpdateTrackSettings u) {
    for (String sid : u.getTrackSidsList()) {
      settings.put(sid, u);
      Sub s = subs.get(sid);
      if (s != null && s.down != null) {
        apply(s);
      }
    }
  }

  private void apply(Sub s) {
    UpdateTrackSettings u = settings.get(s.pub.sid());
    if (u == null || s.kind != MediaKind.VIDEO) {
      return;
    }
    int w = u.getWidth();
    int h = u.getHeight();
    if (w == 0 && h == 0) {
      // No size (adaptive stream off): the quality asked for bounds the layer.
      if (u.getQuality() == VideoQuality.LOW) {
        w = 320;
        h = 180;
      } else if (u.getQuality() == VideoQuality.MEDIUM) {
        w = 640;
        h = 360;
      }
    }
    owner.sfu().subscriber().setPreferences(s.down, w, h, u.getFps(), u.getDisabled());
    log.debug(
        "room={} participant={} track={} settings {}x{} fps={} disabled={}",
        owner.room().name(),
        owner.identity(),
        s.pub.sid(),
        w,
        h,
        u.getFps(),
        u.getDisabled());
  }

  /**
   * Before we offer (two peer connections): every waiting subscription gets a free m-line of its
   * kind, or a new one.
   */
  void prepareOffer() {
    renegotiate = false;
    for (Sub s : subs.values()) {
      if (s.slot == null) {
        Slot slot = freeSlot(s.kind);
        if (slot == null) {
          slot = new Slot(Integer.toString(nextMid++), s.kind);
          slots.put(slot.mid, slot);
        }
        slot.sub = s;
        s.slot = slot;
        s.local = localTrack(s);
      }
    }
  }

  /** Our offer's media m-lines, in order: mid, kind, and the track now on it (or none). */
  List<eu.visio.media.sdp.OfferSection> sections() {
    List<eu.visio.media.sdp.OfferSection> list = new ArrayList<>();
    for (Slot slot : slots.values()) {
      list.add(
          new eu.visio.media.sdp.OfferSection(
              slot.mid, slot.kind, slot.sub == null ? null : slot.sub.local));
    }
    return list;
  }

  /** A client offer: learns its receive slots and fills free ones with waiting subscriptions. */
  void offered(SessionDescription offer) {
    offerAskedAt = -1;
    for (MediaDescription m : offer.media()) {
      if (m.kind() == MediaKind.APPLICATION
          || m.isRejected()
          || m.mid() == null
          || m.effectiveDirection() != Direction.RECVONLY
          || slots.containsKey(m.mid())) {
        continue;
      }
      slots.put(m.mid(), new Slot(m.mid(), m.kind()));
      if (m.kind() == MediaKind.AUDIO) {
        askedAudio = Math.max(0, askedAudio - 1);
      } else {
        askedVideo = Math.max(0, askedVideo - 1);
      }
    }
    for (Sub s : subs.values()) {
      if (s.slot == null) {
        Slot free = freeSlot(s.kind);
        if (free != null) {
          free.sub = s;
          s.slot = free;
          s.local = localTrack(s);
        }
      }
    }
  }

  private LocalTrack localTrack(Sub s) {
    String codec = s.pub.track().info().codec();
    return new LocalTrack(
        s.kind,
        List.of(MediaNegotiation.codecId(codec)),
        RANDOM.nextInt(1, Integer.MAX_VALUE),
        s.kind == MediaKind.VIDEO ? RANDOM.nextInt(1, Integer.MAX_VALUE) : 0,
        s.pub.owner.sid() + "|" + s.pub.sid(),
        s.pub.sid(),
        s.pub.owner.sid());
  }

  private Slot freeSlot(MediaKind kind) {
    for (Slot slot : slots.values()) {
      if (slot.kind == kind && slot.free()) {
        return slot;
      }
    }
    return null;
  }

  Map<String, LocalTrack> tracksByMid() {
    Map<String, LocalTrack> map = new HashMap<>();
    for (Slot slot : slots.values()) {
      if (slot.sub != null) {
        map.put(slot.mid, slot.sub.local);
      }
    }
    return map;
  }

  Map<String, String> midToTrackId() {
    Map<String, String> map = new HashMap<>();
    for (Slot slot : slots.values()) {
      if (slot.sub != null) {
        map.put(slot.mid, slot.sub.pub.sid());
      }
    }
    return map;
  }

  /** Our answer is out: new subscriptions start forwarding, drained slots are free again. */
  void answered(SdpAnswer answer, long nowNanos) {
    for (Slot slot : slots.values()) {
      slot.draining = false;
    }
    for (Sub s : List.copyOf(subs.values())) {
      if (s.slot == null || s.down != null || s.negotiated != null) {
        continue;
      }
      NegotiatedMedia m = answer.media(s.slot.mid);
      if (m == null || m.localTrack() == null || s.pub.track() == null) {
        log.info(
            "room={} participant={} cannot receive track={}: no common codec",
            owner.room().name(),
            owner.identity(),
            s.pub.sid());
        subs.remove(s.pub.sid());
        s.slot.sub = null;
        owner.send(
            SignalResponse.newBuilder()
                .setSubscriptionResponse(
                    SubscriptionResponse.newBuilder()
                        .setTrackSid(s.pub.sid())
                        .setErr(SubscriptionError.SE_CODEC_UNSUPPORTED))
                .build());
        continue;
      }
      s.negotiated = m;
    }
    start(nowNanos);
  }

  /**
   * Negotiated subscriptions start forwarding once the connection that carries them is up: started
   * earlier, the first keyframe would be sent into a transport not yet able to send it, and the
   * picture would wait for the next one.
   */
  void start(long nowNanos) {
    if (!owner.receiving()) {
      return;
    }
    for (Sub s : subs.values()) {
      if (s.negotiated == null || s.down != null) {
        continue;
      }
      s.down =
          owner
              .room()
              .sfu()
              .subscribe(
                  owner.sfu(), s.pub.track(), MediaNegotiation.sentInfo(s.negotiated), nowNanos);
      owner.room().rooms().stats().subscriptions.incrementAndGet();
      apply(s);
      log.debug(
          "room={} participant={} receives track={} on mid={}",
          owner.room().name(),
          owner.identity(),
          s.pub.sid(),
          s.slot.mid);
    }
  }

  /**
   * Asks the client for what the subscriptions need: more receive slots, or just a new offer when a
   * free slot can take a waiting track or a slot must go inactive.
   */
  void requestSlots(long nowNanos) {
    if (serverOffers) {
      if (renegotiate) {
        owner.offerSubscriber();
      }
      return;
    }
    renegotiate = false;
    int waitingAudio = 0;
    int waitingVideo = 0;
    for (Sub s : subs.values()) {
      if (s.slot == null) {
        if (s.kind == MediaKind.AUDIO) {
          waitingAudio++;
        } else {
          waitingVideo++;
        }
      }
    }
    int needAudio = Math.max(0, waitingAudio - freeSlots(MediaKind.AUDIO) - askedAudio);
    int needVideo = Math.max(0, waitingVideo - freeSlots(MediaKind.VIDEO) - askedVideo);
    boolean draining = slots.values().stream().anyMatch(s -> s.draining);
    boolean assignable =
        (waitingAudio > 0 && freeSlots(MediaKind.AUDIO) > 0)
            || (waitingVideo > 0 && freeSlots(MediaKind.VIDEO) > 0);
    if (needAudio + needVideo > 0 || ((assignable || draining) && offerAskedAt < 0)) {
      askedAudio += needAudio;
      askedVideo += needVideo;
      offerAskedAt = nowNanos;
      owner.send(
          SignalResponse.newBuilder()
              .setMediaSectionsRequirement(
                  MediaSectionsRequirement.newBuilder()
                      .setNumAudios(needAudio)
                      .setNumVideos(needVideo))
              .build());
      log.debug(
          "room={} participant={} asks for an offer (+{} audio, +{} video)",
          owner.room().name(),
          owner.identity(),
          needAudio,
          needVideo);
    }
  }

  private int freeSlots(MediaKind kind) {
    int n = 0;
    for (Slot slot : slots.values()) {
      if (slot.kind == kind && slot.free()) {
        n++;
      }
    }
    return n;
  }

  void tick(long nowNanos) {
    if (!serverOffers && offerAskedAt >= 0 && nowNanos - offerAskedAt > OFFER_WAIT_NANOS) {
      // The request or the offer was lost (a signalling reconnection): ask again from scratch.
      offerAskedAt = -1;
      askedAudio = 0;
      askedVideo = 0;
      renegotiate = true;
    }
    if (renegotiate && owner.hasNegotiated()) {
      requestSlots(nowNanos);
    }
  }

  /** After a resumed signalling connection: anything asked for may have been lost. */
  void resync() {
    offerAskedAt = -1;
    askedAudio = 0;
    askedVideo = 0;
    renegotiate = true;
  }

  void streamStateChanged(DownTrack track, boolean active) {
    for (Sub s : subs.values()) {
      if (s.down == track) {
        owner.send(
            SignalResponse.newBuilder()
                .setStreamStateUpdate(
                    StreamStateUpdate.newBuilder()
                        .addStreamStates(
                            StreamStateInfo.newBuilder()
                                .setParticipantSid(s.pub.owner.sid())
                                .setTrackSid(s.pub.sid())
                                .setState(active ? StreamState.ACTIVE : StreamState.PAUSED)))
                .build());
        return;
      }
    }
  }

  void close() {
    int live = (int) subs.values().stream().filter(s -> s.down != null).count();
    owner.room().rooms().stats().subscriptions.addAndGet(-live);
    subs.clear();
    slots.clear();
  }
}
