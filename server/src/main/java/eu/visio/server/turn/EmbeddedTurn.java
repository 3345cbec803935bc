package eu.visio.server.turn;

import eu.visio.media.DropCounters;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.net.SourceCap;
import eu.visio.media.net.TcpMediaPort;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.media.turn.RelayPolicy;
import eu.visio.media.turn.TurnConfig;
import eu.visio.media.turn.TurnCredentials;
import eu.visio.media.turn.TurnServer;
import eu.visio.server.ServerConfig;
import eu.visio.server.tls.TlsPort;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded TURN server as this node runs it: the {@link TurnServer} on its UDP and TCP ports,
 * restricted to {@link NodeRelayPolicy}, optionally a TLS listener of its own (a second {@link
 * TlsPort}, relaying to the same HTTPS connector, whose STUN-after-TLS detection hands TURN to
 * {@link TurnOverTls}), and the URLs and credentials clients are given.
 */
public final class EmbeddedTurn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedTurn.class);

  /** The longest a client's credentials live, whatever its token says. */
  public static final Duration MAX_TTL = Duration.ofHours(24);

  /**
   * The shortest: an allocation is refreshed with the credentials the client got at join, so they
   * must outlive a token near its end (refreshed tokens live ten minutes) by a meeting's length.
   */
  public static final Duration MIN_TTL = Duration.ofHours(1);

  /*
   * Limits per source address, wider than TurnConfig's defaults: the people this server is for
   * sit behind one corporate NAT or proxy address by the hundred, and each browser allocates on
   * every TURN URL of each of its peer connections while gathering (two connections, up to four
   * URLs: eight allocations, four streams). Allocations need valid credentials, so these limits
   * are about floods, not about guessing.
   */
  static final int STREAMS_PER_SOURCE = 1024;
  static final double REQUESTS_PER_SECOND = 1000;
  static final int REQUEST_BURST = 5000;
  static final double ALLOCATIONS_PER_SECOND = 100;
  static final int ALLOCATION_BURST = 1000;

  /** A stream without an allocation, or holding half a frame, this long is closed. */
  static final Duration STALL_TIMEOUT = Duration.ofSeconds(10);

  private final TurnServer server;
  private final TlsPort tlsListener;
  private final List<String> urls;

  private EmbeddedTurn(TurnServer server, TlsPort tlsListener, List<String> urls) {
    this.server = server;
    this.tlsListener = tlsListener;
    this.urls = List.copyOf(urls);
  }

  /**
   * Starts TURN as {@code config.turn()} says.
   *
   * @param bind the address listeners bind to
   * @param candidates what this node offers (its UDP host candidates are what relays may reach)
   * @param mediaPort the bound media UDP port
   * @param httpsPort the bound TLS port, or -1 without TLS
   * @param drops where the TLS listener counts what it refuses
   * @param epoll whether the TLS listener uses epoll (as the media port does)
   */
  public static EmbeddedTurn start(
      ServerConfig config,
      InetAddress bind,
      List<IceCandidate> candidates,
      int mediaPort,
      int httpsPort,
      DropCounters drops,
      boolean epoll)
      throws InterruptedException {
    ServerConfig.Turn t = config.turn();
    String secret =
        t.secret()
            .or(() -> t.secretFile().map(TurnSecret::loadOrCreate))
            .orElseGet(TurnSecret::random);
    InetAddress relayIp = t.relayIp().orElseGet(() -> nodeAddress(config, bind, candidates));
    if (!isLocal(relayIp)) {
      // node_ip behind a 1:1 NAT (a cloud's public address): relays cannot bind it.
      log.warn(
          "TURN relay address {} is not an address of this host: every allocation will fail;"
              + " set turn.relay_ip to this host's own (private) address",
          relayIp.getHostAddress());
    }
    RelayPolicy policy =
        NodeRelayPolicy.of(candidates, mediaPort, config.includeLoopbackCandidates());
    String host = t.domain().orElseGet(() -> hostText(nodeAddress(config, bind, candidates)));
    String realm = t.realm().or(t::domain).orElse("visio");
    TurnConfig turnConfig =
        TurnConfig.builder(realm, secret, relayIp, policy)
            .listen(
                t.udpPort() < 0 ? null : new InetSocketAddress(bind, t.udpPort()),
                t.tcpPort() < 0 ? null : new InetSocketAddress(bind, t.tcpPort()))
            .relayPorts(t.relayRangeStart(), t.relayRangeEnd())
            .allocationQuotas(t.allocationsPerUser(), t.maxAllocations())
            .requestRate(REQUESTS_PER_SECOND, REQUEST_BURST)
            .allocationRate(ALLOCATIONS_PER_SECOND, ALLOCATION_BURST)
            .tcpLimits(STREAMS_PER_SOURCE, STALL_TIMEOUT)
            .io(epoll ? UdpMediaPort.Io.EPOLL : UdpMediaPort.Io.NIO)
            .build();
    TurnServer server = TurnServer.start(turnConfig);
    TlsPort tls = null;
    try {
      if (t.tlsPort() >= 0 && !t.externalTls() && httpsPort >= 0 && t.tlsPort() != httpsPort) {
        tls =
            new TlsPort(
                new InetSocketAddress(bind, t.tlsPort()),
                null,
                drops,
                epoll,
                TcpMediaPort.DEFAULT_STALL_LIMIT,
                SourceCap.DEFAULT_LIMIT);
      }
    } catch (RuntimeException | InterruptedException e) {
      server.close();
      throw e;
    }
    String tlsHost =
        t.domain().or(() -> config.publicUrl().map(java.net.URI::getHost)).orElse(host);
    List<String> urls = new ArrayList<>();
    if (server.udpAddress() != null) {
      urls.add("turn:" + host + ":" + server.udpAddress().getPort() + "?transport=udp");
    }
    if (server.tcpAddress() != null && !t.externalTls()) {
      urls.add("turn:" + host + ":" + server.tcpAddress().getPort() + "?transport=tcp");
    }
    if (t.onHttpsPort() && httpsPort >= 0) {
      urls.add("turns:" + tlsHost + ":" + httpsPort + "?transport=tcp");
    }
    if (tls != null) {
      urls.add("turns:" + tlsHost + ":" + tls.localAddress().getPort() + "?transport=tcp");
    } else if (t.externalTls()) {
      urls.add("turns:" + tlsHost + ":" + t.tlsPort() + "?transport=tcp");
    }
    log.info("TURN handed out as {}; relays may reach {}", urls, policy);
    return new EmbeddedTurn(server, tls, urls);
  }

  /** Where this node says it is: node_ip, else the bound address, else its first candidate. */
  private static InetAddress nodeAddress(
      ServerConfig config, InetAddress bind, List<IceCandidate> candidates) {
    if (!config.announcedAddresses().isEmpty()) {
      return config.announcedAddresses().getFirst();
    }
    if (!bind.isAnyLocalAddress()) {
      return bind;
    }
    for (IceCandidate c : candidates) {
      if (c.transport() == IceCandidate.Transport.UDP) {
        try {
          return InetAddress.ofLiteral(c.address());
        } catch (IllegalArgumentException e) {
          // not a literal: next
        }
      }
    }
    return InetAddress.getLoopbackAddress();
  }

  private static boolean isLocal(InetAddress a) {
    try {
      return a.isLoopbackAddress() || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (java.net.SocketException e) {
      return true; // cannot tell: say nothing
    }
  }

  /** An address as a URL host: IPv6 in brackets. */
  static String hostText(InetAddress a) {
    String s = a.getHostAddress();
    int zone = s.indexOf('%');
    if (zone >= 0) {
      s = s.substring(0, zone);
    }
    return a instanceof Inet6Address ? "[" + s + "]" : s;
  }

  /**
   * Where the extra TLS listener relays TLS: Jetty's HTTPS connector (which tells TURN from HTTP
   * after TLS). Call once Jetty has started.
   */
  public void relayTlsTo(InetSocketAddress httpsConnector) {
    if (tlsListener != null) {
      tlsListener.relayTo(httpsConnector);
    }
  }

  /**
   * TURN credentials of {@code identity} for its token's remaining life {@code remaining}, kept
   * between {@link #MIN_TTL} and {@link #MAX_TTL}; empty if the identity cannot be a TURN user name
   * (empty, too long, control characters).
   */
  public Optional<ServerConfig.IceServer> forParticipant(String identity, Duration remaining) {
    Duration ttl = remaining.compareTo(MIN_TTL) < 0 ? MIN_TTL : remaining;
    return issue(identity, ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl);
  }

  /** Credentials of {@code identity} valid for exactly {@code ttl}; empty as above. */
  public Optional<ServerConfig.IceServer> issue(String identity, Duration ttl) {
    try {
      TurnCredentials.Credential c = server.credentials().issue(identity, ttl);
      return Optional.of(new ServerConfig.IceServer(urls, c.username(), c.password()));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The URLs handed out, in order: UDP, TCP, TLS on the TLS port, TLS on its own port. */
  public List<String> urls() {
    return urls;
  }

  public TurnServer server() {
    return server;
  }

  /** The extra TLS listener's port, or -1. */
  public int tlsListenerPort() {
    return tlsListener == null ? -1 : tlsListener.localAddress().getPort();
  }

  @Override
  public void close() {
    if (tlsListener != null) {
      tlsListener.close();
    }
    server.close();
  }
}
