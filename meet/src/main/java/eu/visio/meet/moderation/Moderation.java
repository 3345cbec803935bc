package eu.visio.meet.moderation;

import eu.visio.signal.livekit.LiveKitRooms;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.ParticipantPermission;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitModels.TrackSource;
import livekit.LivekitRoom.UpdateParticipantRequest;

/**
 * What hosts do to a meeting, acted out by the SFU on the participants themselves: mute one or
 * everyone, remove, change a role, lower hands, end the meeting. Every participant sees the effect
 * through LiveKit's own signalling (track muted, participant updated, participant left, room
 * closed), so clients need nothing of ours.
 *
 * <p>Raised hands are participant attributes ({@value #HAND_RAISED_AT} = the ISO-8601 instant it
 * was raised), so their order is the order in time, and everyone's client sees them; participants
 * cannot set their own attributes (the service mints tokens without canUpdateOwnMetadata), so a
 * hand goes up and down through here. Roles travel in {@value #ROOM_ROLE}.
 *
 * <p>Whether the caller may do this is decided before (the REST layer, from the caller's role);
 * this class only does it.
 */
public final class Moderation implements eu.visio.meet.LiveMeetings {
  /** The participant attribute holding when its hand was raised (absent: lowered). */
  public static final String HAND_RAISED_AT = "handRaisedAt";

  /** The participant attribute holding its role in the room (owner, administrator, member). */
  public static final String ROOM_ROLE = "room_role";

  /**
   * "true" on a participant a host made co-host for this meeting: the app offers to take that role
   * back, and not a role the room's members hold (changed in the room's settings instead).
   */
  public static final String CO_HOST = "co_host";

  private final RoomAccess rooms;

  /** Over this process's rooms (a single node). */
  public Moderation(LiveKitRooms rooms) {
    this(RoomAccess.local(rooms));
  }

  /** Over rooms wherever they live (a cluster: see {@link RoomAccess}). */
  public Moderation(RoomAccess rooms) {
    this.rooms = rooms;
  }

  /** Mutes every microphone track {@code identity} publishes; false if it is not in the room. */
  public boolean muteMicrophone(String room, String identity) {
    Optional<ParticipantInfo> p = rooms.participant(room, identity);
    if (p.isEmpty()) {
      return false;
    }
    for (TrackInfo t : p.get().getTracksList()) {
      if (t.getSource() == TrackSource.MICROPHONE && !t.getMuted()) {
        rooms.mute(room, identity, t.getSid(), true);
      }
    }
    return true;
  }

  /** Mutes every microphone in the room but {@code except}'s (the host's own); how many were. */
  public int muteEveryone(String room, String except) {
    int muted = 0;
    for (ParticipantInfo p : rooms.participants(room)) {
      if (!p.getIdentity().equals(except)
          && p.getTracksList().stream()
              .anyMatch(t -> t.getSource() == TrackSource.MICROPHONE && !t.getMuted())
          && muteMicrophone(room, p.getIdentity())) {
        muted++;
      }
    }
    return muted;
  }

  /** Removes {@code identity} from the meeting (it may come back only through the lobby). */
  public boolean remove(String room, String identity) {
    return rooms.remove(room, identity);
  }

  /**
   * Gives {@code identity} a new role: its {@code room_role} attribute and what it may do (a host
   * gets {@code roomAdmin}-level permissions: every source, hidden nothing).
   */
  public Optional<ParticipantInfo> setRole(
      String room, String identity, String role, boolean coHost, ParticipantPermission permission) {
    UpdateParticipantRequest u =
        UpdateParticipantRequest.newBuilder()
            .setRoom(room)
            .setIdentity(identity)
            .putAttributes(ROOM_ROLE, role)
            // An empty value deletes the attribute, as in LiveKit.
            .putAttributes(CO_HOST, coHost ? "true" : "")
            .setPermission(permission)
            .build();
    return rooms.update(u);
  }

