package eu.visio.signal.livekit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TURN relays handed out only to the clients that need them. A browser given a TURN server
 * allocates on it while gathering, whether or not its direct candidates work: eight allocations
 * (two peer connections, up to four URLs), each holding a relay port, for every participant of
 * every meeting, where nearly all reach the SFU directly (UDP, or ICE-TCP when UDP is blocked). So
 * the relays are held back, and a client gets them when it shows it needs them:
 *
 * <ul>
 *   <li>When ICE has (re)started on one of its peer connections {@link #WAIT_NANOS} ago and no
 *       valid connectivity check has arrived over any path (a network that lets out only TLS to
 *       443, through a proxy or a TLS-inspecting firewall), it is sent a {@code LeaveRequest} with
 *       action {@code RESUME}: livekit-client resumes its signalling at once, gets the relays in
 *       its {@code ReconnectResponse}, and restarts ICE with them, well within its 15 s connection
 *       timeout. (A client older than the action reconnects in full and gets them at join.)
 *   <li>Its room and identity are then remembered for {@link #MEMORY_NANOS}, so that its next join
 *       (a reload, the next meeting of the day) carries the relays in the {@code JoinResponse}.
 * </ul>
 *
 * <p>A participant is asked once per session: if the relays do not help either, its client's own
 * timeouts decide. {@link Session} is confined to the room's worker; {@link Memory} is shared by
 * every room of the node.
 */
final class RelayOnDemand {
  /** How long after ICE starts a peer connection with no valid check is taken as unreachable. */
  static final long WAIT_NANOS = 3_000_000_000L;

  /** How long a client that needed the relays gets them at once. */
  static final long MEMORY_NANOS = 3_600_000_000_000L;

  private RelayOnDemand() {}

  /** One participant's side: whether it has the relays, and whether it was asked to take them. */
  static final class Session {
    private boolean offered;
    private boolean asked;

    /** Whether its ICE servers include the relays from now on. */
    boolean offered() {
      return offered;
    }

    /** Its JoinResponse or ReconnectResponse carries the relays. */
    void markOffered() {
      offered = true;
    }

    /**
     * Whether it may be asked to resume and take the relays: some are held back, it has none, and
     * it was not asked before (then {@link #ask}).
     */
    boolean mayAsk(boolean relaysOnDemand) {
      return relaysOnDemand && !offered && !asked;
    }

    /** It is asked: its resume will carry the relays, and it is not asked again. */
    void ask() {
      asked = true;
      offered = true;
    }
  }

  /**
   * The room and identity pairs that needed the relays lately, least recently needed first, at most
   * {@link #CAPACITY} (an identity guessed by nobody: each entry comes from a verified token whose
   * client could not connect).
   */
  static final class Memory {
    static final int CAPACITY = 100_000;

    private final Map<String, Long> neededAt = new LinkedHashMap<>(64, 0.75f, true);

    synchronized void remember(String room, String identity, long nowNanos) {
      neededAt.put(key(room, identity), nowNanos);
      var oldest = neededAt.entrySet().iterator();
      while (neededAt.size() > CAPACITY && oldest.hasNext()) {
        oldest.next();
        oldest.remove();
      }
    }

    synchronized boolean needs(String room, String identity, long nowNanos) {
      Long at = neededAt.get(key(room, identity));
      if (at == null) {
        return false;
      }
      if (nowNanos - at > MEMORY_NANOS) {
        neededAt.remove(key(room, identity));
        return false;
      }
      return true;
    }

    synchronized int size() {
      return neededAt.size();
    }

    private static String key(String room, String identity) {
      return room + '\u0000' + identity;
    }
  }
}
