package eu.visio.meet;

import eu.visio.meet.lobby.Lobby;
import java.util.List;

/**
 * One caller following one room's lobby, as {@link Meetings#watch} allowed: a host follows who
 * waits, a participant at the door its own place. The lobby tells {@code onChange} that something
 * this caller may see changed (on the thread that changed it, so the callback must only signal);
 * the caller then reads {@link #current} and compares it with what it last showed, so changes that
 * come faster than it reads fold into one.
 *
 * <p>Closing stops the signals; a watch not closed keeps its room's listener registered.
 */
public final class LobbyWatch implements AutoCloseable {
  /** What the caller sees. */
  public sealed interface View {
    /** A host: everyone waiting, first come first. */
    record Hosting(List<Lobby.Knock> waiting) implements View {}

    /** A participant at the door: where it stands ({@code UNKNOWN}: its knock lapsed). */
    record Knocking(Lobby.Status status) implements View {}
  }

  private final Lobby lobby;
  private final String room;
  private final String participant; // null for a host
  private final Lobby.Watch registration;

  private LobbyWatch(Lobby lobby, String room, String participant, Runnable onChange) {
    this.lobby = lobby;
    this.room = room;
    this.participant = participant;
    this.registration = lobby.watch(room, new Filter(participant, onChange));
  }

  static LobbyWatch host(Lobby lobby, String room, Runnable onChange) {
    return new LobbyWatch(lobby, room, null, onChange);
  }

  static LobbyWatch knocker(Lobby lobby, String room, String participant, Runnable onChange) {
    return new LobbyWatch(lobby, room, participant, onChange);
  }

  /** Whether this caller hosts the room (and so sees everyone waiting). */
  public boolean hosting() {
    return participant == null;
  }

  /** What the caller sees now. */
  public View current() {
    return hosting()
        ? new View.Hosting(lobby.waiting(room))
        : new View.Knocking(lobby.status(room, participant));
  }

  @Override
  public void close() {
    registration.close();
  }

  /**
   * Passes on only what changes the caller's view: for a host, knocks, decisions and waiting knocks
   * lapsing (an admission lapsing changes no waiting list); for a participant, its own knock. A
   * class, not a record: the lobby keeps its listeners in a set, and two watches must stay two even
   * with the same participant and callback.
   */
  private static final class Filter implements Lobby.Listener {
    private final String participant;
    private final Runnable onChange;

    Filter(String participant, Runnable onChange) {
      this.participant = participant;
      this.onChange = onChange;
    }

    @Override
    public void onKnock(String room, Lobby.Knock knock) {
      if (concerns(knock)) {
        onChange.run();
      }
    }

    @Override
    public void onDecision(String room, Lobby.Knock knock) {
      if (concerns(knock)) {
        onChange.run();
      }
    }

    @Override
    public void onExpiry(String room, Lobby.Knock knock) {
      boolean seen =
          participant == null
              ? knock.status() == Lobby.Status.WAITING
              : participant.equals(knock.participant());
      if (seen) {
        onChange.run();
      }
    }

    private boolean concerns(Lobby.Knock knock) {
      return participant == null || participant.equals(knock.participant());
    }
  }
}
