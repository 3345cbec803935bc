package eu.visio.server.turn;

import eu.visio.media.ice.IceCandidate;
import eu.visio.media.turn.RelayPolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The peers this node's TURN relays may reach: exactly the UDP media addresses it offers as ICE
 * candidates (node_ip or the discovered addresses, on the bound media port), and loopback on that
 * port when loopback candidates are offered. Nothing else: no other port of this host (the HTTP
 * port, a database), no other host, so TURN reaches the SFU and cannot be used to reach anything
 * behind it (RFC 8656 §21.2).
 */
public final class NodeRelayPolicy {
  private NodeRelayPolicy() {}

  /** The policy for {@code candidates} (UDP ones count) on media port {@code udpPort}. */
  public static RelayPolicy of(List<IceCandidate> candidates, int udpPort, boolean loopback) {
    Set<InetSocketAddress> peers = new LinkedHashSet<>();
    for (IceCandidate c : candidates) {
      if (c.transport() != IceCandidate.Transport.UDP || c.type() != IceCandidate.Type.HOST) {
        continue;
      }
      InetAddress a = literal(c.address());
      if (a != null && !a.isAnyLocalAddress() && !a.isMulticastAddress()) {
        peers.add(new InetSocketAddress(a, c.port()));
      }
    }
    if (loopback) {
      peers.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort));
      InetAddress v6 = literal("::1");
      if (v6 != null) {
        peers.add(new InetSocketAddress(v6, udpPort));
      }
    }
    return RelayPolicy.peers(peers);
  }

  /** An IP literal, never a name lookup (candidates we offer are addresses). */
  private static InetAddress literal(String address) {
    try {
      return InetAddress.ofLiteral(address);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
