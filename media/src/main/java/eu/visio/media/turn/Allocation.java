package eu.visio.media.turn;

import eu.visio.media.stun.StunIntegrity;
import io.netty.channel.Channel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;

/**
 * One TURN allocation (RFC 8656 §2.2): the relay socket, its lifetime, permissions (§9) and channel
 * bindings (§12). Touched on the server's event loop only, so nothing here is synchronised.
 * Permissions are kept by peer IP address as §9 says (ports are ignored); the {@link RelayPolicy}
 * adds the port check on top. Expired permissions and bindings are ignored when looked up and swept
 * when new ones are installed, so the tables never outgrow the policy's peers.
 */
final class Allocation {
  /** A channel binding; {@code expires} moves on each refresh. */
  static final class Binding {
    final int number;
    final InetSocketAddress peer;
    long expires;

    Binding(int number, InetSocketAddress peer, long expires) {
      this.number = number;
      this.peer = peer;
      this.expires = expires;
    }
  }

  /**
   * §12: after a binding expires its number and peer stay reserved for 5 more minutes, so a late
   * ChannelData cannot reach a different peer.
   */
  static final long REBIND_GUARD_NANOS = 300_000_000_000L;

  final ClientLink link;
  final String username;
  final String identity;

  /** Signs responses to this allocation's requests; its key is fixed by the username. */
  final StunIntegrity integrity;

  final byte[] transactionId;
  final Channel relay;
  final InetSocketAddress relayed;
  long expires;
  ScheduledFuture<?> timer;
  boolean closed;
  private final Map<InetAddress, Long> permissions = new HashMap<>();
  private final Map<InetSocketAddress, Binding> byPeer = new HashMap<>();
  private Binding[] byNumber;

  Allocation(
      ClientLink link,
      String username,
      StunIntegrity integrity,
      byte[] transactionId,
      Channel relay,
      InetSocketAddress relayed) {
    this.link = link;
    this.username = username;
    this.identity = TurnCredentials.identity(username);
    this.integrity = integrity;
    this.transactionId = transactionId;
    this.relay = relay;
    this.relayed = relayed;
  }

  boolean hasPermission(InetAddress peer, long now) {
    Long until = permissions.get(peer);
    return until != null && until - now > 0;
  }

  void permit(InetAddress peer, long now, long until) {
    permissions.values().removeIf(t -> t - now <= 0);
    permissions.put(peer, until);
  }

  /** The live binding of {@code number} (0x4000 up to the configured maximum), or null. */
  Binding channel(int number, long now) {
    Binding b = byNumber == null ? null : byNumber[number - 0x4000];
    return b != null && b.expires - now > 0 ? b : null;
  }

  /** The live binding toward {@code peer}, or null. */
  Binding channelTo(InetSocketAddress peer, long now) {
    Binding b = byPeer.get(peer);
    return b != null && b.expires - now > 0 ? b : null;
  }

  /**
   * Binds or refreshes {@code number} to {@code peer} until {@code until}; false if the number or
   * the peer is (or was recently) bound otherwise (§12.2: the request is then refused with 400).
   */
  boolean bind(int number, InetSocketAddress peer, long now, long until, int maxChannel) {
    if (byNumber == null) {
      byNumber = new Binding[maxChannel - 0x4000 + 1];
    }
    Binding current = byNumber[number - 0x4000];
    if (current != null && current.expires - now + REBIND_GUARD_NANOS <= 0) {
      byPeer.remove(current.peer, current);
      byNumber[number - 0x4000] = null;
      current = null;
    }
    Binding other = byPeer.get(peer);
    if (other != null && other.expires - now + REBIND_GUARD_NANOS <= 0) {
      byPeer.remove(peer);
      byNumber[other.number - 0x4000] = null;
      other = null;
    }
    if (current == null && other == null) {
      Binding b = new Binding(number, peer, until);
      byNumber[number - 0x4000] = b;
      byPeer.put(peer, b);
      return true;
    }
    if (current != null && current == other) {
      current.expires = until;
      return true;
    }
    return false;
  }

  /** Seconds left, rounded up, for LIFETIME in Allocate's answer (the granted one at first). */
  long secondsLeft(long now) {
    return Math.max(0, (expires - now + 999_999_999L) / 1_000_000_000L);
  }
}