  /** Raises {@code identity}'s hand at {@code at} (raising it again keeps its place). */
  public boolean raiseHand(String room, String identity, Instant at) {
    Optional<ParticipantInfo> p = rooms.participant(room, identity);
    if (p.isEmpty()) {
      return false;
    }
    if (p.get().getAttributesMap().containsKey(HAND_RAISED_AT)) {
      return true;
    }
    return rooms
        .update(attributes(room, identity, Map.of(HAND_RAISED_AT, at.toString())))
        .isPresent();
  }

  /** Lowers {@code identity}'s hand (its own gesture, or a host's). */
  public boolean lowerHand(String room, String identity) {
    // LiveKit deletes an attribute set to the empty string.
    return rooms.update(attributes(room, identity, Map.of(HAND_RAISED_AT, ""))).isPresent();
  }

  /** Lowers every hand; how many were raised. */
  public int lowerAllHands(String room) {
    int lowered = 0;
    for (ParticipantInfo p : raisedHands(room)) {
      if (lowerHand(room, p.getIdentity())) {
        lowered++;
      }
    }
    return lowered;
  }

  /** Participants with a raised hand, first raised first. */
  public List<ParticipantInfo> raisedHands(String room) {
    List<ParticipantInfo> raised = new ArrayList<>();
    for (ParticipantInfo p : rooms.participants(room)) {
      if (!p.getAttributesOrDefault(HAND_RAISED_AT, "").isEmpty()) {
        raised.add(p);
      }
    }
    raised.sort(Comparator.comparing(p -> Instant.parse(p.getAttributesOrThrow(HAND_RAISED_AT))));
    return raised;
  }

  /** Ends the meeting for everyone: all are disconnected and the room closes. */
  public boolean endMeeting(String room) {
    return rooms.delete(room);
  }

  @Override
  public void open(String room, int maxParticipants) {
    rooms.create(
        livekit.LivekitRoom.CreateRoomRequest.newBuilder()
            .setName(room)
            .setMaxParticipants(maxParticipants)
            .build());
  }

  @Override
  public void limit(String room, int maxParticipants) {
    if (rooms.running(room)) {
      open(room, maxParticipants);
    }
  }

  @Override
  public boolean present(String room, String identity) {
    return rooms.participant(room, identity).isPresent();
  }

  @Override
  public Optional<eu.visio.meet.room.Role> role(String room, String identity) {
    return rooms
        .participant(room, identity)
        .map(
            p -> {
              try {
                return eu.visio.meet.room.Role.parse(p.getAttributesOrDefault(ROOM_ROLE, "member"));
              } catch (eu.visio.meet.room.ValidationException e) {
                return eu.visio.meet.room.Role.MEMBER;
              }
            });
  }

  @Override
  public int occupancy(String room) {
    return rooms.participants(room).size();
  }

  @Override
  public boolean assign(
      String room,
      String identity,
      eu.visio.meet.room.Role role,
      boolean coHost,
      ParticipantPermission permission) {
    return setRole(room, identity, role.wire(), coHost, permission).isPresent();
  }

  @Override
  public int permitMembers(String room, ParticipantPermission permission) {
    int changed = 0;
    for (ParticipantInfo p : rooms.participants(room)) {
      String role = p.getAttributesOrDefault(ROOM_ROLE, "member");
      if (!role.equals("owner") && !role.equals("administrator")) {
        UpdateParticipantRequest u =
            UpdateParticipantRequest.newBuilder()
                .setRoom(room)
                .setIdentity(p.getIdentity())
                .setPermission(permission)
                .build();
        if (rooms.update(u).isPresent()) {
          changed++;
        }
      }
    }
    return changed;
  }

  @Override
  public boolean end(String room) {
    return endMeeting(room);
  }

  private static UpdateParticipantRequest attributes(
      String room, String identity, Map<String, String> attributes) {
    return UpdateParticipantRequest.newBuilder()
        .setRoom(room)
        .setIdentity(identity)
        .putAllAttributes(attributes)
        .build();
  }
}
