package eu.visio.meet;

import eu.visio.meet.room.Role;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import livekit.LivekitModels.ParticipantPermission;

/** Meetings in progress as plain maps: who is in which room, with what role and permission. */
final class FakeLive implements LiveMeetings {
  record Seat(Role role, boolean coHost, ParticipantPermission permission) {}

  final Map<String, Map<String, Seat>> rooms = new ConcurrentHashMap<>();
  final Map<String, Integer> caps = new ConcurrentHashMap<>();

  /** Someone connected with a token: in the room with the role it was given. */
  void arrive(String room, String identity, Role role) {
    rooms
        .computeIfAbsent(room, k -> new LinkedHashMap<>())
        .put(identity, new Seat(role, false, ParticipantPermission.getDefaultInstance()));
  }

  Seat seat(String room, String identity) {
    return rooms.getOrDefault(room, Map.of()).get(identity);
  }

  @Override
  public void open(String room, int maxParticipants) {
    rooms.computeIfAbsent(room, k -> new LinkedHashMap<>());
    caps.put(room, maxParticipants);
  }

  @Override
  public void limit(String room, int maxParticipants) {
    if (rooms.containsKey(room)) {
      caps.put(room, maxParticipants);
    }
  }

  @Override
  public boolean present(String room, String identity) {
    return seat(room, identity) != null;
  }

  @Override
  public Optional<Role> role(String room, String identity) {
    return Optional.ofNullable(seat(room, identity)).map(Seat::role);
  }

  @Override
  public int occupancy(String room) {
    return rooms.getOrDefault(room, Map.of()).size();
  }

  @Override
  public boolean assign(
      String room, String identity, Role role, boolean coHost, ParticipantPermission permission) {
    if (!present(room, identity)) {
      return false;
    }
    rooms.get(room).put(identity, new Seat(role, coHost, permission));
    return true;
  }

  @Override
  public int permitMembers(String room, ParticipantPermission permission) {
    int n = 0;
    for (Map.Entry<String, Seat> e : rooms.getOrDefault(room, Map.of()).entrySet()) {
      if (!e.getValue().role().isHost()) {
        e.setValue(new Seat(e.getValue().role(), e.getValue().coHost(), permission));
        n++;
      }
    }
    return n;
  }

  @Override
  public boolean end(String room) {
    caps.remove(room);
    return rooms.remove(room) != null;
  }
}
