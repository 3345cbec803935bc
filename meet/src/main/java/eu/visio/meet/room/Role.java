package eu.visio.meet.room;

/**
 * A user's standing on a room. One role per user per room; a room always keeps an owner, so
 * somebody can always manage it.
 */
public enum Role {
  /** Created the room or was made owner: everything an administrator may, and cannot be demoted. */
  OWNER,
  /** A co-host: moderates the meeting and admits from the lobby. */
  ADMINISTRATOR,
  /** Known to the room: enters a restricted room without waiting. */
  MEMBER;

  /** Whether this role moderates (gets LiveKit's {@code roomAdmin}, all sources). */
  public boolean isHost() {
    return this != MEMBER;
  }

  /** As the API, the database and the {@code room_role} token attribute spell it. */
  public String wire() {
    return WireNames.of(this);
  }

  /** The role spelled {@code wire}, or a {@link ValidationException} for {@code role}. */
  public static Role parse(String wire) {
    return WireNames.parse(Role.class, "role", wire);
  }
}
