package eu.visio.server.api;

import eu.visio.meet.Meetings;
import eu.visio.meet.identity.Session;
import eu.visio.meet.moderation.Moderation;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Hands (one's own) and what hosts do to a meeting in progress. */
final class ModerationRoutes {
  record HandRequest(Boolean raised) {}

  /**
   * A host's action: {@code mute}, {@code remove} or {@code lower_hand} a participant, or {@code
   * mute_all}, {@code lower_all_hands}, {@code end} for everyone.
   */
  record ModerationRequest(String action, String participant) {}

  private final Api api;
  private final Meetings meetings;
  private final Moderation moderation;

  ModerationRoutes(Api api, Meetings meetings, Moderation moderation) {
    this.api = api;
    this.meetings = meetings;
    this.moderation = moderation;
  }

  List<Route> routes() {
    return List.of(
        new Route("post", "/api/v1/rooms/{code}/hand", this::hand),
        new Route("get", "/api/v1/rooms/{code}/hands", this::hands),
        new Route("post", "/api/v1/rooms/{code}/moderation", this::moderate));
  }

  /** The caller raises or lowers its own hand (participants cannot set their own attributes). */
  private void hand(Context ctx) {
    Session s = api.writer(ctx);
    boolean raised = Api.required(api.body(ctx, HandRequest.class).raised(), "raised");
    String room = Meetings.liveKitRoom(meetings.find(ctx.pathParam("code")));
    String me = api.caller(s).participantId();
    boolean done =
        raised ? moderation.raiseHand(room, me, Instant.now()) : moderation.lowerHand(room, me);
    if (!done) {
      throw new ApiError(409, "NOT_IN_MEETING", "join the meeting first");
    }
    ctx.status(204);
  }

  /** Raised hands, first raised first (what hosts see as the queue). */
  private void hands(Context ctx) {
    api.required(ctx);
    String room = Meetings.liveKitRoom(meetings.find(ctx.pathParam("code")));
    api.write(
        ctx,
        moderation.raisedHands(room).stream()
            .map(
                p ->
                    Map.of(
                        "participant", p.getIdentity(),
                        "name", p.getName(),
                        "raised_at", p.getAttributesOrThrow(Moderation.HAND_RAISED_AT)))
            .toList());
  }

  private void moderate(Context ctx) {
    Session s = api.writer(ctx);
    ModerationRequest r = api.body(ctx, ModerationRequest.class);
    Meetings.Caller host = api.caller(s);
    String room = Meetings.liveKitRoom(meetings.hosted(ctx.pathParam("code"), host));
    String action = r.action() == null ? "" : r.action();
    Map<String, Object> result = new LinkedHashMap<>();
    switch (action) {
      case "mute", "remove", "lower_hand" -> {
        if (r.participant() == null || r.participant().isBlank()) {
          throw ApiError.invalid("participant: required for " + action);
        }
        boolean done =
            switch (action) {
              case "mute" -> moderation.muteMicrophone(room, r.participant());
              case "remove" -> moderation.remove(room, r.participant());
              default -> moderation.lowerHand(room, r.participant());
            };
        if (!done) {
          throw ApiError.notFound("no such participant in the meeting");
        }
      }
      case "mute_all" -> result.put("muted", moderation.muteEveryone(room, host.participantId()));
      case "lower_all_hands" -> result.put("lowered", moderation.lowerAllHands(room));
      case "end" -> result.put("ended", moderation.endMeeting(room));
      default ->
          throw ApiError.invalid(
              "action: mute, remove, lower_hand, mute_all, lower_all_hands or end");
    }
    api.write(ctx, result);
  }
}
