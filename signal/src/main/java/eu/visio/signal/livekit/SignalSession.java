package eu.visio.signal.livekit;

import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.VideoGrant;
import java.time.Clock;
import livekit.LivekitModels.DisconnectReason;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.LeaveRequest;
import livekit.LivekitRtc.Pong;
import livekit.LivekitRtc.RequestResponse;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import livekit.LivekitRtc.UpdateParticipantMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One participant's signalling connection. Being built (issue 4): it joins (the {@code
 * JoinResponse} comes first, with the participant's permissions taken from its token), answers
 * pings and leaves; media negotiation comes next. Thread-confined to the connection's message
 * handling.
 */
public final class SignalSession {
  private static final Logger log = LoggerFactory.getLogger(SignalSession.class);

  /** Where responses go: the WebSocket. */
  public interface Sink {
    void send(SignalResponse response);

    void close(String reason);
  }

  private final LiveKitRooms.RoomState room;

  /** Largest metadata plus attributes a participant may set, in bytes (LiveKit's default). */
  static final int MAX_METADATA_BYTES = 64_000;

  private volatile ParticipantInfo participant;
  private final Sink sink;
  private final Clock clock;
  private boolean closed;

  SignalSession(LiveKitRooms.RoomState room, ParticipantInfo participant, Sink sink, Clock clock) {
    this.room = room;
    this.participant = participant;
    this.sink = sink;
    this.clock = clock;
  }

  public ParticipantInfo participant() {
    return participant;
  }

  /** The permissions a token grants, as the participant sees them (LiveKit's ToPermission). */
  static ParticipantPermission permission(VideoGrant g) {
    ParticipantPermission.Builder p =
        ParticipantPermission.newBuilder()
            .setCanPublish(g.mayPublish())
            .setCanSubscribe(g.maySubscribe())
            .setCanPublishData(g.mayPublishData())
            .setCanUpdateMetadata(g.mayUpdateOwnMetadata())
            .setHidden(g.hidden())
            .setRecorder(g.recorder())
            .setAgent(g.agent())
            .setCanSubscribeMetrics(g.maySubscribeMetrics());
    for (String s : g.canPublishSources()) {
      switch (s.toLowerCase(java.util.Locale.ROOT)) {
        case "camera" -> p.addCanPublishSources(TrackSource.CAMERA);
        case "microphone" -> p.addCanPublishSources(TrackSource.MICROPHONE);
        case "screen_share" -> p.addCanPublishSources(TrackSource.SCREEN_SHARE);
        case "screen_share_audio" -> p.addCanPublishSources(TrackSource.SCREEN_SHARE_AUDIO);
        default -> {} // unknown sources grant nothing
      }
    }
    return p.build();
  }

  /** Builds the participant a verified token and join request describe. */
  static ParticipantInfo participantInfo(
      String sid, AccessClaims claims, JoinRequest join, long nowMs) {
    String metadata = join.getMetadata().isEmpty() ? claims.metadata() : join.getMetadata();
    return ParticipantInfo.newBuilder()
        .setSid(sid)
        .setIdentity(claims.identity())
        .setName(claims.name())
        .setMetadata(metadata)
        .putAllAttributes(claims.attributes())
        .setState(ParticipantInfo.State.JOINED)
        .setJoinedAt(nowMs / 1000)
        .setJoinedAtMs(nowMs)
        .setPermission(permission(claims.video()))
        .build();
  }

  /** A message from the client. */
  public void onRequest(SignalRequest r) {
    if (closed) {
      return;
    }
    switch (r.getMessageCase()) {
      case PING -> sink.send(SignalResponse.newBuilder().setPong(r.getPing()).build());
      case PING_REQ ->
          sink.send(
              SignalResponse.newBuilder()
                  .setPongResp(
                      Pong.newBuilder()
                          .setLastPingTimestamp(r.getPingReq().getTimestamp())
                          .setTimestamp(clock.millis()))
                  .build());
      case UPDATE_METADATA -> updateMetadata(r.getUpdateMetadata());
      case LEAVE -> {
        log.debug("room={} participant={} leaves", room.name(), participant.getIdentity());
        close("client left");
      }
      default ->
          log.debug(
              "room={} participant={} {} not handled yet",
              room.name(),
              participant.getIdentity(),
              r.getMessageCase());
    }
  }

