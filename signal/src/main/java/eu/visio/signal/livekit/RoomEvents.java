package eu.visio.signal.livekit;

import livekit.LivekitModels.ParticipantInfo;
import livekit.LivekitModels.Room;
import livekit.LivekitModels.TrackInfo;

/**
 * What happens to rooms, as LiveKit's webhooks report it. Called on the room's media worker:
 * implementations must not block.
 */
public interface RoomEvents {
  RoomEvents NONE = new RoomEvents() {};

  default void roomStarted(Room room) {}

  default void roomFinished(Room room) {}

  default void participantJoined(Room room, ParticipantInfo participant) {}

  default void participantLeft(Room room, ParticipantInfo participant) {}

  default void trackPublished(Room room, ParticipantInfo participant, TrackInfo track) {}

  default void trackUnpublished(Room room, ParticipantInfo participant, TrackInfo track) {}
}
