package eu.visio.meet.identity;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Optional;

/**
 * Sessions in this JVM's memory: for a single server that may sign everyone out when it restarts,
 * and for tests. Past its capacity the oldest session (the first put) is dropped.
 */
public final class MemorySessionStore implements SessionStore {
  private final int capacity;

  /** Insertion order, so the first entry is the oldest session. */
  private final LinkedHashMap<String, StoredSession> byDigest = new LinkedHashMap<>();

  public MemorySessionStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  @Override
  public synchronized void put(StoredSession session) {
    while (byDigest.size() >= capacity) {
      Iterator<String> oldest = byDigest.keySet().iterator();
      oldest.next();
      oldest.remove();
    }
    byDigest.put(session.idDigest(), session);
  }

  @Override
  public synchronized Optional<StoredSession> find(String idDigest) {
    return Optional.ofNullable(byDigest.get(idDigest));
  }

  @Override
  public synchronized void remove(String idDigest) {
    byDigest.remove(idDigest);
  }

  /**
   * A full scan rather than stopping at the first live session: insertion order is expiry order
   * only while every session has the same lifetime, which this store does not know. It runs once
   * per sign-in; a hundred thousand comparisons cost well under a millisecond.
   */
  @Override
  public synchronized int removeExpired(Instant now) {
    int before = byDigest.size();
    byDigest.values().removeIf(s -> s.expiredAt(now));
    return before - byDigest.size();
  }

  @Override
  public synchronized int count() {
    return byDigest.size();
  }
}
