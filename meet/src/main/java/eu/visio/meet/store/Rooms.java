package eu.visio.meet.store;

import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import eu.visio.meet.room.Room;
import eu.visio.meet.room.RoomCode;
import eu.visio.meet.room.RoomKind;
import eu.visio.meet.room.RoomSettings;
import eu.visio.signal.token.VideoGrant.Source;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.random.RandomGenerator;
import javax.sql.DataSource;

/** Rooms in the database: created with their owner, found by id or code, changed, deleted. */
public final class Rooms {
  /**
   * Fresh codes tried before giving up. Two random codes collide with probability 26^-10; several
   * in a row means the random source is broken, not bad luck.
   */
  static final int CODE_ATTEMPTS = 5;

  private static final String COLUMNS =
      "r.id, r.code, r.name, r.kind, r.access_level, r.publish_camera, r.publish_microphone,"
          + " r.publish_screen_share, r.publish_screen_share_audio, r.everyone_can_mute,"
          + " r.max_participants, r.locked, r.created_at, r.updated_at";

  private final DataSource ds;
  private final Clock clock;
  private final RandomGenerator random;

  public Rooms(DataSource ds, Clock clock) {
    this(ds, clock, new SecureRandom());
  }

  /** With the random source codes come from (tests script collisions). */
  Rooms(DataSource ds, Clock clock, RandomGenerator random) {
    this.ds = ds;
    this.clock = clock;
    this.random = random;
  }

  /**
   * A new room with a fresh random code, {@code owner} its owner. NOT_FOUND if the owner is not a
   * user; a {@link eu.visio.meet.room.ValidationException} for a bad name.
   */
  public Room create(
      UUID owner, String name, RoomKind kind, AccessLevel access, RoomSettings settings) {
    StoreException taken = null;
    for (int i = 0; i < CODE_ATTEMPTS; i++) {
      try {
        return create(owner, RoomCode.random(random), name, kind, access, settings);
      } catch (StoreException e) {
        if (e.code() != StoreException.Code.CONFLICT) {
          throw e;
        }
        taken = e;
      }
    }
    throw new StoreException(
        StoreException.Code.UNAVAILABLE, "no free room code in " + CODE_ATTEMPTS + " tries", taken);
  }

