package eu.visio.media.turn;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Collection;
import java.util.Set;

/**
 * The peers a relay may reach: this server is not an open relay (RFC 8656 §21.2, "Circumventing
 * Network Security"; §9, permissions). It exists so browsers behind UDP-hostile networks can reach
 * this cluster's own media ports, so the server module gives the exact addresses and ports (the
 * SFU's UDP media port on each node address, loopback), and every CreatePermission, ChannelBind,
 * Send and every datagram arriving on a relay socket is checked against them. Immutable.
 */
public final class RelayPolicy {
  private final Set<InetSocketAddress> peers;
  private final Set<InetAddress> hosts;

  private RelayPolicy(Set<InetSocketAddress> peers, Set<InetAddress> hosts) {
    this.peers = peers;
    this.hosts = hosts;
  }

  /**
   * Allows exactly {@code peers} (resolved address and port each) and any port of {@code hosts}.
   * Wildcard, unresolved and multicast entries are refused: they would open more than they name.
   */
  public static RelayPolicy of(Collection<InetSocketAddress> peers, Collection<InetAddress> hosts) {
    for (InetSocketAddress p : peers) {
      if (p.isUnresolved() || p.getPort() == 0) {
        throw new IllegalArgumentException("peer must be resolved with a port: " + p);
      }
      check(p.getAddress());
    }
    hosts.forEach(RelayPolicy::check);
    return new RelayPolicy(Set.copyOf(peers), Set.copyOf(hosts));
  }

  /** Allows exactly {@code peers}. */
  public static RelayPolicy peers(Collection<InetSocketAddress> peers) {
    return of(peers, Set.of());
  }

  private static void check(InetAddress a) {
    if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
      throw new IllegalArgumentException("not a single host: " + a);
    }
  }

  /** Whether a relay may exchange datagrams with {@code port} on {@code ip}. */
  public boolean allows(InetSocketAddress peer) {
    return hosts.contains(peer.getAddress()) || peers.contains(peer);
  }

  @Override
  public String toString() {
    return "RelayPolicy{peers=" + peers + ", hosts=" + hosts + "}";
  }
}
