package eu.visio.meet.access;

import eu.visio.meet.lobby.Lobby;
import eu.visio.meet.room.AccessLevel;
import eu.visio.meet.room.Role;
import java.util.Optional;

/**
 * Who enters a meeting at once and who knocks (La Suite Meet's access levels):
 *
 * <ul>
 *   <li>anyone with a role on the room enters, whatever its level;
 *   <li>public: everyone enters;
 *   <li>trusted: signed-in people enter, guests knock;
 *   <li>restricted: everyone without a role knocks;
 *   <li>someone the lobby admitted enters; someone it denied is refused until the denial lapses.
 * </ul>
 *
 * <p>A locked meeting (a host's moderation) behaves as restricted whatever its level.
 */
public final class EntryPolicy {
  /** What happens to someone who asks to join. */
  public enum Outcome {
    ENTER,
    KNOCK,
    REFUSED
  }

  private EntryPolicy() {}

  public static Outcome decide(
      AccessLevel level,
      boolean locked,
      boolean signedIn,
      Optional<Role> role,
      Lobby.Status lobby) {
    if (role.isPresent() || lobby == Lobby.Status.ADMITTED) {
      return Outcome.ENTER;
    }
    if (lobby == Lobby.Status.DENIED) {
      return Outcome.REFUSED;
    }
    AccessLevel effective = locked ? AccessLevel.RESTRICTED : level;
    return switch (effective) {
      case PUBLIC -> Outcome.ENTER;
      case TRUSTED -> signedIn ? Outcome.ENTER : Outcome.KNOCK;
      case RESTRICTED -> Outcome.KNOCK;
    };
  }
}