  /**
   * A new room with the code a client chose (La Suite Meet's clients pick the code of an instant
   * meeting themselves). CONFLICT if the code is taken.
   */
  public Room create(
      UUID owner,
      RoomCode code,
      String name,
      RoomKind kind,
      AccessLevel access,
      RoomSettings settings) {
    Instant now = now();
    Room room = new Room(UUID.randomUUID(), code, name, kind, access, settings, false, now, now);
    return Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "INSERT INTO rooms (id, code, name, kind, access_level, publish_camera,"
                      + " publish_microphone, publish_screen_share, publish_screen_share_audio,"
                      + " everyone_can_mute, max_participants, created_at, updated_at)"
                      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setObject(1, room.id());
            s.setString(2, code.value());
            s.setString(3, room.name());
            s.setString(4, kind.wire());
            s.setString(5, access.wire());
            setSettings(s, 6, settings);
            Jdbc.setInstant(s, 12, now);
            Jdbc.setInstant(s, 13, now);
            s.executeUpdate();
          }
          RoomRoles.insert(c, room.id(), owner, Role.OWNER, now);
          return room;
        });
  }

  public Optional<Room> find(UUID id) {
    return Jdbc.transaction(ds, c -> findBy(c, "r.id = ?", id));
  }

  public Optional<Room> findByCode(RoomCode code) {
    return Jdbc.transaction(ds, c -> findBy(c, "r.code = ?", code.value()));
  }

  /** The rooms {@code user} owns, newest first. */
  public List<Room> listOwnedBy(UUID user) {
    return listWithRole(user, "AND rr.role = 'owner'");
  }

  /** The rooms {@code user} has any role on, newest first. */
  public List<Room> listForUser(UUID user) {
    return listWithRole(user, "");
  }

  public Room rename(UUID id, String name) {
    String checked = Room.checkName(name);
    return update(id, "name = ?", (s, i) -> s.setString(i, checked), 1);
  }

  public Room updateAccessLevel(UUID id, AccessLevel access) {
    return update(id, "access_level = ?", (s, i) -> s.setString(i, access.wire()), 1);
  }

  /** Locks or unlocks the meeting's door (see {@link Room#locked}). */
  public Room setLocked(UUID id, boolean locked) {
    return update(id, "locked = ?", (s, i) -> s.setBoolean(i, locked), 1);
  }

  public Room updateSettings(UUID id, RoomSettings settings) {
    return update(
        id,
        "publish_camera = ?, publish_microphone = ?, publish_screen_share = ?,"
            + " publish_screen_share_audio = ?, everyone_can_mute = ?, max_participants = ?",
        (s, i) -> setSettings(s, i, settings),
        6);
  }

  /** Deletes the room and its roles; NOT_FOUND if there is none. */
  public void delete(UUID id) {
    Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM rooms WHERE id = ?")) {
            s.setObject(1, id);
            if (s.executeUpdate() == 0) {
              throw notFound(id);
            }
          }
          return null;
        });
  }

  private interface Binder {
    void bind(PreparedStatement s, int firstIndex) throws SQLException;
  }

  private Room update(UUID id, String assignments, Binder values, int count) {
    return Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE rooms SET " + assignments + ", updated_at = ? WHERE id = ?")) {
            values.bind(s, 1);
            Jdbc.setInstant(s, count + 1, now());
            s.setObject(count + 2, id);
            if (s.executeUpdate() == 0) {
              throw notFound(id);
            }
          }
          return findBy(c, "r.id = ?", id).orElseThrow(() -> notFound(id));
        });
  }

  private List<Room> listWithRole(UUID user, String roleFilter) {
    return Jdbc.transaction(
        ds,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT "
                      + COLUMNS
                      + " FROM rooms r JOIN room_roles rr ON rr.room_id = r.id"
                      + " WHERE rr.user_id = ? "
                      + roleFilter
                      + " ORDER BY r.created_at DESC, r.id")) {
            s.setObject(1, user);
            List<Room> rooms = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                rooms.add(read(r));
              }
            }
            return rooms;
          }
        });
  }

  private static Optional<Room> findBy(Connection c, String where, Object key) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + COLUMNS + " FROM rooms r WHERE " + where)) {
      s.setObject(1, key);
      try (ResultSet r = s.executeQuery()) {
        return r.next() ? Optional.of(read(r)) : Optional.empty();
      }
    }
  }

  private static void setSettings(PreparedStatement s, int i, RoomSettings settings)
      throws SQLException {
    s.setBoolean(i, settings.canPublish().contains(Source.CAMERA));
    s.setBoolean(i + 1, settings.canPublish().contains(Source.MICROPHONE));
    s.setBoolean(i + 2, settings.canPublish().contains(Source.SCREEN_SHARE));
    s.setBoolean(i + 3, settings.canPublish().contains(Source.SCREEN_SHARE_AUDIO));
    s.setBoolean(i + 4, settings.everyoneCanMute());
    s.setInt(i + 5, settings.maxParticipants());
  }

  private static Room read(ResultSet r) throws SQLException {
    EnumSet<Source> sources = EnumSet.noneOf(Source.class);
    if (r.getBoolean("publish_camera")) {
      sources.add(Source.CAMERA);
    }
    if (r.getBoolean("publish_microphone")) {
      sources.add(Source.MICROPHONE);
    }
    if (r.getBoolean("publish_screen_share")) {
      sources.add(Source.SCREEN_SHARE);
    }
    if (r.getBoolean("publish_screen_share_audio")) {
      sources.add(Source.SCREEN_SHARE_AUDIO);
    }
    return new Room(
        Jdbc.getUuid(r, "id"),
        new RoomCode(r.getString("code")),
        r.getString("name"),
        RoomKind.parse(r.getString("kind")),
        AccessLevel.parse(r.getString("access_level")),
        new RoomSettings(sources, r.getBoolean("everyone_can_mute"), r.getInt("max_participants")),
        r.getBoolean("locked"),
        Jdbc.getInstant(r, "created_at"),
        Jdbc.getInstant(r, "updated_at"));
  }

  private Instant now() {
    // PostgreSQL keeps microseconds: truncating first makes what create returns equal what is read.
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static StoreException notFound(UUID room) {
    return new StoreException(StoreException.Code.NOT_FOUND, "no room " + room);
  }
}
