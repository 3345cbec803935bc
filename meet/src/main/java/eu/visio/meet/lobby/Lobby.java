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
 * <p>The knocks live in a {@link LobbyStore}: in memory, a restart drops who is waiting (they knock
 * again on their next poll), never a room's own data; in the database a cluster shares, every node
 * sees and decides the same knocks, and a waiting participant's node hears of a decision made on
 * another at its next {@link #sweep}. Thread-safe; each room's lobby is locked on its own.
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
  private final LobbyStore store;

  private final List<Listener> listeners = new CopyOnWriteArrayList<>();

  /** Tells the other nodes sharing the store that a room changed here (a cluster's bus). */
  private volatile java.util.function.Consumer<String> changedHere = room -> {};

  /**
   * Listeners of one room each. A room's set is only changed inside the map's {@code compute}, so
   * an emptied set leaves the map atomically and a new watcher never lands in a discarded set.
   */
  private final Map<String, Set<Listener>> watchers = new ConcurrentHashMap<>();

  /**
   * A shared store: the knocks of each watched room as its watchers last heard of them. Other nodes
   * change the store too, so watchers hear of changes by comparing the store with this (after each
   * change made here, and at each {@link #sweep}).
   */
  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** What a watched room's watchers heard of; its lock orders the comparisons. */
  private static final class Seen {
    Map<String, Knock> knocks; // null until first read
  }

  /** Knocks in this process ({@link LobbyStore#memory}). */
  public Lobby(Clock clock, Limits limits) {
    this(clock, limits, LobbyStore.memory());
  }

  /** Knocks in {@code store}: with a shared one, every node sharing it sees the same lobby. */
  public Lobby(Clock clock, Limits limits, LobbyStore store) {
    this.clock = clock;
    this.limits = limits;
    this.store = store;
  }

  public Lobby() {
    this(Clock.systemUTC(), Limits.DEFAULT);
  }

  /**
   * {@code l} hears of every room, of what changes through this lobby (with a shared store, other
   * nodes' changes reach only watchers: {@link #watch}).
   */
  public void addListener(Listener l) {
    listeners.add(l);
  }

  /**
   * {@code l} hears of {@code room} until the returned watch is closed (closing twice is fine).
   * With a shared store it hears of every node's changes: this node's at once, the others' at the
   * next {@link #sweep} at the latest.
   */
  public Watch watch(String room, Listener l) {
    watchers.compute(
        room,
        (r, set) -> {
          Set<Listener> s = set == null ? ConcurrentHashMap.newKeySet() : set;
          s.add(l);
          if (store.shared()) {
            seen.computeIfAbsent(room, x -> new Seen());
          }
          return s;
        });
    if (store.shared()) {
      refresh(room); // what the room holds now is the base later changes are told against
    }
    return () ->
        watchers.computeIfPresent(
            room,
            (r, set) -> {
              set.remove(l);
              if (set.isEmpty()) {
                seen.remove(room);
                return null;
              }
              return set;
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
    record Outcome(Knock knock, boolean fresh, List<Knock> expired) {}
    Outcome o =
        store.update(
            room,
            true,
            lobby -> {
              Instant now = clock.instant();
              List<Knock> expired = expire(lobby, now);
              Knock existing = lobby.get(participant);
              boolean fresh = existing == null;
              if (fresh) {
                long waiting =
                    lobby.values().stream().filter(x -> x.status() == Status.WAITING).count();
                if (waiting < limits.waitingPerRoom()) {
                  existing = new Knock(participant, name, authenticated, now, Status.WAITING, null);
                  lobby.put(participant, existing);
                }
              }
              return new Outcome(existing, fresh, expired);
            });
    expired(room, o.expired());
    Knock k = o.knock();
    if (k != null && o.fresh()) {
      publish(room, l -> l.onKnock(room, k));
    }
    if ((k != null && o.fresh()) || !o.expired().isEmpty()) {
      changed(room);
    }
    if (k == null) {
      throw new FullException(room);
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
    record Found(Knock knock, List<Knock> expired) {}
    Found f =
        store.update(
            room,
            false,
            lobby -> {
              List<Knock> expired = expire(lobby, clock.instant());
              return new Found(lobby.get(participant), expired);
            });
    afterLookup(room, f.expired());
    return Optional.ofNullable(f.knock());
  }

  /** Who waits at {@code room}'s door, first come first. */
  public List<Knock> waiting(String room) {
    record Found(List<Knock> waiting, List<Knock> expired) {}
    Found f =
        store.update(
            room,
            false,
            lobby -> {
              List<Knock> expired = expire(lobby, clock.instant());
              return new Found(
                  lobby.values().stream()
                      .filter(k -> k.status() == Status.WAITING)
                      .sorted(Comparator.comparing(Knock::knockedAt))
                      .toList(),
                  expired);
            });
    afterLookup(room, f.expired());
    return f.waiting();
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
    record Decided(List<Knock> decided, List<Knock> expired) {}
    Decided d =
        store.update(
            room,
            false,
            lobby -> {
              Instant now = clock.instant();
              List<Knock> expired = expire(lobby, now);
              List<Knock> decided = new ArrayList<>();
              for (String p : participants) {
                Knock k = lobby.get(p);
                if (k != null && k.status() == Status.WAITING) {
                  Knock x =
                      new Knock(
                          p,
                          k.name(),
                          k.authenticated(),
                          k.knockedAt(),
                          admit ? Status.ADMITTED : Status.DENIED,
                          now);
                  lobby.put(p, x);
                  decided.add(x);
                }
              }
              return new Decided(decided, expired);
            });
    expired(room, d.expired());
    d.decided().forEach(x -> publish(room, l -> l.onDecision(room, x)));
    if (!d.decided().isEmpty() || !d.expired().isEmpty()) {
      changed(room);
    }
    return d.decided();
  }

  /**
   * The meeting ended: its lobby is forgotten (admissions included), which its listeners hear as
   * every knock expiring.
   */
  public void clear(String room) {
    List<Knock> forgotten =
        store.update(
            room,
            false,
            lobby -> {
              List<Knock> all = List.copyOf(lobby.values());
              lobby.clear();
              return all;
            });
    expired(room, forgotten);
    if (!forgotten.isEmpty()) {
      changed(room);
    }
  }

  /**
   * Drops what expired everywhere, telling the listeners. Lookups also expire lazily, but only a
   * sweep notices a lapse in a room nobody looks at, so whoever pushes expiries runs it now and
   * then. With a shared store it is also when watchers hear of other nodes' changes.
   */
  public void sweep() {
    Instant now = clock.instant();
    for (String room : store.rooms()) {
      List<Knock> expired = store.update(room, false, lobby -> expire(lobby, now));
      expired(room, expired);
    }
    for (String room : seen.keySet()) {
      refresh(room);
    }
  }

  /** After a lookup: what it found lapsed is told, and is a change of the room. */
  private void afterLookup(String room, List<Knock> expired) {
    expired(room, expired);
    if (!expired.isEmpty()) {
      changed(room);
    }
  }

  /** This node changed {@code room}: with a shared store, its watchers hear of it now. */
  private void changed(String room) {
    if (store.shared()) {
      if (seen.containsKey(room)) {
        refresh(room);
      }
      changedHere.accept(room);
    }
  }

  /**
   * With a shared store: {@code notify} hears of each room changed through this lobby, to tell the
   * other nodes sharing the store (which then call {@link #changedElsewhere}), so that their
   * watchers hear at once rather than at their next {@link #sweep}. It must not block.
   */
  public void onChangedHere(java.util.function.Consumer<String> notify) {
    this.changedHere = java.util.Objects.requireNonNull(notify);
  }

  /**
   * Another node sharing the store changed {@code room}: its watchers here hear of it now (a fresh
   * read of the store, compared with what they heard). A room nobody watches here costs nothing.
   */
  public void changedElsewhere(String room) {
    if (store.shared() && seen.containsKey(room)) {
      refresh(room);
    }
  }

  /**
   * A shared store: tells {@code room}'s watchers what changed since they last heard (a knock
   * arrived, was decided, lapsed). Comparisons of a room run one at a time, each on a fresh read,
   * so every change is told once on this node, however many nodes made changes meanwhile (changes
   * faster than the comparisons fold: a knock made and decided in between is told as decided).
   */
  private void refresh(String room) {
    Seen s = seen.get(room);
    if (s == null) {
      return;
    }
    Instant now = clock.instant();
    record Read(Map<String, Knock> knocks, List<Knock> expired) {}
    Read read;
    synchronized (s) {
      read =
          store.update(
              room,
              false,
              lobby -> {
                List<Knock> expired = expire(lobby, now);
                return new Read(new LinkedHashMap<>(lobby), expired);
              });
      Map<String, Knock> before = s.knocks;
      s.knocks = read.knocks();
      if (before != null) {
        tell(room, before, read.knocks());
      }
    }
    // What this read found lapsed, the other listeners hear of too (the watchers already did).
    for (Knock k : read.expired()) {
      listeners.forEach(l -> l.onExpiry(room, k));
    }
  }

  /** The watchers' events that take {@code before} to {@code after}. */
  private void tell(String room, Map<String, Knock> before, Map<String, Knock> after) {
    Set<Listener> watching = watchers.get(room);
    if (watching == null) {
      return;
    }
    for (Knock old : before.values()) {
      Knock now = after.get(old.participant());
      if (now == null) {
        watching.forEach(l -> l.onExpiry(room, old));
      }
    }
    for (Knock now : after.values()) {
      Knock old = before.get(now.participant());
      if (old != null && old.equals(now)) {
        continue;
      }
      boolean sameKnock = old != null && old.knockedAt().equals(now.knockedAt());
      if (now.status() == Status.WAITING) {
        if (!sameKnock) {
          watching.forEach(l -> l.onKnock(room, now));
        }
      } else if (!sameKnock || old.status() != now.status()) {
        watching.forEach(l -> l.onDecision(room, now));
      }
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
    if (store.shared()) {
      return; // watchers hear from refresh, which compares with the store
    }
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
