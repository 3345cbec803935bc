package eu.visio.meet.room;

import java.time.Instant;
import java.util.UUID;

/**
 * A meeting room as stored: the UUID is its identity (and its LiveKit room name, which never
 * changes), the code is how people reach it.
 *
 * @param name what hosts call it, 1 to {@value #MAX_NAME} characters of one-line text
 * @param locked a host locked the meeting: everyone without a role knocks, whatever the level
 */
public record Room(
    UUID id,
    RoomCode code,
    String name,
    RoomKind kind,
    AccessLevel accessLevel,
    RoomSettings settings,
    boolean locked,
    Instant createdAt,
    Instant updatedAt) {
  /** As La Suite Meet's {@code Room.name}. */
  public static final int MAX_NAME = 500;

  public Room {
    require("id", id);
    require("code", code);
    name = checkName(name);
    require("kind", kind);
    require("access_level", accessLevel);
    require("configuration", settings);
    require("created_at", createdAt);
    require("updated_at", updatedAt);
  }

  /** {@code name} if a room may be called so, else a {@link ValidationException}. */
  public static String checkName(String name) {
    return Text.check("name", name, MAX_NAME, false);
  }

  static void require(String field, Object value) {
    if (value == null) {
      throw new ValidationException(field, "missing");
    }
  }
}
