package eu.visio.meet.store;

import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.lobby.LobbyStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The lobby's knocks in the database (tables {@code lobby_doors}, {@code lobby_knocks}), shared by
 * every node of a cluster. Each update is one transaction holding the room's door row ({@code
 * SELECT ... FOR UPDATE}): the lobby's rules then run on the room's knocks as they are, and only
 * what they changed is written back.
 */
public final class JdbcLobbyStore implements LobbyStore {
  private final DataSource ds;

  public JdbcLobbyStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public <T> T update(String room, boolean create, Function<Map<String, Lobby.Knock>, T> change) {
    // Most calls change nothing (a waiting page polling its status, a host's list, a knock
    // repeated): tried first on a snapshot read without locks, and if the snapshot comes out
    // unchanged its answer stands (it was true when read). Else again under the room's lock.
    Map<String, Lobby.Knock> snapshot = snapshot(room);
    Map<String, Lobby.Knock> tried = new LinkedHashMap<>(snapshot);
    T answer = change.apply(tried);
    if (tried.equals(snapshot)) {
      return answer;
    }
    while (true) {
      if (create) {
        openDoor(room);
      }
      Attempt<T> a =
          Jdbc.transaction(
              ds,
              c -> {
                if (!lockDoor(c, room)) {
                  if (create) {
                    return new Attempt<T>(false, null); // closed since: open it again
                  }
                  return new Attempt<>(true, change.apply(new LinkedHashMap<>()));
                }
                Map<String, Lobby.Knock> before = load(c, room);
                Map<String, Lobby.Knock> knocks = new LinkedHashMap<>(before);
                T result = change.apply(knocks);
                store(c, room, before, knocks);
                return new Attempt<>(true, result);
              });
      if (a.done()) {
        return a.result();
      }
    }
  }

  private record Attempt<T>(boolean done, T result) {}

  @Override
  public Collection<String> rooms() {
    try (Connection c = ds.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT room FROM lobby_doors");
        ResultSet r = s.executeQuery()) {
      List<String> rooms = new ArrayList<>();
      while (r.next()) {
        rooms.add(r.getString(1));
      }
      return rooms;
    } catch (SQLException e) {
      throw Jdbc.translate(e);
    }
  }

  private Map<String, Lobby.Knock> snapshot(String room) {
    try (Connection c = ds.getConnection()) {
      return load(c, room);
    } catch (SQLException e) {
      throw Jdbc.translate(e);
    }
  }

  /** The room's door row exists (two nodes opening it at once: one insert wins, both go on). */
  private void openDoor(String room) {
    try (Connection c = ds.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO lobby_doors (room) SELECT CAST(? AS VARCHAR(255)) WHERE NOT EXISTS"
                    + " (SELECT 1 FROM lobby_doors WHERE room = ?)")) {
      s.setString(1, room);
      s.setString(2, room);
      s.executeUpdate();
    } catch (SQLException e) {
      if (!"23505".equals(e.getSQLState())) {
        throw Jdbc.translate(e);
      }
    }
  }

  private static boolean lockDoor(Connection c, String room) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT room FROM lobby_doors WHERE room = ? FOR UPDATE")) {
      s.setString(1, room);
      try (ResultSet r = s.executeQuery()) {
        return r.next();
      }
    }
  }

  private static Map<String, Lobby.Knock> load(Connection c, String room) throws SQLException {
    Map<String, Lobby.Knock> knocks = new LinkedHashMap<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT participant, name, authenticated, knocked_at, status, decided_at"
                + " FROM lobby_knocks WHERE room = ? ORDER BY knocked_at, participant")) {
      s.setString(1, room);
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          Lobby.Knock k =
              new Lobby.Knock(
                  r.getString("participant"),
                  r.getString("name"),
                  r.getBoolean("authenticated"),
                  Jdbc.getInstant(r, "knocked_at"),
                  Lobby.Status.valueOf(r.getString("status")),
                  r.getObject("decided_at") == null ? null : Jdbc.getInstant(r, "decided_at"));
          knocks.put(k.participant(), k);
        }
      }
    }
    return knocks;
  }

  /** Writes what changed from {@code before} to {@code after}; an emptied room's door goes. */
  private static void store(
      Connection c, String room, Map<String, Lobby.Knock> before, Map<String, Lobby.Knock> after)
      throws SQLException {
    if (after.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement("DELETE FROM lobby_doors WHERE room = ?")) {
        s.setString(1, room); // its knocks go with it (ON DELETE CASCADE)
        s.executeUpdate();
      }
      return;
    }
    try (PreparedStatement delete =
            c.prepareStatement("DELETE FROM lobby_knocks WHERE room = ? AND participant = ?");
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO lobby_knocks (room, participant, name, authenticated, knocked_at,"
                    + " status, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (String p : before.keySet()) {
        Lobby.Knock now = after.get(p);
        if (now == null || !now.equals(before.get(p))) {
          delete.setString(1, room);
          delete.setString(2, p);
          delete.addBatch();
        }
      }
      delete.executeBatch();
      for (Lobby.Knock k : after.values()) {
        if (k.equals(before.get(k.participant()))) {
          continue;
        }
        insert.setString(1, room);
        insert.setString(2, k.participant());
        insert.setString(3, k.name());
        insert.setBoolean(4, k.authenticated());
        Jdbc.setInstant(insert, 5, micros(k.knockedAt()));
        insert.setString(6, k.status().name());
        if (k.decidedAt() == null) {
          insert.setNull(7, java.sql.Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
          Jdbc.setInstant(insert, 7, micros(k.decidedAt()));
        }
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The precision both databases keep, so that a knock reads back as it was written. */
  private static Instant micros(Instant t) {
    return t.truncatedTo(ChronoUnit.MICROS);
  }
}
