package eu.visio.media.ice;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Host candidate gathering (RFC 8445 §5.1.1.1) for a server whose sockets are bound to known
 * addresses. Addresses come either from configuration or from the machine's interfaces.
 */
public final class HostCandidates {
  private HostCandidates() {}

  /**
   * Host candidates for the up, non-loopback (unless {@code includeLoopback}) interface addresses
   * of this machine, in interface order, one per address.
   */
  public static List<IceCandidate> discover(
      int port, IceCandidate.Transport transport, boolean includeLoopback) throws SocketException {
    return discover(port, transport, includeLoopback, false);
  }

  /**
   * As above; {@code fallback} as in {@link #fromAddresses(List, int, IceCandidate.Transport,
   * boolean)}.
   */
  public static List<IceCandidate> discover(
      int port, IceCandidate.Transport transport, boolean includeLoopback, boolean fallback)
      throws SocketException {
    List<InetAddress> all = new ArrayList<>();
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (nic.isUp()) {
        all.addAll(Collections.list(nic.getInetAddresses()));
      }
    }
    return fromAddresses(usable(all, includeLoopback), port, transport, fallback);
  }

  /**
   * Addresses worth advertising: never wildcard, multicast or IPv6 link-local (which needs a scope
   * the browser cannot know), loopback only on request (tests run on loopback).
   */
  static List<InetAddress> usable(List<InetAddress> addresses, boolean includeLoopback) {
    List<InetAddress> out = new ArrayList<>();
    for (InetAddress a : addresses) {
      boolean skip =
          a.isAnyLocalAddress()
              || a.isMulticastAddress()
              || (a instanceof Inet6Address && a.isLinkLocalAddress())
              || (a.isLoopbackAddress() && !includeLoopback);
      if (!skip && !out.contains(a)) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * One host candidate per address, all on {@code port}; earlier addresses get a higher local
   * preference. For TCP the candidates are passive and the local preference follows RFC 6544 §4.2
   * (direction preference 4 for passive host candidates, shifted by 13 bits).
   */
  public static List<IceCandidate> fromAddresses(
      List<InetAddress> addresses, int port, IceCandidate.Transport transport) {
    return fromAddresses(addresses, port, transport, false);
  }

  /**
   * As above; with {@code fallback}, passive TCP candidates for a second TCP port (the TLS port,
   * 443, for networks that let nothing else out): same direction preference, but the other
   * preference (RFC 6544 §4.2, the low 13 bits) in its lower half, so they rank below the ICE-TCP
   * port's candidates for the same address and are used only when those fail.
   */
  public static List<IceCandidate> fromAddresses(
      List<InetAddress> addresses, int port, IceCandidate.Transport transport, boolean fallback) {
    List<IceCandidate> out = new ArrayList<>(addresses.size());
    int otherTop = fallback ? 4095 : 8191;
    for (int i = 0; i < addresses.size(); i++) {
      InetAddress a = addresses.get(i);
      int localPreference =
          transport == IceCandidate.Transport.TCP
              ? (4 << 13) + Math.max(0, otherTop - i)
              : 65535 - i;
      out.add(
          IceCandidate.host(
              foundation(a, transport),
              IceCandidate.COMPONENT_RTP,
              transport,
              text(a),
              port,
              Math.max(0, localPreference)));
    }
    return out;
  }

  /**
   * Same foundation for the same type, base address and transport (RFC 8445 §5.1.1.3): a stable
   * decimal hash of those, which is within the ice-char set and at most 10 characters.
   */
  static String foundation(InetAddress address, IceCandidate.Transport transport) {
    String key = "host|" + text(address) + "|" + transport.name().toLowerCase(Locale.ROOT);
    return Integer.toString(key.hashCode() & 0x7FFFFFFF);
  }

  /** Literal address text without the "%scope" suffix Java adds to interface IPv6 addresses. */
  static String text(InetAddress address) {
    String s = address.getHostAddress();
    int percent = s.indexOf('%');
    return percent < 0 ? s : s.substring(0, percent);
  }
}
