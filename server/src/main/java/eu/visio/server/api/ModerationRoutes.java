package eu.visio.server.api;

import eu.visio.meet.Meetings;
import eu.visio.meet.identity.Session;
import eu.visio.meet.moderation.Moderation;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Hands (one's own) and what hosts do to a meeting in progress. */
final class ModerationRoutes {
  record HandRequest(Boolean raised) {}

  /**
   * A host's action: {@code mute}, {@code remove}, {@code lower_hand}, {@code promote} (co-host for
   * this meeting) or {@code demote} a participant, or {@code mute_all}, {@code lower_all_hands},
   * {@code lock}, {@code unlock}, {@code end} for everyone. When the room lets everyone mute, any
   * participant may {@code mute} another.
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
    Meetings.Caller caller = api.caller(s);
    String code = ctx.pathParam("code");
    String action = r.action() == null ? "" : r.action();
    Map<String, Object> result = new LinkedHashMap<>();
    switch (action) {
      case "mute" -> {
        String room = Meetings.liveKitRoom(meetings.mayMute(code, caller));
        found(moderation.muteMicrophone(room, participant(r)));
      }
      case "remove" -> found(moderation.remove(room(code, caller), participant(r)));
      case "lower_hand" -> found(moderation.lowerHand(room(code, caller), participant(r)));
      case "promote" -> found(meetings.promote(code, caller, participant(r)));
      case "demote" -> found(meetings.demote(code, caller, participant(r)));
      case "mute_all" ->
          result.put("muted", moderation.muteEveryone(room(code, caller), caller.participantId()));
      case "lower_all_hands" -> result.put("lowered", moderation.lowerAllHands(room(code, caller)));
      case "lock", "unlock" ->
          result.put(
              "locked",
              meetings
                  .update(
                      code,
                      caller,
                      new Meetings.Changes(
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          Optional.empty(),
                          Optional.of(action.equals("lock"))))
                  .locked());
      case "end" -> result.put("ended", meetings.end(code, caller));
      default ->
          throw ApiError.invalid(
              "action: mute, remove, lower_hand, promote, demote, mute_all, lower_all_hands, lock,"
                  + " unlock or end");
    }
    api.write(ctx, result);
  }

  /** The meeting's LiveKit room, if {@code caller} hosts it. */
  private String room(String code, Meetings.Caller caller) {
    return Meetings.liveKitRoom(meetings.hosted(code, caller));
  }

  /** LiveKit identities are ours (user subjects, guest ids): 255 characters is every one. */
  static final int MAX_PARTICIPANT = 255;

  private static String participant(ModerationRequest r) {
    if (r.participant() == null || r.participant().isBlank()) {
      throw ApiError.invalid("participant: required for " + r.action());
    }
    if (r.participant().length() > MAX_PARTICIPANT
        || r.participant().chars().anyMatch(Character::isISOControl)) {
      throw ApiError.invalid("participant: not a participant id");
    }
    return r.participant();
  }

  private static void found(boolean done) {
    if (!done) {
      throw ApiError.notFound("no such participant in the meeting");
    }
  }
}
