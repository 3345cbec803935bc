package eu.visio.sfu;

import eu.visio.sfu.alloc.LayersNeeded;
import eu.visio.sfu.audio.SpeakerDetector;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A conference: participants, the tracks they publish, and who receives what (mediasoup's {@code
 * Router}). Signalling drives it with a small API (add a participant with its transports, publish a
 * track, subscribe, set a subscriber's preferences) and hears back through a {@link RoomListener}
 * (speakers changed, stream paused or resumed, layers needed).
 *
 * <p>Threading: a room and everything in it belong to one media worker. Every method must be called
 * on that worker's thread (signalling posts its calls there); none blocks or locks. {@link #tick}
 * is meant to run every {@link Publisher#TICK_NANOS} and {@link #sendReports} about once a second.
 */
public final class Room {
  private static final Logger log = LoggerFactory.getLogger(Room.class);

  /** Audio tracks the speaker detector follows: LiveKit's largest rooms have a few hundred. */
  static final int MAX_AUDIO_TRACKS = 512;

  /** How often the speaker list is recomputed (LiveKit: 300 ms; Jitsi: on every level, damped). */
  static final long SPEAKER_INTERVAL_NANOS = 200_000_000L;

  private final String id;
  private final RoomListener listener;
  private final WorkerContext worker;
  private final Map<String, Participant> participants = new LinkedHashMap<>();
  private final SpeakerDetector speakers = new SpeakerDetector(MAX_AUDIO_TRACKS);
  private final PublishedTrack[] speakerTracks = new PublishedTrack[MAX_AUDIO_TRACKS];
  private final int[] speakerHandles = new int[MAX_AUDIO_TRACKS];
  private long lastSpeakerTick = Long.MIN_VALUE / 2;
  private Set<String> speaking = Set.of();

  /** A room on the media worker whose shared state is {@code worker}. */
  public Room(String id, RoomListener listener, WorkerContext worker) {
    this.id = id;
    this.listener = listener;
    this.worker = worker;
  }

  public String id() {
    return id;
  }

  public Participant participant(String participantId) {
    return participants.get(participantId);
  }

  public List<Participant> participants() {
    return List.copyOf(participants.values());
  }

  public boolean isEmpty() {
    return participants.isEmpty();
  }

  /**
   * Adds a participant whose transports are {@code publisherSink} (what it sends us comes in there;
   * our feedback to it goes out there) and {@code subscriberSink} (what it receives), the same sink
   * for a single peer connection. Replaces a participant of the same id (a reconnection).
   *
   * @param maxPublishBitrate what REMB tells the participant it may send, in bit/s
   */
  public Participant addParticipant(
      String participantId, RtpSink publisherSink, RtpSink subscriberSink, long maxPublishBitrate) {
    Participant old = participants.get(participantId);
    if (old != null) {
      removeParticipant(old);
    }
    Participant p =
        new Participant(
            participantId,
            this,
            publisherSink,
            subscriberSink,
            worker.drops(),
            worker.scratch(),
            maxPublishBitrate);
    p.subscriber().setStreamStateListener((d, active) -> streamState(p, d, active));
    participants.put(participantId, p);
    log.debug("room={} participant={} joined", id, participantId);
    return p;
  }

  /** Removes a participant: its tracks are unpublished and its subscriptions end. */
  public void removeParticipant(Participant p) {
    if (participants.get(p.id()) != p) {
      return;
    }
    for (PublishedTrack t : p.publisher().tracks()) {
      unpublish(t);
    }
    for (DownTrack d : List.copyOf(p.subscriber().downTracksList())) {
      unsubscribe(p, d);
    }
    participants.remove(p.id());
    log.debug("room={} participant={} left", id, p.id());
  }

  /** Publishes a track {@code p} announced and negotiated. */
  public PublishedTrack publish(Participant p, String trackId, TrackInfo info, TrackSource source) {
    PublishedTrack t = p.publisher().addTrack(trackId, info);
    t.setSource(source);
    if (info.kind() == TrackKind.AUDIO) {
      int h = speakers.add();
      if (h != SpeakerDetector.NONE) {
        speakerTracks[h] = t;
        t.observeAudioLevels(speakers, h);
      }
    }
    log.debug("room={} participant={} published track={} {}", id, p.id(), trackId, info.codec());
    return t;
  }

  /** Ends a publication: every subscriber's down track of it is removed from its subscriber. */
  public void unpublish(PublishedTrack t) {
    Participant owner = ownerOf(t);
    for (DownTrack d : t.downTracks()) {
      for (Participant p : participants.values()) {
        p.subscriber().removeDownTrack(d);
      }
      t.removeDownTrack(d);
    }
    int h = t.speakerHandle();
    if (h >= 0) {
      speakers.remove(h);
      speakerTracks[h] = null;
    }
    if (owner != null) {
      owner.publisher().removeTrack(t);
    }
  }

  /**
   * Sends {@code track} to {@code subscriber} as {@code out} (its SSRC, payload types and extension
   * ids in the subscriber's SDP). Video starts at the next keyframe, which is requested now.
   */
  public DownTrack subscribe(
      Participant subscriber, PublishedTrack track, TrackInfo out, long nowNanos) {
    DownTrack d =
        // The id names room, subscriber and track: it is what every log line of the track shows.
        new DownTrack(
            id + "/" + subscriber.id() + "/" + track.id(), out, subscriber.subscriberSink());
    d.countDropsInto(worker.forwardDrops());
    subscriber.subscriber().addDownTrack(d, track.source());
    track.addDownTrack(d, nowNanos);
    if (speaking.contains(track.publisherId()) && track.info().kind() == TrackKind.VIDEO) {
      subscriber.subscriber().setSpeaker(d, true);
    }
    return d;
  }

  public void unsubscribe(Participant subscriber, DownTrack d) {
    subscriber.subscriber().removeDownTrack(d);
    if (d.source() != null) {
      d.source().removeDownTrack(d);
    }
  }

  /**
   * Periodic work, every {@link Publisher#TICK_NANOS} or so: NACKs and transport-cc feedback to
   * publishers, and the speaker list.
   */
  public void tick(long nowNanos) {
    if (nowNanos - lastSpeakerTick >= SPEAKER_INTERVAL_NANOS) {
      lastSpeakerTick = nowNanos;
      if (speakers.tick(nowNanos) != 0) {
        List<Speaker> list = speakerList();
        prioritiseSpeakers(list);
        listener.onSpeakersChanged(list);
      }
    }
    for (Participant p : participants.values()) {
      p.publisher().tick(nowNanos);
      p.subscriber().tick(nowNanos);
      if (p.qualityMonitor().check(nowNanos)) {
        log.debug(
            "room={} participant={} connection {} ({})",
            id,
            p.id(),
            p.quality(),
            p.qualityMonitor().score());
        listener.onQualityChanged(p, p.quality(), p.qualityMonitor().score());
      }
    }
    for (Participant p : participants.values()) {
      for (PublishedTrack t : p.publisher().trackArray()) {
        LayersNeeded needed = t.layersNeeded();
        if (needed != null && needed.poll(nowNanos)) {
          log.debug("room={} track={} layers needed up to s{}", id, t.id(), needed.maxSpatial());
          listener.onLayersNeeded(t, needed.maxSpatial());
        }
      }
    }
  }

  /** Active speakers' cameras go before other cameras in every subscriber's allocation. */
  private void prioritiseSpeakers(List<Speaker> list) {
    Set<String> now = new HashSet<>();
    for (Speaker s : list) {
      now.add(s.participantId());
    }
    if (now.equals(speaking)) {
      return;
    }
    speaking = now;
    for (Participant p : participants.values()) {
      for (DownTrack d : p.subscriber().downTracks()) {
        PublishedTrack src = d.source();
        if (src != null && src.info().kind() == TrackKind.VIDEO) {
          p.subscriber().setSpeaker(d, now.contains(src.publisherId()));
        }
      }
    }
  }

  private void streamState(Participant subscriber, DownTrack d, boolean active) {
    log.debug(
        "room={} participant={} track={} {}",
        id,
        subscriber.id(),
        d.id(),
        active ? "resumed" : "paused for bandwidth");
    listener.onStreamStateChanged(subscriber, d, active);
  }

  /** Receiver reports, SDES and REMB to every publisher. Call about once a second. */
  public void sendReports(long nowNanos) {
    for (Participant p : participants.values()) {
      p.publisher().sendReports(nowNanos);
    }
  }

  /** The active speakers now, loudest first (the dominant speaker first). */
  public List<Speaker> speakerList() {
    int n = speakers.speakerCount();
    List<Speaker> list = new ArrayList<>(n);
    int dominant = speakers.dominant();
    if (dominant != SpeakerDetector.NONE && speakerTracks[dominant] != null) {
      list.add(speaker(dominant, speakers.level(dominant)));
    }
    for (int i = 0; i < n; i++) {
      int h = speakers.speaker(i);
      if (h != dominant && speakerTracks[h] != null) {
        list.add(speaker(h, speakers.speakerLevel(i)));
      }
    }
    return list;
  }

  private Speaker speaker(int handle, double level) {
    PublishedTrack t = speakerTracks[handle];
    return new Speaker(t.publisherId(), t.id(), level);
  }

  private Participant ownerOf(PublishedTrack t) {
    return participants.get(t.publisherId());
  }
}
