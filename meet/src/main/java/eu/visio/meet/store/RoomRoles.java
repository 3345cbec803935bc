package eu.visio.meet.store;

import eu.visio.meet.room.Role;
import eu.visio.meet.room.RoomRole;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Who has which role on a room: one role per user per room, and always at least one owner, so a
 * room can never be left without someone able to manage it. Who may grant what (a member may not
 * promote themselves) is the caller's policy; this keeps the invariant whoever asks.
 *
 * <p>Changes lock the room's row first: two owners demoting each other at the same moment are
 * serialized, and the second finds itself the last owner.
 */
public final class RoomRoles {
  private final DataSource ds;
  private final Clock clock;

  public RoomRoles(DataSource ds, Clock clock) {
    this.ds = ds;
    this.clock = clock;
  }

  /**
   * Gives {@code user} the role {@code role} on {@code room}, replacing any other: NOT_FOUND if the
   * room or the user does not exist, CONFLICT if it would demote the last owner.
   */
  public RoomRole grant(UUID room, UUID user, Role role) {
    return Jdbc.transaction(
        ds,
        c -> {
          lockRoom(c, room);
          Optional<Role> current = roleOf(c, room, user);
          Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
          if (current.isEmpty()) {
            insert(c, room, user, role, now);
            return new RoomRole(room, user, role, now);
          }
          if (current.get() == role) {
            return list(c, room, user).getFirst();
          }
          if (current.get() == Role.OWNER) {
            requireAnotherOwner(c, room, user);
          }
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE room_roles SET role = ?, granted_at = ? WHERE room_id = ? AND user_id = ?")) {
            s.setString(1, role.wire());
            Jdbc.setInstant(s, 2, now);
            s.setObject(3, room);
            s.setObject(4, user);
            s.executeUpdate();
          }
          return new RoomRole(room, user, role, now);
        });
  }

  /**
   * Takes away {@code user}'s role on {@code room}: NOT_FOUND if there is none, CONFLICT if the
   * user is the last owner.
   */
  public void revoke(UUID room, UUID user) {
    Jdbc.transaction(
        ds,
        c -> {
          lockRoom(c, room);
          Role current =
              roleOf(c, room, user)
                  .orElseThrow(
                      () ->
                          new StoreException(
                              StoreException.Code.NOT_FOUND,
                              "no role on " + room + " for " + user));
          if (current == Role.OWNER) {
            requireAnotherOwner(c, room, user);
          }
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM room_roles WHERE room_id = ? AND user_id = ?")) {
            s.setObject(1, room);
            s.setObject(2, user);
            s.executeUpdate();
          }
          return null;
        });
  }

  /** {@code user}'s role on {@code room}, if any. */
  public Optional<Role> roleOf(UUID room, UUID user) {
    return Jdbc.transaction(ds, c -> roleOf(c, room, user));
  }

  /** Everyone with a role on {@code room}, in the order they got it; empty if no such room. */
  public List<RoomRole> list(UUID room) {
    return Jdbc.transaction(ds, c -> list(c, room, null));
  }

  /** Adds a role row; the caller knows there is none for this user yet. */
  static void insert(Connection c, UUID room, UUID user, Role role, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO room_roles (room_id, user_id, role, granted_at) VALUES (?, ?, ?, ?)")) {
      s.setObject(1, room);
      s.setObject(2, user);
      s.setString(3, role.wire());
      Jdbc.setInstant(s, 4, now);
      s.executeUpdate();
    }
  }

  private static void lockRoom(Connection c, UUID room) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT id FROM rooms WHERE id = ? FOR UPDATE")) {
      s.setObject(1, room);
      try (ResultSet r = s.executeQuery()) {
        if (!r.next()) {
          throw Rooms.notFound(room);
        }
      }
    }
  }

  private static void requireAnotherOwner(Connection c, UUID room, UUID user) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT COUNT(*) FROM room_roles WHERE room_id = ? AND role = 'owner' AND user_id <> ?")) {
      s.setObject(1, room);
      s.setObject(2, user);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        if (r.getLong(1) == 0) {
          throw new StoreException(
              StoreException.Code.CONFLICT, "the last owner of " + room + " must stay owner");
        }
      }
    }
  }

  private static Optional<Role> roleOf(Connection c, UUID room, UUID user) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT role FROM room_roles WHERE room_id = ? AND user_id = ?")) {
      s.setObject(1, room);
      s.setObject(2, user);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(Role.parse(r.getString("role"))) : Optional.empty();
      }
    }
  }

  private static List<RoomRole> list(Connection c, UUID room, UUID onlyUser) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT room_id, user_id, role, granted_at FROM room_roles WHERE room_id = ?"
                + (onlyUser == null ? "" : " AND user_id = ?")
                + " ORDER BY granted_at, user_id")) {
      s.setObject(1, room);
      if (onlyUser != null) {
        s.setObject(2, onlyUser);
      }
      List<RoomRole> roles = new ArrayList<>();
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          roles.add(
              new RoomRole(
                  Jdbc.getUuid(r, "room_id"),
                  Jdbc.getUuid(r, "user_id"),
                  Role.parse(r.getString("role")),
                  Jdbc.getInstant(r, "granted_at")));
        }
      }
      return roles;
    }
  }
}
