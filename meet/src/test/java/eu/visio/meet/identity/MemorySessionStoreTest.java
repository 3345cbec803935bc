package eu.visio.meet.identity;

/** The session store contract in memory. */
final class MemorySessionStoreTest implements SessionStoreContract {
  @Override
  public SessionStore store(int capacity) {
    return new MemorySessionStore(capacity);
  }
}
