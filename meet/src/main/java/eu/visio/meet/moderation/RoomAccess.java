package eu.visio.meet.moderation;

import eu.visio.signal.livekit.LiveKitRooms;
import java.util.List;
import java.util.Optional;
import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.TrackInfo;
import livekit.LivekitRoom.CreateRoomRequest;
import livekit.LivekitRoom.UpdateParticipantRequest;

/**
 * The SFU's rooms as the meeting service acts on them, in the Room service's terms, wherever each
 * room lives: here ({@link #local}), or, in a cluster, on the node that holds its lease (the server
 * forwards each call there).
 */
public interface RoomAccess {
  /** Everyone in {@code room} now; empty when it is not running. */
  List<ParticipantInfo> participants(String room);

  /** {@code identity} in {@code room}, if there. */
  Optional<ParticipantInfo> participant(String room, String identity);

  /** Removes {@code identity}; false when it is not there. */
  boolean remove(String room, String identity);

  /** Mutes or unmutes one of its tracks; empty when the participant or the track is not there. */
  Optional<TrackInfo> mute(String room, String identity, String trackSid, boolean muted);

  /** UpdateParticipant; empty when the participant is not there. */
  Optional<ParticipantInfo> update(UpdateParticipantRequest u);

  /** CreateRoom: opens the room (in a cluster, placing it) or sets a running one's options. */
  void create(CreateRoomRequest r);

  /** DeleteRoom; false when it was not running. */
  boolean delete(String room);

  /** Whether {@code room} is running. */
  boolean running(String room);

  /**
   * The node a room lives on could not be reached, or refused the call for a reason of its own (not
   * a missing participant or room): the caller's request fails, and may be tried again.
   */
  final class UnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The rooms of this process (a single node, or a cluster's calls on rooms that live here). */
  static RoomAccess local(LiveKitRooms rooms) {
    return new RoomAccess() {
      @Override
      public List<ParticipantInfo> participants(String room) {
        return rooms.participants(room);
      }

      @Override
      public Optional<ParticipantInfo> participant(String room, String identity) {
        return Optional.ofNullable(
            rooms.onParticipant(room, identity, LiveKitRooms.Participant::info));
      }

      @Override
      public boolean remove(String room, String identity) {
        return rooms.remove(room, identity);
      }

      @Override
      public Optional<TrackInfo> mute(
          String room, String identity, String trackSid, boolean muted) {
        return Optional.ofNullable(
            rooms.onParticipant(room, identity, p -> p.mute(trackSid, muted)));
      }

      @Override
      public Optional<ParticipantInfo> update(UpdateParticipantRequest u) {
        return Optional.ofNullable(
            rooms.onParticipant(u.getRoom(), u.getIdentity(), p -> p.update(u)));
      }

      @Override
      public void create(CreateRoomRequest r) {
        rooms.create(r);
      }

      @Override
      public boolean delete(String room) {
        return rooms.delete(room);
      }

      @Override
      public boolean running(String room) {
        return rooms.rooms().stream().anyMatch(r -> r.getName().equals(room));
      }
    };
  }
}
