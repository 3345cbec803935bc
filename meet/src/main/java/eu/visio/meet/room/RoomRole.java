package eu.visio.meet.room;

import java.time.Instant;
import java.util.UUID;

/**
 * A user's role on a room, as granted.
 *
 * @param grantedAt when the user got this role (a promotion is a new grant)
 */
public record RoomRole(UUID roomId, UUID userId, Role role, Instant grantedAt) {
  public RoomRole {
    Room.require("room_id", roomId);
    Room.require("user_id", userId);
    Room.require("role", role);
    Room.require("granted_at", grantedAt);
  }
}