  /**
   * A participant changing its own name, metadata or attributes: only with {@code
   * canUpdateOwnMetadata} in its token, within {@link #MAX_METADATA_BYTES}; attributes merge, an
   * empty value removing its key. Everyone in the room, the sender included, gets the update.
   */
  private void updateMetadata(UpdateParticipantMetadata u) {
    RequestResponse.Builder answer =
        RequestResponse.newBuilder().setRequestId(u.getRequestId()).setUpdateMetadata(u);
    if (!participant.getPermission().getCanUpdateMetadata()) {
      sink.send(reply(answer.setReason(RequestResponse.Reason.NOT_ALLOWED)));
      return;
    }
    java.util.Map<String, String> attributes =
        new java.util.TreeMap<>(participant.getAttributesMap());
    u.getAttributesMap()
        .forEach(
            (k, v) -> {
              if (v.isEmpty()) {
                attributes.remove(k);
              } else {
                attributes.put(k, v);
              }
            });
    String metadata = u.getMetadata().isEmpty() ? participant.getMetadata() : u.getMetadata();
    String name = u.getName().isEmpty() ? participant.getName() : u.getName();
    long size = utf8(metadata) + utf8(name);
    for (java.util.Map.Entry<String, String> e : attributes.entrySet()) {
      size += utf8(e.getKey()) + utf8(e.getValue());
    }
    if (size > MAX_METADATA_BYTES) {
      sink.send(reply(answer.setReason(RequestResponse.Reason.LIMIT_EXCEEDED)));
      return;
    }
    participant =
        participant.toBuilder()
            .setMetadata(metadata)
            .setName(name)
            .clearAttributes()
            .putAllAttributes(attributes)
            .setVersion(participant.getVersion() + 1)
            .build();
    sink.send(reply(answer.setReason(RequestResponse.Reason.OK)));
    room.updated(this);
  }

  private static long utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  private static SignalResponse reply(RequestResponse.Builder r) {
    return SignalResponse.newBuilder().setRequestResponse(r).build();
  }

  /** Tells the client something changed in the room (others joining or leaving). */
  void send(SignalResponse response) {
    if (!closed) {
      sink.send(response);
    }
  }

  /** Removed by a room administrator: told so, closed, and the others see it leave. */
  void removed() {
    if (closed) {
      return;
    }
    sink.send(
        SignalResponse.newBuilder()
            .setLeave(
                LeaveRequest.newBuilder()
                    .setAction(LeaveRequest.Action.DISCONNECT)
                    .setReason(DisconnectReason.PARTICIPANT_REMOVED))
            .build());
    close("removed from the room");
  }

  /**
   * The same identity joined again elsewhere: this connection is told to disconnect (LiveKit's
   * DUPLICATE_IDENTITY) and closed, without announcing a departure.
   */
  void replaced() {
    if (closed) {
      return;
    }
    sink.send(
        SignalResponse.newBuilder()
            .setLeave(
                LeaveRequest.newBuilder()
                    .setAction(LeaveRequest.Action.DISCONNECT)
                    .setReason(DisconnectReason.DUPLICATE_IDENTITY))
            .build());
    closed = true;
    sink.close("duplicate identity");
  }

  /** The connection ended (or {@link #close} was called): the participant leaves the room. */
  public void onClosed() {
    if (!closed) {
      closed = true;
      room.leave(this);
    }
  }

  private void close(String reason) {
    onClosed();
    sink.close(reason);
  }
}
