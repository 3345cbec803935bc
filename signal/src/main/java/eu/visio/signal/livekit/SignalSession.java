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
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
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
  private final ParticipantInfo participant;
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

  /** Tells the client something changed in the room (others joining or leaving). */
  void send(SignalResponse response) {
    if (!closed) {
      sink.send(response);
    }
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
