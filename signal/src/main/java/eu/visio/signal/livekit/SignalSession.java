package eu.visio.signal.livekit;

import eu.visio.signal.token.AccessClaims;
import eu.visio.signal.token.VideoGrant;
import java.time.Clock;
import java.util.Locale;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRtc.JoinRequest;
import livekit.LivekitRtc.Pong;
import livekit.LivekitRtc.SignalRequest;
import livekit.LivekitRtc.SignalResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One signalling connection of a participant, on the connection's thread: pings are answered here,
 * everything else is handed to the participant on its room's media worker, in order. A task that
 * fails there closes this participant only: the room and its other participants go on.
 */
public final class SignalSession {
  private static final Logger log = LoggerFactory.getLogger(SignalSession.class);

  /** Where responses go: the WebSocket. Must not block; may be called from any thread. */
  public interface Sink {
    void send(SignalResponse response);

    void close(String reason);
  }

  private final LiveKitRoom room;
  private final LiveKitParticipant participant;
  private final ParticipantInfo joined;

  SignalSession(LiveKitRoom room, LiveKitParticipant participant) {
    this.room = room;
    this.participant = participant;
    this.joined = participant.info();
  }

  /** The participant as it joined (its sid and identity do not change). */
  public ParticipantInfo participant() {
    return joined;
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
      switch (s.toLowerCase(Locale.ROOT)) {
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
        .putAllAttributes(join.getParticipantAttributesMap())
        .setState(ParticipantInfo.State.JOINED)
        .setJoinedAt(nowMs / 1000)
        .setJoinedAtMs(nowMs)
        .setPermission(permission(claims.video()))
        .setKind(kind(claims.kind()))
        .build();
  }

  /** The token's {@code kind} claim as LiveKit's enum; standard when absent or unknown. */
  static ParticipantInfo.Kind kind(String claim) {
    return switch (claim.toLowerCase(Locale.ROOT)) {
      case "ingress" -> ParticipantInfo.Kind.INGRESS;
      case "egress" -> ParticipantInfo.Kind.EGRESS;
      case "sip" -> ParticipantInfo.Kind.SIP;
      case "agent" -> ParticipantInfo.Kind.AGENT;
      default -> ParticipantInfo.Kind.STANDARD;
    };
  }

  /** A message from the client. */
  public void onRequest(SignalRequest r, Sink sink, Clock clock) {
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
      default -> room.worker().execute(() -> handle(r));
    }
  }

  private void handle(SignalRequest r) {
    try {
      participant.onRequest(r);
    } catch (RuntimeException e) {
      // A bug or a request we could not handle: this participant goes, nobody else notices.
      log.warn(
          "room={} participant={} {} failed; closing its session",
          room.name(),
          participant.identity(),
          r.getMessageCase(),
          e);
      participant.closeSignal("internal error");
      room.leave(participant);
    }
  }

  /**
   * The participant was sent elsewhere (its room moved, or this server drains): it leaves the room
   * now rather than after the resume timeout, since it will not resume here.
   */
  public void sentAway() {
    room.worker().execute(() -> room.leave(participant));
  }

  /** The connection ended without a leave: the session waits a while for the client to resume. */
  public void onClosed(Sink sink) {
    room.worker().execute(() -> participant.signalLost(sink));
  }
}
