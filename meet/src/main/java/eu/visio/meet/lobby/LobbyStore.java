package eu.visio.meet.lobby;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Where the {@link Lobby} keeps its knocks: in this process ({@link #memory}), or in the database
 * that every node of a cluster shares ({@code eu.visio.meet.store.JdbcLobbyStore}), so that a knock
 * made through one node is seen and decided through another. The lobby's rules run on the room's
 * knocks inside {@link #update}; the store only keeps them and makes each update exclusive.
 */
public interface LobbyStore {
  /**
   * Runs {@code change} on {@code room}'s knocks (by participant; a mutable map), alone among
   * everyone sharing the store, and keeps what it leaves (a room left without knocks is forgotten).
   * Without {@code create}, a room with no knocks is not made: {@code change} sees an empty map and
   * must not add to it. {@code change} may run more than once (a store may try it on a snapshot
   * first): it must change nothing but the map and what it returns.
   *
   * @throws eu.visio.meet.store.StoreException (a shared store) the database failed
   */
  <T> T update(String room, boolean create, Function<Map<String, Lobby.Knock>, T> change);

  /** Rooms with knocks now. */
  Collection<String> rooms();

  /** Whether other processes change it too (their changes are then noticed by polling). */
  boolean shared();

  /** Knocks in this process alone: a restart drops them. */
  static LobbyStore memory() {
    return new LobbyStore() {
      // One room's knocks, in arrival order; its own lock.
      final class Door {
        final Map<String, Lobby.Knock> knocks = new LinkedHashMap<>();
      }

      private final Map<String, Door> doors = new ConcurrentHashMap<>();

      @Override
      public <T> T update(
          String room, boolean create, Function<Map<String, Lobby.Knock>, T> change) {
        while (true) {
          Door door = create ? doors.computeIfAbsent(room, r -> new Door()) : doors.get(room);
          if (door == null) {
            return change.apply(new LinkedHashMap<>());
          }
          synchronized (door) {
            if (doors.get(room) != door) {
              continue; // emptied and forgotten meanwhile: take the room's current door
            }
            T result = change.apply(door.knocks);
            if (door.knocks.isEmpty()) {
              doors.remove(room, door);
            }
            return result;
          }
        }
      }

      @Override
      public Collection<String> rooms() {
        return List.copyOf(doors.keySet());
      }

      @Override
      public boolean shared() {
        return false;
      }
    };
  }
}
