package eu.visio.server;

import eu.visio.media.DropCounters;
import eu.visio.media.dtls.DtlsCertificate;
import eu.visio.media.dtls.DtlsWarmup;
import eu.visio.media.ice.HostCandidates;
import eu.visio.media.ice.IceCandidate;
import eu.visio.media.ice.IceUfrags;
import eu.visio.media.net.TcpMediaPort;
import eu.visio.media.net.UdpMediaPort;
import eu.visio.meet.store.Database;
import eu.visio.signal.livekit.LiveKitRooms;
import eu.visio.signal.rtc.RtcMedia;
import eu.visio.signal.token.TokenIssuer;
import eu.visio.signal.token.TokenRefresher;
import eu.visio.signal.webhook.WebhookNotifier;
import eu.visio.signal.whip.WhipService;
import io.javalin.Javalin;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import livekit.LivekitRtc.ICEServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the media port, the SFU services and HTTP into one running server. */
public final class VisioServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(VisioServer.class);

  private final DropCounters drops = new DropCounters();
  private final UdpMediaPort port;
  private final TcpMediaPort tcpPort;
  private final eu.visio.server.tls.TlsContext tls;
  private final eu.visio.server.tls.TlsPort tlsPort;
  private final WhipService whip;
  private final LiveKitRooms rooms;
  private final WebhookNotifier webhooks;
  private volatile boolean ready;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private final Javalin http;
  private final List<IceCandidate> candidates;
  private final Database database;
  private final eu.visio.server.turn.EmbeddedTurn turn;
  private final eu.visio.server.cluster.ClusterNode cluster;
  private final Drain drain;

  private VisioServer(
      ServerConfig config, Database database, eu.visio.server.tls.StunStreamHandler stunOverTls)
      throws InterruptedException, SocketException {
    this.database = database;
    InetAddress bind = parseAddress(config.bindAddress());
    port =
        UdpMediaPort.bind(
            new InetSocketAddress(bind, config.udpPort()),
            IceUfrags::localUfrag,
            drops,
            UdpMediaPort.Io.configured(),
            config.mediaWorkers());
    int udpPort = port.localAddress().getPort();
    ServerConfig.IceTcp tcp = config.iceTcp();
    try {
      tcpPort =
          tcp.enabled() ? TcpMediaPort.bind(port, new InetSocketAddress(bind, tcp.port())) : null;
    } catch (Exception e) { // Netty rethrows a BindException from sync() undeclared
      port.close();
      throw e;
    }
    List<IceCandidate> offered = new ArrayList<>();
    if (tcp.udpCandidates()) {
      offered.addAll(hostCandidates(config, bind, udpPort, IceCandidate.Transport.UDP, false));
    }
    if (tcpPort != null && tcp.portCandidates()) {
      // Passive TCP candidates with RFC 6544 priorities, below UDP: a browser uses them when UDP
      // fails (blocked, or only TCP let out).
      offered.addAll(
          hostCandidates(
              config, bind, tcpPort.localAddress().getPort(), IceCandidate.Transport.TCP, false));
    }
    ServerConfig.Tls https = config.tls().orElse(null);
    eu.visio.server.tls.TlsPort front = null;
    eu.visio.server.tls.TlsContext context = null;
    try {
      if (https != null) {
        context = eu.visio.server.tls.TlsContext.start(https, config.announcedAddresses());
        // Bound now (before candidates name it); it relays to Jetty once Jetty has started.
        front =
            new eu.visio.server.tls.TlsPort(
                new InetSocketAddress(bind, https.port()),
                tcpPort,
                drops,
                port.isNative(),
                TcpMediaPort.DEFAULT_STALL_LIMIT,
                eu.visio.media.net.SourceCap.DEFAULT_LIMIT);
        if (tcpPort != null) {
          // The same, on the TLS port, below the ICE-TCP port's: for a browser that can only
          // reach 443.
          offered.addAll(
              hostCandidates(
                  config, bind, front.localAddress().getPort(), IceCandidate.Transport.TCP, true));
        }
      }
    } catch (Exception e) { // Netty rethrows a BindException from sync() undeclared
      if (front != null) {
        front.close();
      }
      if (context != null) {
        context.close();
      }
      if (tcpPort != null) {
        tcpPort.close();
      }
      port.close();
      throw e;
    }
    tls = context;
    tlsPort = front;
    candidates = List.copyOf(offered);
    try {
      turn =
          config.turn().enabled()
              ? eu.visio.server.turn.EmbeddedTurn.start(
                  config,
                  bind,
                  candidates,
                  udpPort,
                  front == null ? -1 : front.localAddress().getPort(),
                  drops,
                  port.isNative())
              : null;
    } catch (Exception e) { // Netty rethrows a BindException from sync() undeclared
      closePorts();
      throw e;
    }
    // TURN over TLS: on the TLS port, and on turn.tls_port if it has a listener of its own.
    eu.visio.server.tls.StunStreamHandler stun =
        stunOverTls == null && turn != null
            ? new eu.visio.server.turn.TurnOverTls(turn.server())
            : stunOverTls;
    whip = new WhipService(port, DtlsCertificate.shared(), candidates);
    rooms = new LiveKitRooms(new RtcMedia(port, DtlsCertificate.shared(), candidates));
    rooms.setTokenRefresher(new TokenRefresher(config.apiKeys(), Clock.systemUTC()));
    List<ICEServer> configured = config.iceServers().stream().map(VisioServer::iceServer).toList();
    if (turn == null) {
      rooms.setIceServers(configured);
    } else {
      // Every participant (its token verified before it gets here) gets credentials of its own.
      Clock clock = Clock.systemUTC();
      boolean onDemand = config.turn().onDemand();
      rooms.setIceServers(
          new LiveKitRooms.IceServerSource() {
            @Override
            public List<ICEServer> forParticipant(
                eu.visio.signal.token.AccessClaims claims, boolean withRelays) {
              if (onDemand && !withRelays) {
                return configured;
              }
              List<ICEServer> all = new ArrayList<>();
              turn.forParticipant(
                      claims.identity(),
                      java.time.Duration.between(clock.instant(), claims.expires()))
                  .ifPresent(s -> all.add(iceServer(s)));
              all.addAll(configured);
              return all;
            }

            @Override
            public boolean relaysOnDemand() {
              return onDemand;
            }
          });
    }
    if (!config.webhook().urls().isEmpty()) {
      webhooks =
          new WebhookNotifier(
              WebhookNotifier.Config.defaults(config.webhook().urls()),
              TokenIssuer.forKey(config.apiKeys(), config.webhook().apiKey(), Clock.systemUTC()),
              Clock.systemUTC());
      rooms.setEvents(webhooks);
    } else {
      webhooks = null;
    }
    // Joined before HTTP serves, so that no join arrives before its room can be placed; a node
    // that cannot reach its cluster does not start.
    try {
      cluster =
          config.cluster().isPresent()
              ? eu.visio.server.cluster.ClusterNode.start(
                  config.cluster().get(), rooms, () -> port.receivedCount() + port.sentCount())
              : null;
    } catch (RuntimeException e) {
      closeAfterFailure();
      throw e;
    }
    drain = new Drain(rooms, cluster);
    http =
        HttpServer.create(
            config,
            whip,
            rooms,
            new Metrics(drops, port, whip, rooms, webhooks)
                .withTurn(turn == null ? null : turn.server())
                .withCluster(cluster),
            meetRoutes(config, database, rooms, turn, cluster),
            () -> ready,
            cluster,
            drain);
    http.start(config.bindAddress(), config.httpPort());
    if (tlsPort != null) {
      java.net.InetSocketAddress connector = HttpServer.startHttps(http, tls, stun, drops);
      tlsPort.relayTo(connector);
      if (turn != null) {
        turn.relayTlsTo(connector);
      }
    }
    // A first handshake in a JVM is ten times slower than the next ones; a node taking over a
    // dead or draining node's participants must not make them wait for it (DtlsWarmup).
    try {
      Duration warmup = DtlsWarmup.once(DtlsCertificate.shared(), Duration.ofSeconds(10));
      log.debug("DTLS warm-up handshake took {} ms", warmup.toMillis());
    } catch (IllegalStateException e) {
      log.warn("DTLS warm-up: {}", e.getMessage()); // the first real handshakes pay instead
    }
    ready = true;
    log.info(
        "Visio listening: http={} https={} media udp={} tcp={} turn={} candidates={}",
        http.port(),
        tlsPort == null ? "off" : tlsPort.localAddress(),
        port.localAddress(),
        tcpPort == null ? "off" : tcpPort.localAddress(),
        turn == null ? "off" : turn.urls(),
        candidates.stream()
            .map(c -> c.transport().sdp() + " " + c.address() + ":" + c.port())
            .toList());
  }

  private static ICEServer iceServer(ServerConfig.IceServer s) {
    return ICEServer.newBuilder()
        .addAllUrls(s.urls())
        .setUsername(s.username())
        .setCredential(s.credential())
        .build();
  }

  /** Closes what started before the cluster could not be joined. */
  private void closeAfterFailure() {
    rooms.close();
    whip.close();
    if (webhooks != null) {
      webhooks.close();
    }
    if (turn != null) {
      turn.close();
    }
    closePorts();
  }

  /** Closes the sockets bound so far (a later part failed to start). */
  private void closePorts() {
    if (tlsPort != null) {
      tlsPort.close();
    }
    if (tls != null) {
      tls.close();
    }
    if (tcpPort != null) {
      tcpPort.close();
    }
    port.close();
  }

  /** Host candidates on {@code port}: the announced addresses, the bound one, or discovered. */
  private static List<IceCandidate> hostCandidates(
      ServerConfig config,
      InetAddress bind,
      int port,
      IceCandidate.Transport transport,
      boolean fallback)
      throws SocketException {
    if (!config.announcedAddresses().isEmpty()) {
      return HostCandidates.fromAddresses(config.announcedAddresses(), port, transport, fallback);
    } else if (!bind.isAnyLocalAddress()) {
      return HostCandidates.fromAddresses(List.of(bind), port, transport, fallback);
    }
    return HostCandidates.discover(port, transport, config.includeLoopbackCandidates(), fallback);
  }

  /** The meeting service over the database, minting tokens with the first API key. */
  private static eu.visio.server.api.MeetApi meetRoutes(
      ServerConfig config,
      Database database,
      LiveKitRooms rooms,
      eu.visio.server.turn.EmbeddedTurn turn,
      eu.visio.server.cluster.ClusterNode cluster) {
    Clock clock = Clock.systemUTC();
    javax.sql.DataSource ds = database.dataSource();
    String key = config.apiKeys().keyNames().stream().sorted().findFirst().orElse("");
    // In a cluster the meeting service acts on each meeting where it lives, from any node.
    eu.visio.meet.moderation.RoomAccess here = eu.visio.meet.moderation.RoomAccess.local(rooms);
    eu.visio.meet.moderation.Moderation moderation =
        new eu.visio.meet.moderation.Moderation(
            cluster == null
                ? here
                : new eu.visio.server.cluster.ClusterRoomAccess(
                    here,
                    new eu.visio.server.cluster.RoomServiceForwarder(
                        cluster, TokenIssuer.forKey(config.apiKeys(), key, clock))));
    eu.visio.meet.store.RoomRoles roles = new eu.visio.meet.store.RoomRoles(ds, clock);
    eu.visio.meet.store.Users users = new eu.visio.meet.store.Users(ds, clock);
    eu.visio.meet.Meetings meetings =
        new eu.visio.meet.Meetings(
            new eu.visio.meet.store.Rooms(ds, clock),
            roles,
            lobby(config, ds, clock, cluster),
            new eu.visio.meet.access.ParticipantTokens(
                TokenIssuer.forKey(config.apiKeys(), key, clock)),
            moderation);
    // Secure cookies unless served over plain http on loopback (local development, tests).
    boolean loopback = parseAddress(config.bindAddress()).isLoopbackAddress();
    // Sessions in the database: a restart signs nobody out, and servers sharing it share them.
    eu.visio.meet.identity.Sessions sessions =
        new eu.visio.meet.identity.Sessions(
            new eu.visio.meet.identity.SessionCookie(!loopback),
            eu.visio.meet.identity.Sessions.DEFAULT_LIFETIME,
            new eu.visio.meet.store.JdbcSessionStore(
                ds, eu.visio.meet.identity.Sessions.DEFAULT_CAPACITY),
            clock);
    return new eu.visio.server.api.MeetApi(
        meetings,
        new eu.visio.meet.Memberships(meetings, roles, users),
        users,
        sessions,
        config.devSignIn()
            ? java.util.Optional.of(eu.visio.meet.identity.DevIdentity.enable())
            : java.util.Optional.empty(),
        moderation,
        config.oidc(),
        config.publicUrl(),
        config.smtp().map(eu.visio.meet.invite.Mailer::new),
        TokenIssuer.forKey(config.apiKeys(), key, clock),
        (identity, ttl) -> {
          // The connection test's relay checks: this node's TURN, then the configured servers.
          List<ServerConfig.IceServer> all = new ArrayList<>();
          if (turn != null) {
            turn.issue(identity, ttl).ifPresent(all::add);
          }
          all.addAll(config.iceServers());
          return all;
        });
  }

  /**
   * The lobby: in the database when other servers may share it (a cluster, or PostgreSQL), so that
   * a knock made through one is decided through another; else in memory.
   */
  private static eu.visio.meet.lobby.Lobby lobby(
      ServerConfig config,
      javax.sql.DataSource ds,
      Clock clock,
      eu.visio.server.cluster.ClusterNode cluster) {
    if (cluster == null && config.database().isEmbedded()) {
      return new eu.visio.meet.lobby.Lobby(clock, eu.visio.meet.lobby.Lobby.Limits.DEFAULT);
    }
    eu.visio.meet.lobby.Lobby lobby =
        new eu.visio.meet.lobby.Lobby(
            clock,
            eu.visio.meet.lobby.Lobby.Limits.DEFAULT,
            new eu.visio.meet.store.JdbcLobbyStore(ds));
    if (cluster != null) {
      cluster.shareLobby(lobby); // knocks and decisions reach the other nodes' hosts at once
    }
    return lobby;
  }

  public static VisioServer start(ServerConfig config) {
    return start(config, null);
  }

  /**
   * Starts the server; TLS connections on the TLS port that carry STUN (TURN over TLS) go to {@code
   * stunOverTls}, or are closed and counted when it is null.
   */
  public static VisioServer start(
      ServerConfig config, eu.visio.server.tls.StunStreamHandler stunOverTls) {
    // First: a database that cannot be reached or migrated stops the start, before any port opens.
    Database database = Database.open(config.database());
    try {
      return new VisioServer(config, database, stunOverTls);
    } catch (InterruptedException e) {
      database.close();
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting", e);
    } catch (SocketException e) {
      database.close();
      throw new IllegalStateException("cannot list network interfaces", e);
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  public int httpPort() {
    return http.port();
  }

  public int udpPort() {
    return port.localAddress().getPort();
  }

  /** The TLS port (HTTPS and ICE-TCP), or -1 without TLS. */
  public int tlsPort() {
    return tlsPort == null ? -1 : tlsPort.localAddress().getPort();
  }

  /** The HTTPS certificate and its reloading, or null without TLS. */
  public eu.visio.server.tls.TlsContext tls() {
    return tls;
  }

  /** The ICE-TCP candidates and everything else offered to peers. */
  public List<IceCandidate> candidates() {
    return candidates;
  }

  /**
   * Starts draining this server ({@link Drain}), waiting at most {@code timeout} for its
   * participants to leave; the returned future completes once drained. Then {@link #close}.
   */
  public java.util.concurrent.CompletableFuture<Void> drain(java.time.Duration timeout) {
    return drain.start(timeout);
  }

  /** Where a drain stands. */
  public Drain.Status drainStatus() {
    return drain.status();
  }

  /** This node's cluster membership, or null for a single node. */
  public eu.visio.server.cluster.ClusterNode cluster() {
    return cluster;
  }

  /** The embedded TURN server, or null when off. */
  public eu.visio.server.turn.EmbeddedTurn turn() {
    return turn;
  }

  /** The ICE-TCP port, or -1 without ICE-TCP. */
  public int tcpPort() {
    return tcpPort == null ? -1 : tcpPort.localAddress().getPort();
  }

  public DropCounters drops() {
    return drops;
  }

  public WebhookNotifier webhooks() {
    return webhooks;
  }

  public WhipService whip() {
    return whip;
  }

  /** The meeting service's database. */
  public Database database() {
    return database;
  }

  /** The media workers (tests: a stuck one). */
  List<eu.visio.media.net.MediaWorker> mediaWorkers() {
    return port.workers();
  }

  /** The LiveKit rooms (for the meeting service and tests). */
  public LiveKitRooms rooms() {
    return rooms;
  }

  private static InetAddress parseAddress(String address) {
    try {
      return InetAddress.getByName(address);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("bad bind address " + address, e);
    }
  }

  /** Stops everything; a second call does nothing (a test's cleanup after a drain's own). */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ready = false;
    if (tlsPort != null) {
      tlsPort.close();
    }
    http.stop();
    if (cluster != null) {
      cluster.close(); // gives up this node's rooms, so they can be placed again at once
    }
    if (tls != null) {
      tls.close();
    }
    rooms.close();
    whip.close();
    if (webhooks != null) {
      webhooks.close();
    }
    if (turn != null) {
      turn.close();
    }
    if (tcpPort != null) {
      tcpPort.close();
    }
    port.close();
    database.close();
  }
}
