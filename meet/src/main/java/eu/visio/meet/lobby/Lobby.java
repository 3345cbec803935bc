package eu.visio.meet.lobby;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The waiting rooms of every meeting: a participant who may not enter on its own knocks, hosts see
 * who waits and admit or deny one or all, and the participant learns the decision by polling {@link
 * #status} or from a {@link Listener} push.
 *
 * <p>The lobby is the authority that token minting asks ({@link #admitted}): no LiveKit token is
 * minted for someone it has not admitted, whatever a client claims.
 *
 * <p>Lifetimes: a knock nobody decides expires {@link Limits#knock} after it was made (10 minutes,
 * as La Suite Meet's guests give up); an admission lasts {@link Limits#admission} so that the
 * admitted participant can fetch its token and reconnect; a denial lasts {@link Limits#denial}, and
 * knocking again meanwhile changes nothing, so a denied guest cannot flood the hosts. A room holds
 * at most {@link Limits#waitingPerRoom} waiting knocks.
 *
 * <p>In memory: a restart drops who is waiting (they knock again on their next poll), never a
 * room's own data. Thread-safe; each room's lobby is locked on its own.
 */
public final class Lobby {
  /** Where a participant stands. */
  public enum Status {
    WAITING,
    ADMITTED,
    DENIED,
    /** Never knocked, or its knock, admission or denial expired. */
    UNKNOWN
  }

  /**
   * One participant at the door.
   *
   * @param participant a stable id: the signed-in user's, or a guest's cookie id
   * @param name the display name it gave
   * @param authenticated whether it signed in (hosts see guests marked)
   */
  public record Knock(
      String participant,
      String name,
      boolean authenticated,
      Instant knockedAt,
      Status status,
      Instant decidedAt) {}

  /** Lifetimes and bounds (see the class comment). */
  public record Limits(Duration knock, Duration admission, Duration denial, int waitingPerRoom) {
    public static final Limits DEFAULT =
        new Limits(Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofMinutes(10), 500);
  }

  /** Pushes to hosts (a knock) and to the waiting participant (a decision). */
  public interface Listener {
    void onKnock(String room, Knock knock);

    void onDecision(String room, Knock knock);
  }

  /** Thrown when a room's lobby is full of waiting knocks. */
  public static final class FullException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FullException(String room) {
      super("the lobby of " + room + " is full");
    }
  }

  private final Clock clock;
  private final Limits limits;

  /** One room's knocks by participant, in arrival order; its own lock. */
  private static final class Door {
    final Map<String, Knock> knocks = new LinkedHashMap<>();
  }

  private final Map<String, Door> rooms = new ConcurrentHashMap<>();
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  public Lobby(Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  public Lobby() {
    this(Clock.systemUTC(), Limits.DEFAULT);
  }

  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * {@code participant} asks to enter {@code room}. Knocking again while waiting, admitted or
   * denied changes nothing (the first name stays); otherwise a new knock waits.
   *
   * @throws FullException if the room already has its maximum of waiting knocks
   */
  public Knock knock(String room, String participant, String name, boolean authenticated) {
    Knock k;
    boolean fresh;
    while (true) {
      Door door = rooms.computeIfAbsent(room, r -> new Door());
      synchronized (door) {
        if (rooms.get(room) != door) {
          continue; // swept away meanwhile: take the room's current door
        }
        Map<String, Knock> lobby = door.knocks;
        Instant now = clock.instant();
        expire(lobby, now);
        Knock existing = lobby.get(participant);
        fresh = existing == null;
        if (fresh) {
          long waiting = lobby.values().stream().filter(x -> x.status() == Status.WAITING).count();
          if (waiting >= limits.waitingPerRoom()) {
            throw new FullException(room);
          }
          existing = new Knock(participant, name, authenticated, now, Status.WAITING, null);
          lobby.put(participant, existing);
        }
        k = existing;
      }
      break;
    }
    if (fresh) {
      listeners.forEach(l -> l.onKnock(room, k));
    }
    return k;
  }

  /** Where {@code participant} stands in {@code room}'s lobby (what a waiting page polls). */
  public Status status(String room, String participant) {
    return find(room, participant).map(Knock::status).orElse(Status.UNKNOWN);
  }

  /** Whether {@code participant} was admitted to {@code room} (and the admission still holds). */
  public boolean admitted(String room, String participant) {
    return status(room, participant) == Status.ADMITTED;
  }

  public Optional<Knock> find(String room, String participant) {
    Door door = rooms.get(room);
    if (door == null) {
      return Optional.empty();
    }
    synchronized (door) {
      expire(door.knocks, clock.instant());
      return Optional.ofNullable(door.knocks.get(participant));
    }
  }

  /** Who waits at {@code room}'s door, first come first. */
  public List<Knock> waiting(String room) {
    Door door = rooms.get(room);
    if (door == null) {
      return List.of();
    }
    synchronized (door) {
      expire(door.knocks, clock.instant());
      return door.knocks.values().stream()
          .filter(k -> k.status() == Status.WAITING)
          .sorted(Comparator.comparing(Knock::knockedAt))
          .toList();
    }
  }

  /**
   * A host admits or denies a waiting participant; returns the decided knock, or empty if it was
   * not waiting (already decided, expired, never knocked).
   */
  public Optional<Knock> decide(String room, String participant, boolean admit) {
    return decide(room, List.of(participant), admit).stream().findFirst();
  }

  /** A host admits or denies everyone waiting; returns the knocks decided. */
  public List<Knock> decideAll(String room, boolean admit) {
    return decide(room, waiting(room).stream().map(Knock::participant).toList(), admit);
  }

  private List<Knock> decide(String room, List<String> participants, boolean admit) {
    Door door = rooms.get(room);
    if (door == null) {
      return List.of();
    }
    List<Knock> decided = new ArrayList<>();
    synchronized (door) {
      Map<String, Knock> lobby = door.knocks;
      Instant now = clock.instant();
      expire(lobby, now);
      for (String p : participants) {
        Knock k = lobby.get(p);
        if (k != null && k.status() == Status.WAITING) {
          Knock d =
              new Knock(
                  p,
                  k.name(),
                  k.authenticated(),
                  k.knockedAt(),
                  admit ? Status.ADMITTED : Status.DENIED,
                  now);
          lobby.put(p, d);
          decided.add(d);
        }
      }
    }
    decided.forEach(d -> listeners.forEach(l -> l.onDecision(room, d)));
    return decided;
  }

  /** The meeting ended: its lobby is forgotten (admissions included). */
  public void clear(String room) {
    rooms.remove(room);
  }

  /** Drops what expired everywhere (run now and then; lookups also expire lazily). */
  public void sweep() {
    Instant now = clock.instant();
    for (var it = rooms.entrySet().iterator(); it.hasNext(); ) {
      Door door = it.next().getValue();
      synchronized (door) {
        expire(door.knocks, now);
        if (door.knocks.isEmpty()) {
          it.remove(); // a knock waiting on this door's lock will see it gone and retry
        }
      }
    }
  }

  private void expire(Map<String, Knock> lobby, Instant now) {
    lobby.values().removeIf(k -> !now.isBefore(expiry(k)));
  }

  private Instant expiry(Knock k) {
    return switch (k.status()) {
      case WAITING -> k.knockedAt().plus(limits.knock());
      case ADMITTED -> k.decidedAt().plus(limits.admission());
      case DENIED -> k.decidedAt().plus(limits.denial());
      case UNKNOWN -> k.knockedAt();
    };
  }
}
