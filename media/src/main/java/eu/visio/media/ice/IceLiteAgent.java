package eu.visio.media.ice;

import eu.visio.media.stun.StunAttribute;
import eu.visio.media.stun.StunClass;
import eu.visio.media.stun.StunIntegrity;
import eu.visio.media.stun.StunMessage;
import eu.visio.media.stun.StunMethod;
import eu.visio.media.stun.StunWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ICE-lite agent for one peer (RFC 8445 §2.5): it never sends checks, only answers the full agent's
 * Binding requests, and is always in the controlled role. Each valid check validates the pair
 * formed by our socket and the request's source address (a new source is a peer-reflexive
 * candidate, RFC 8445 §7.3.1.3); USE-CANDIDATE selects that path. A path with no valid check for 30
 * s has lost consent (RFC 7675 §5.1) and is expired by {@link #expireStale}.
 *
 * <p>Time is passed in as monotonic nanoseconds so tests can drive a virtual clock. Not
 * thread-safe: confine one agent to the thread that owns its transport. A check in steady state
 * allocates nothing: the STUN view, writer and HMAC are reused, and so is the last {@link
 * IceCheckResult} when the next one is equal (a path entry is allocated only for a new source).
 */
public final class IceLiteAgent {
  private static final Logger LOG = LoggerFactory.getLogger(IceLiteAgent.class);

  /** RFC 7675 §5.1: consent expires 30 s after the last successful check. */
  public static final long CONSENT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Bound on validated paths per peer; the stalest unselected one makes room for a new one. */
  public static final int MAX_PATHS = 16;

  /** Connection state as seen by a lite agent. */
  public enum State {
    /** No valid check yet. */
    NEW,
    /** At least one valid path, none nominated. */
    CONNECTED,
    /** The controlling agent nominated a path: media flows on {@link #selectedAddress()}. */
    COMPLETED,
    /** The selected path (or every path) lost consent. A later valid check recovers. */
    DISCONNECTED
  }

  /** Selection changes. Called on the agent's thread, from within handle or expireStale. */
  public interface Listener {
    Listener NONE = new Listener() {};

    /** The controlling agent nominated {@code address}; send media there from now on. */
    default void onSelected(InetSocketAddress address) {}

    /** The selected path, or every path, expired. Stop sending until a new nomination. */
    default void onDisconnected() {}
  }

  private final Listener listener;
  private final StunMessage request = new StunMessage();
  private final StunWriter writer = new StunWriter();
  private final Map<InetSocketAddress, Path> paths = new LinkedHashMap<>();
  private Credentials current;
  private Credentials previous;
  private InetSocketAddress selected;
  private State state = State.NEW;
  private IceCheckResult lastResult = IceCheckResult.MALFORMED;

  /**
   * @param local our ice-ufrag and ice-pwd as sent in SDP
   * @param remoteUfrag the peer's ice-ufrag, or null if its SDP has not arrived yet (then any
   *     "localUfrag:..." USERNAME is accepted, RFC 8445 §7.3)
   */
  public IceLiteAgent(IceCredentials local, String remoteUfrag, Listener listener) {
    this.current = new Credentials(local, remoteUfrag);
    this.listener = listener == null ? Listener.NONE : listener;
  }

  /**
   * Parses {@code in[off, off+len)} and handles it like {@link #handle(StunMessage,
   * InetSocketAddress, long, byte[], int, int)}.
   */
  public IceCheckResult handle(
      byte[] in,
      int off,
      int len,
      InetSocketAddress source,
      long nowNanos,
      byte[] out,
      int outOff,
      int outCapacity) {
    if (!request.tryWrap(in, off, len)) {
      return IceCheckResult.MALFORMED;
    }
    return handle(request, source, nowNanos, out, outOff, outCapacity);
  }

  /**
   * Runs the checks of RFC 8445 §7.3 and RFC 8489 §9.1.3 on one parsed message from {@code source}
   * and writes the response, if any, to {@code out[outOff...]} (a 128-byte buffer is always
   * enough). The checks run in this order: request class, Binding method (400), FINGERPRINT present
   * (400) and correct (dropped), USERNAME present (400), MESSAGE-INTEGRITY present (400), USERNAME
   * names our credentials (401), MESSAGE-INTEGRITY verifies (401), PRIORITY present (400), peer not
   * claiming ICE-CONTROLLED (487). {@code source} must be a resolved address, as a datagram's
   * sender always is.
   */
  public IceCheckResult handle(
      StunMessage m,
      InetSocketAddress source,
      long nowNanos,
      byte[] out,
      int outOff,
      int outCapacity) {
    switch (m.messageClass()) {
      case INDICATION -> {
        return IceCheckResult.INDICATION;
      }
      case SUCCESS_RESPONSE, ERROR_RESPONSE -> {
        return IceCheckResult.UNEXPECTED_RESPONSE;
      }
      case REQUEST -> {}
    }
    if (m.method() != StunMethod.BINDING) {
      return reject(IceCheckOutcome.NOT_BINDING, m, null, out, outOff, outCapacity);
    }
    if (!m.hasFingerprint()) {
      return reject(IceCheckOutcome.NO_FINGERPRINT, m, null, out, outOff, outCapacity);
    }
    if (!m.verifyFingerprint()) {
      return IceCheckResult.BAD_FINGERPRINT;
    }
    if (!m.has(StunAttribute.USERNAME)) {
      return reject(IceCheckOutcome.NO_USERNAME, m, null, out, outOff, outCapacity);
    }
    if (!m.hasMessageIntegrity()) {
      return reject(IceCheckOutcome.NO_INTEGRITY, m, null, out, outOff, outCapacity);
    }
    Credentials c = current.matches(m) ? current : null;
    if (c == null && previous != null && previous.matches(m)) {
      c = previous;
    }
    if (c == null) {
      return reject(IceCheckOutcome.UNKNOWN_USERNAME, m, null, out, outOff, outCapacity);
    }
    if (!c.integrity.verify(m)) {
      return reject(IceCheckOutcome.BAD_INTEGRITY, m, null, out, outOff, outCapacity);
    }
    // Authenticated from here on: error responses carry MESSAGE-INTEGRITY too (RFC 8489 §9.1.3).
    if (!m.has(StunAttribute.PRIORITY)) {
      return reject(IceCheckOutcome.NO_PRIORITY, m, c, out, outOff, outCapacity);
    }
    if (m.iceControlled()) {
      return reject(IceCheckOutcome.ROLE_CONFLICT, m, c, out, outOff, outCapacity);
    }

    Path path = paths.get(source);
    if (path == null) {
      path = admit(source);
    }
    path.lastValidNanos = nowNanos;
    int n =
        writer
            .startResponse(out, outOff, outCapacity, StunClass.SUCCESS_RESPONSE, m)
            .addXorAddress(StunAttribute.XOR_MAPPED_ADDRESS, path.ip, source.getPort())
            .addMessageIntegrity(c.integrity)
            .addFingerprint()
            .finish();
    if (c == current && previous != null) {
      previous = null; // RFC 8445 §9: the restart took effect, the old password is dead
      LOG.debug("ICE restart completed, ufrag {}", current.local.ufrag());
    }
    if (m.useCandidate()) {
      select(source);
      return result(IceCheckOutcome.NOMINATED, n);
    }
    if (state == State.NEW || state == State.DISCONNECTED) {
      state = selected == null ? State.CONNECTED : State.COMPLETED;
    }
    return result(IceCheckOutcome.SUCCESS, n);
  }

  private IceCheckResult reject(
      IceCheckOutcome outcome,
      StunMessage m,
      Credentials authenticated,
      byte[] out,
      int outOff,
      int outCapacity) {
    writer
        .startResponse(out, outOff, outCapacity, StunClass.ERROR_RESPONSE, m)
        .addErrorCode(outcome.errorCode());
    if (authenticated != null) {
      writer.addMessageIntegrity(authenticated.integrity);
    }
    return result(outcome, writer.addFingerprint().finish());
  }

  /**
   * The result for {@code outcome} and {@code length}, reusing the previous one when equal: the
   * record is immutable and successive checks on a path produce the same result, so this keeps
   * steady-state checks allocation-free.
   */
  private IceCheckResult result(IceCheckOutcome outcome, int length) {
    IceCheckResult r = lastResult;
    if (r.outcome() != outcome || r.responseLength() != length) {
      r = new IceCheckResult(outcome, length);
      lastResult = r;
    }
    return r;
  }

  private Path admit(InetSocketAddress source) {
    InetAddress address = source.getAddress();
    if (address == null) {
      throw new IllegalArgumentException("source address must be resolved");
    }
    if (paths.size() >= MAX_PATHS) {
      InetSocketAddress stalest = null;
      long oldest = 0;
      for (Map.Entry<InetSocketAddress, Path> e : paths.entrySet()) {
        long age = e.getValue().lastValidNanos;
        if (!e.getKey().equals(selected) && (stalest == null || age - oldest < 0)) {
          stalest = e.getKey();
          oldest = age;
        }
      }
      paths.remove(stalest);
    }
    Path path = new Path(address.getAddress());
    paths.put(source, path);
    return path;
  }

  private void select(InetSocketAddress source) {
    state = State.COMPLETED;
    if (!source.equals(selected)) {
      selected = source;
      LOG.debug("ICE path selected: {}", source);
      listener.onSelected(source);
    }
  }

  /**
   * Removes paths whose last valid check is {@link #CONSENT_TIMEOUT_NANOS} or more before {@code
   * nowNanos} (RFC 7675 §5.1) and returns them (an immutable empty list when none). If the selected
   * path is among them, or no path is left, the agent becomes {@link State#DISCONNECTED} and the
   * listener hears {@link Listener#onDisconnected()}.
   */
  public List<InetSocketAddress> expireStale(long nowNanos) {
    List<InetSocketAddress> expired = null;
    for (Iterator<Map.Entry<InetSocketAddress, Path>> it = paths.entrySet().iterator();
        it.hasNext(); ) {
      Map.Entry<InetSocketAddress, Path> e = it.next();
      if (nowNanos - e.getValue().lastValidNanos >= CONSENT_TIMEOUT_NANOS) {
        it.remove();
        if (expired == null) {
          expired = new ArrayList<>(2);
        }
        expired.add(e.getKey());
      }
    }
    if (expired == null) {
      return List.of();
    }
    boolean lostSelected = selected != null && expired.contains(selected);
    if (lostSelected) {
      selected = null;
    }
    if ((lostSelected || paths.isEmpty())
        && (state == State.CONNECTED || state == State.COMPLETED)) {
      state = State.DISCONNECTED;
      LOG.debug("ICE consent expired on {} path(s), disconnected", expired.size());
      listener.onDisconnected();
    }
    return List.copyOf(expired);
  }

  /**
   * When the next path would expire ({@code Long.MAX_VALUE} when there is none), for scheduling
   * {@link #expireStale} without polling.
   */
  public long nextExpiryNanos() {
    boolean any = false;
    long next = 0;
    for (Path p : paths.values()) {
      long at = p.lastValidNanos + CONSENT_TIMEOUT_NANOS;
      if (!any || at - next < 0) { // overflow-safe comparison of monotonic times
        next = at;
        any = true;
      }
    }
    return any ? next : Long.MAX_VALUE;
  }

  /**
   * ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): new local credentials and the peer's new ufrag
   * (null if not known yet). Checks with the old credentials are still answered until the first
   * valid check with the new ones. Validated paths and the selection are kept; they stay alive as
   * long as checks keep arriving.
   */
  public void restart(IceCredentials newLocal, String newRemoteUfrag) {
    previous = current;
    current = new Credentials(newLocal, newRemoteUfrag);
    LOG.debug("ICE restart: ufrag {} -> {}", previous.local.ufrag(), newLocal.ufrag());
  }

  /** Sets the peer's ufrag once its SDP arrives, tightening the USERNAME check. */
  public void setRemoteUfrag(String remoteUfrag) {
    current = new Credentials(current.local, remoteUfrag, current.integrity);
  }

  /** The nominated path, or null before nomination or after it expired. */
  public InetSocketAddress selectedAddress() {
    return selected;
  }

  /** Whether {@code source} passed a check and has not expired (for RFC 7983 demultiplexing). */
  public boolean isValidSource(InetSocketAddress source) {
    return paths.containsKey(source);
  }

  /** Currently valid remote addresses (a snapshot). */
  public Set<InetSocketAddress> validAddresses() {
    return Set.copyOf(paths.keySet());
  }

  public State state() {
    return state;
  }

  /** The local credentials checks must currently use (the new ones after a restart). */
  public IceCredentials localCredentials() {
    return current.local;
  }

  /** Whether an ICE restart is still accepting the previous credentials. */
  public boolean isRestarting() {
    return previous != null;
  }

  @Override
  public String toString() {
    return "IceLiteAgent{ufrag="
        + current.local.ufrag()
        + ", state="
        + state
        + ", paths="
        + paths.size()
        + "}";
  }

  /** One credential generation, pre-encoded so a check compares bytes and reuses one HMAC. */
  private static final class Credentials {
    final IceCredentials local;
    final String remoteUfrag;
    final byte[] username;
    final StunIntegrity integrity;

    Credentials(IceCredentials local, String remoteUfrag) {
      this(local, remoteUfrag, StunIntegrity.shortTerm(local.pwd()));
    }

    Credentials(IceCredentials local, String remoteUfrag, StunIntegrity integrity) {
      this.local = local;
      this.remoteUfrag = remoteUfrag;
      // RFC 8445 §7.2.2: USERNAME in a check we receive is "our ufrag:their ufrag".
      String expected = local.ufrag() + ":" + (remoteUfrag == null ? "" : remoteUfrag);
      this.username = expected.getBytes(StandardCharsets.UTF_8);
      this.integrity = integrity;
    }

    boolean matches(StunMessage m) {
      return remoteUfrag == null
          ? m.valueStartsWith(StunAttribute.USERNAME, username)
          : m.valueEquals(StunAttribute.USERNAME, username, 0, username.length);
    }
  }

  /** A validated remote address: its raw bytes for XOR-MAPPED-ADDRESS and consent time. */
  private static final class Path {
    final byte[] ip;
    long lastValidNanos;

    Path(byte[] ip) {
      this.ip = ip;
    }
  }
}
