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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The waiting rooms of every meeting: a participant who may not enter on its own knocks, hosts see
 * who waits and admit or deny one or all, and the participant learns the decision by polling {@link
 * #status} or from a {@link Listener} push (every room's, {@link #addListener}, or one room's,
 * {@link #watch}).
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

  /**
   * Pushes to hosts (a knock) and to the waiting participant (a decision, an expiry). Called on the
   * thread that changed the lobby, after the room's lock is released, and so in the way of whoever
   * knocked or decided: implementations hand anything slow (network writes) to another thread.
   */
  public interface Listener {
    void onKnock(String room, Knock knock);

    void onDecision(String room, Knock knock);

    /**
     * A knock, admission or denial lapsed (its participant now stands {@link Status#UNKNOWN}), or
     * the room's lobby was cleared. Noticed when the room is next looked at or swept, so at most a
     * sweep's period late.
     */
    default void onExpiry(String room, Knock knock) {}
  }

  /** One listener's registration on one room; closing it stops the pushes. */
  public interface Watch extends AutoCloseable {
    @Override
    void close();
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

  /**
   * Listeners of one room each. A room's set is only changed inside the map's {@code compute}, so
   * an emptied set leaves the map atomically and a new watcher never lands in a discarded set.
   */
  private final Map<String, Set<Listener>> watchers = new ConcurrentHashMap<>();

  public Lobby(Clock clock, Limits limits) {
    this.clock = clock;
    this.limits = limits;
  }

  public Lobby() {
    this(Clock.systemUTC(), Limits.DEFAULT);
  }

  /** {@code l} hears of every room. */
  public void addListener(Listener l) {
    listeners.add(l);
  }

  /** {@code l} hears of {@code room} until the returned watch is closed (closing twice is fine). */
  public Watch watch(String room, Listener l) {
    watchers.compute(
        room,
        (r, set) -> {
          Set<Listener> s = set == null ? ConcurrentHashMap.newKeySet() : set;
          s.add(l);
          return s;
        });
    return () ->
        watchers.computeIfPresent(
            room,
            (r, set) -> {
              set.remove(l);
              return set.isEmpty() ? null : set;
            });
  }

  /** How many rooms have a watcher (watches closed leave nothing behind). */
  public int watchedRooms() {
    return watchers.size();
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
    List<Knock> expired;
    while (true) {
      Door door = rooms.computeIfAbsent(room, r -> new Door());
      synchronized (door) {
        if (rooms.get(room) != door) {
          continue; // swept away meanwhile: take the room's current door
        }
        Map<String, Knock> lobby = door.knocks;
        Instant now = clock.instant();
        expired = expire(lobby, now);
        Knock existing = lobby.get(participant);
        fresh = existing == null;
        if (fresh) {
          long waiting = lobby.values().stream().filter(x -> x.status() == Status.WAITING).count();
          if (waiting < limits.waitingPerRoom()) {
            existing = new Knock(participant, name, authenticated, now, Status.WAITING, null);
            lobby.put(participant, existing);
          }
        }
        k = existing;
      }
      break;
    }
    expired(room, expired);
    if (k == null) {
      throw new FullException(room);
    }
    if (fresh) {
      publish(room, l -> l.onKnock(room, k));
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
    Knock k;
    List<Knock> expired;
    synchronized (door) {
      expired = expire(door.knocks, clock.instant());
      k = door.knocks.get(participant);
    }
    expired(room, expired);
    return Optional.ofNullable(k);
  }

  /** Who waits at {@code room}'s door, first come first. */
  public List<Knock> waiting(String room) {
    Door door = rooms.get(room);
    if (door == null) {
      return List.of();
    }
    List<Knock> waiting;
    List<Knock> expired;
    synchronized (door) {
      expired = expire(door.knocks, clock.instant());
      waiting =
          door.knocks.values().stream()
              .filter(k -> k.status() == Status.WAITING)
              .sorted(Comparator.comparing(Knock::knockedAt))
              .toList();
    }
    expired(room, expired);
    return waiting;
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
    List<Knock> expired;
    synchronized (door) {
      Map<String, Knock> lobby = door.knocks;
      Instant now = clock.instant();
      expired = expire(lobby, now);
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
    expired(room, expired);
    decided.forEach(d -> publish(room, l -> l.onDecision(room, d)));
    return decided;
  }

  /**
   * The meeting ended: its lobby is forgotten (admissions included), which its listeners hear as
   * every knock expiring.
   */
  public void clear(String room) {
    Door door = rooms.remove(room);
    if (door == null) {
      return;
    }
    List<Knock> forgotten;
    synchronized (door) {
      forgotten = List.copyOf(door.knocks.values());
      door.knocks.clear();
    }
    expired(room, forgotten);
  }

  /**
   * Drops what expired everywhere, telling the listeners. Lookups also expire lazily, but only a
   * sweep notices a lapse in a room nobody looks at, so whoever pushes expiries runs it now and
   * then.
   */
  public void sweep() {
    Instant now = clock.instant();
    for (var it = rooms.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Door> e = it.next();
      Door door = e.getValue();
      List<Knock> expired;
      synchronized (door) {
        expired = expire(door.knocks, now);
        if (door.knocks.isEmpty()) {
          it.remove(); // a knock waiting on this door's lock will see it gone and retry
        }
      }
      expired(e.getKey(), expired);
    }
  }

  /** Removes what lapsed by {@code now} and returns it (no allocation when nothing did). */
  private List<Knock> expire(Map<String, Knock> lobby, Instant now) {
    List<Knock> expired = List.of();
    for (var it = lobby.values().iterator(); it.hasNext(); ) {
      Knock k = it.next();
      if (!now.isBefore(expiry(k))) {
        if (expired.isEmpty()) {
          expired = new ArrayList<>();
        }
        expired.add(k);
        it.remove();
      }
    }
    return expired;
  }

  /** Tells the listeners of what {@link #expire} removed; never under a door's lock. */
  private void expired(String room, List<Knock> expired) {
    for (Knock k : expired) {
      publish(room, l -> l.onExpiry(room, k));
    }
  }

  private void publish(String room, java.util.function.Consumer<Listener> event) {
    listeners.forEach(event);
    Set<Listener> watching = watchers.get(room);
    if (watching != null) {
      watching.forEach(event);
    }
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
